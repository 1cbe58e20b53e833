import { useEffect, useState } from 'react'
import { View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { ROUTING_RULE_MODES, type PreviewRoutingRuleInput, type RoutingPreviewView, type RoutingRuleMode } from '@palm/shared'
import { PageShell } from '../../../components/page-shell'
import { StateView } from '../../../components/state-view'
import { FormNotice, ToggleField } from '../../../components/fields'
import { StaffOnly } from '../../../components/access-cards'
import { useAction, useResource } from '../../../hooks/use-resource'
import { isApiError } from '../../../services/api-error'
import { consoleService } from '../../../services/console.service'
import { showError } from '../../../services/show-error'
import { Routes } from '../../../utils/routes'
import { ActionButton } from '../../../components/buttons'
import { ChoiceGroup } from '../../../components/choice-group'
import { MODE_LABELS } from '../components/console-format'
import { PreviewCard } from '../components/preview-card'
import '../components/console.scss'

const LIMITS = ['50', '200', '500'] as const
type Limit = (typeof LIMITS)[number]

type RuleFormData = Awaited<ReturnType<typeof loadForm>>

async function loadForm(id?: string) {
  const [rules, categories, departments] = await Promise.all([consoleService.listRules(), consoleService.listCategories(), consoleService.listDepartments()])
  return { rule: id ? rules.find((r) => r.id === id) : undefined, rules, categories, departments }
}

/** Plain words for the refusals a rule change can meet (clients branch on codes). */
function refusal(err: unknown): string | undefined {
  if (!isApiError(err)) return undefined
  if (err.code === 'category_without_receiver') return '所选部门已停用，工单将无人接收。请先在“职能部门”里启用它，或选择其他部门。'
  if (err.code === 'conflict') return '这个类别已经有一条规则，请回到列表修改那一条。'
  if (err.code === 'not_found') return '这条规则已不存在，请返回列表刷新。'
  if (err.code === 'unknown_category') return '这个类别不存在，请返回列表刷新。'
  if (err.issues.some((i) => i.code === 'unknown_department')) return '没有这个部门，请重新选择。'
  return undefined
}

/** Loads the rules, categories and departments first, so the form starts from the rule once, when first drawn. */
function RuleFormLoader({ id }: { id?: string }) {
  const data = useResource(() => loadForm(id), { reloadOnShow: false })
  if (!data.data) return <StateView loading={data.loading} error={data.error} onRetry={() => void data.reload()} />
  if (id && !data.data.rule) return <StateView empty emptyText='这条规则已不存在' />
  return <RuleForm {...data.data} />
}

function RuleForm({ rule, rules, categories, departments }: RuleFormData) {
  const [category, setCategory] = useState<string | undefined>(rule?.category)
  const [department, setDepartment] = useState<string | undefined>(rule?.departmentCode)
  const [mode, setMode] = useState<RoutingRuleMode>(rule?.mode ?? 'instead')
  const [active, setActive] = useState(rule?.active ?? true)
  const [limit, setLimit] = useState<Limit>('50')
  const [preview, setPreview] = useState<{ view: RoutingPreviewView; action: 'save' | 'delete' }>()
  const [notice, setNotice] = useState<string>()
  const [missing, setMissing] = useState<{ category?: string; department?: string }>({})
  const action = useAction()

  // Any change to the proposal makes the shown replay stale: the save button waits for a new one.
  useEffect(() => setPreview(undefined), [category, department, mode, active, limit])

  const taken = new Set(rules.map((r) => r.category))
  const categoryChoices = categories.filter((c) => c.code === rule?.category || !taken.has(c.code)).map((c) => ({ value: c.code, label: c.name }))
  const departmentChoices = departments.filter((d) => d.active || d.code === department).map((d) => ({ value: d.code, label: d.active ? d.name : `${d.name}（已停用）` }))

  function proposal(kind: 'save' | 'delete'): PreviewRoutingRuleInput | undefined {
    const n = Number(limit)
    if (kind === 'delete' && rule) return { action: 'deactivate', ruleId: rule.id, limit: n }
    if (!category || !department) {
      setMissing({ category: category ? undefined : '请选择类别', department: department ? undefined : '请选择接收部门' })
      return undefined
    }
    setMissing({})
    if (!rule) return { action: 'create', rule: { category, departmentCode: department, mode, active }, limit: n }
    return { action: 'update', ruleId: rule.id, changes: { departmentCode: department, mode, active }, limit: n }
  }

  async function handlePreview(kind: 'save' | 'delete') {
    const input = proposal(kind)
    if (!input) return
    setNotice(undefined)
    await action.run(async () => {
      try {
        setPreview({ view: await consoleService.previewRule(input), action: kind })
        // The answer appears under a long form: bring it (and the save button under it) into view.
        setTimeout(() => void Taro.pageScrollTo({ selector: '.console-preview', duration: 200 })?.catch(() => undefined), 50)
      } catch (err) {
        const why = refusal(err)
        if (why) setNotice(why)
        else void showError(err)
      }
    })
  }

  async function handleCommit() {
    if (!preview) return
    await action.run(async () => {
      try {
        if (preview.action === 'delete' && rule) await consoleService.deleteRule(rule.id)
        else if (rule && department) await consoleService.updateRule(rule.id, { departmentCode: department, mode, active })
        else if (category && department) await consoleService.createRule({ category, departmentCode: department, mode, active })
        void Taro.showToast({ title: preview.action === 'delete' ? '已删除' : '已保存', icon: 'success' })
        void Taro.navigateBack()
      } catch (err) {
        setPreview(undefined)
        const why = refusal(err)
        if (why) setNotice(why)
        else void showError(err)
      }
    })
  }

  return (
    <>
      <FormNotice message={notice} />
      <View className='card'>
        {rule ? (
          <View className='console-row-title rule-category'>{`类别：${categories.find((c) => c.code === rule.category)?.name ?? rule.category}`}</View>
        ) : (
          <ChoiceGroup name='category' label='类别' options={categoryChoices} value={category} error={missing.category} onChange={setCategory} hint='已有规则的类别不在这里，请在列表里修改。' />
        )}
        <ChoiceGroup name='departmentCode' label='接收部门' options={departmentChoices} value={department} error={missing.department} onChange={setDepartment} />
        <ChoiceGroup name='mode' label='分拨方式' options={ROUTING_RULE_MODES.map((m) => ({ value: m, label: MODE_LABELS[m] }))} value={mode} onChange={setMode} />
        <ToggleField className='field' name='active' label='启用这条规则' checked={active} onChange={setActive} hint='停用后，这个类别按位置分给网格员。' />
        <ChoiceGroup name='limit' label='回放最近多少件工单' options={LIMITS.map((l) => ({ value: l, label: `${l} 件` }))} value={limit} onChange={setLimit} />
      </View>
      {preview ? <PreviewCard preview={preview.view} action={preview.action} /> : null}
      <View className='console-actions'>
        {preview ? (
          <ActionButton className='rule-commit' kind={preview.action === 'delete' ? 'danger' : 'primary'} busy={action.busy} busyText='正在保存…' onClick={() => void handleCommit()}>
            {preview.action === 'delete' ? '确认删除规则' : '保存规则'}
          </ActionButton>
        ) : (
          <ActionButton className='rule-preview' busy={action.busy} busyText='正在回放最近的工单…' onClick={() => void handlePreview('save')}>
            预览影响
          </ActionButton>
        )}
        {rule && !preview ? (
          <ActionButton className='rule-delete' kind='danger' busy={action.busy} onClick={() => void handlePreview('delete')}>
            删除规则（先预览）
          </ActionButton>
        ) : null}
        {preview ? (
          <ActionButton kind='ghost' className='rule-back' onClick={() => setPreview(undefined)}>
            返回修改
          </ActionButton>
        ) : null}
      </View>
    </>
  )
}

/**
 * 新增或编辑分拨规则: choose the department and the way, 预览影响 replays the category's recent
 * tickets with the change (nothing saved), and only then 保存规则 appears (docs/console.md).
 */
export default function ConsoleRulePage() {
  const { params } = useRouter()
  return (
    <PageShell className='console-page console-rule'>
      <StaffOnly roles={['district_admin']} back={Routes.consoleRules}>
        <RuleFormLoader id={params.id} />
      </StaffOnly>
    </PageShell>
  )
}
