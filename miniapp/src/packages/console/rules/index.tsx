import { View, Text } from '@tarojs/components'
import type { RoutingRuleView } from '@palm/shared'
import { PageShell } from '../../../components/page-shell'
import { StateView } from '../../../components/state-view'
import { StaffOnly } from '../../../components/access-cards'
import { useResource } from '../../../hooks/use-resource'
import { consoleService } from '../../../services/console.service'
import { Routes, openPage } from '../../../utils/routes'
import { ActionButton } from '../../../components/buttons'
import { CONSOLE_READERS, LinkRow, useConsoleAccess } from '../components/console-ui'
import { MODE_LABELS } from '../components/console-format'
import '../components/console.scss'

interface Names {
  categories: Map<string, string>
  departments: Map<string, string>
}

async function loadRules(): Promise<{ rules: RoutingRuleView[]; names: Names }> {
  const [rules, categories, departments] = await Promise.all([consoleService.listRules(), consoleService.listCategories(), consoleService.listDepartments()])
  // In the categories' display order (as the report form lists them), not by code.
  const order = new Map(categories.map((c, i) => [c.code, i]))
  const sorted = [...rules].sort((a, b) => (order.get(a.category) ?? order.size) - (order.get(b.category) ?? order.size))
  return { rules: sorted, names: { categories: new Map(categories.map((c) => [c.code, c.name])), departments: new Map(departments.map((d) => [d.code, d.name])) } }
}

function RuleRow({ rule, names, canWrite }: { rule: RoutingRuleView; names: Names; canWrite: boolean }) {
  const category = names.categories.get(rule.category) ?? rule.category
  const department = names.departments.get(rule.departmentCode) ?? rule.departmentCode
  const body = (
    <View className='console-row-text'>
      <Text className='console-row-title'>{`${category} → ${department}`}</Text>
      <Text className='muted'>{MODE_LABELS[rule.mode]}</Text>
      <View className='console-tags'>
        <Text className={`console-tag ${rule.active ? 'is-ok' : 'is-off'}`}>{rule.active ? '启用' : '已停用'}</Text>
      </View>
    </View>
  )
  if (!canWrite) return <View className={`row console-row rule-${rule.category}`}>{body}</View>
  return (
    <LinkRow className={`rule-${rule.category}`} onOpen={() => openPage(Routes.consoleRule(rule.id))}>
      {body}
    </LinkRow>
  )
}

function RuleList() {
  const { canWrite } = useConsoleAccess()
  const data = useResource(loadRules)
  if (!data.data) return <StateView loading={data.loading} error={data.error} onRetry={() => void data.reload()} />
  const { rules, names } = data.data
  return (
    <>
      <View className='notice'>没有规则的类别按位置分给网格员；有规则的类别按下面的方式转给职能部门。修改前会先回放最近的工单，看清影响再保存。</View>
      {canWrite ? (
        <View className='console-toolbar'>
          <ActionButton className='rule-new' onClick={() => openPage(Routes.consoleRule())}>
            新增规则
          </ActionButton>
        </View>
      ) : null}
      <StateView empty={rules.length === 0} emptyText='还没有分拨规则，所有类别都按位置分给网格' />
      {rules.length > 0 ? (
        <View className='card'>
          {rules.map((r) => (
            <RuleRow key={r.id} rule={r} names={names} canWrite={canWrite} />
          ))}
        </View>
      ) : null}
    </>
  )
}

/** 分拨规则: category → department, instead of or beside the grid (docs/console.md). */
export default function ConsoleRulesPage() {
  return (
    <PageShell className='console-page console-rules'>
      <StaffOnly roles={CONSOLE_READERS} back={Routes.consoleRules}>
        <RuleList />
      </StaffOnly>
    </PageShell>
  )
}
