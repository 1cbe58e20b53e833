import { View, Text } from '@tarojs/components'
import { TICKET_KINDS, type CategoryView } from '@palm/shared'
import { PageShell } from '../../../components/page-shell'
import { StateView } from '../../../components/state-view'
import { StaffOnly } from '../../../components/access-cards'
import { useResource } from '../../../hooks/use-resource'
import { consoleService } from '../../../services/console.service'
import { Routes, openPage } from '../../../utils/routes'
import { ActionButton } from '../../../components/buttons'
import { CONSOLE_READERS, LinkRow, useConsoleAccess } from '../components/console-ui'
import { KIND_LABELS, limitText } from '../components/console-format'
import '../components/console.scss'

function CategoryRow({ c, canWrite }: { c: CategoryView; canWrite: boolean }) {
  const body = (
    <View className='console-row-text'>
      <Text className='console-row-title'>{c.name}</Text>
      <Text className='muted'>{`受理 ${limitText(c.acceptWithin)} · 办结 ${limitText(c.resolveWithin)}`}</Text>
      <View className='console-tags'>
        <Text className='console-tag'>{c.code}</Text>
        <Text className={`console-tag ${c.active ? 'is-ok' : 'is-off'}`}>{c.active ? '启用' : '已停用'}</Text>
      </View>
    </View>
  )
  if (!canWrite) return <View className={`row console-row category-${c.code}`}>{body}</View>
  return (
    <LinkRow className={`category-${c.code}`} onOpen={() => openPage(Routes.consoleCategory(c.code))}>
      {body}
    </LinkRow>
  )
}

function CategoryList() {
  const { canWrite } = useConsoleAccess()
  const list = useResource(() => consoleService.listCategories())
  if (!list.data) return <StateView loading={list.loading} error={list.error} onRetry={() => void list.reload()} />
  const categories = list.data
  return (
    <>
      {canWrite ? (
        <View className='console-toolbar'>
          <ActionButton className='category-new' onClick={() => openPage(Routes.consoleCategory())}>
            新增类别
          </ActionButton>
        </View>
      ) : (
        <View className='notice'>街道管理员可查看，修改请联系区综治中心。</View>
      )}
      <StateView empty={categories.length === 0} emptyText='还没有类别' />
      {TICKET_KINDS.map((kind) => {
        const ofKind = categories.filter((c) => c.kind === kind)
        if (ofKind.length === 0) return null
        return (
          <View key={kind} className={`console-kind kind-${kind}`}>
            <View className='console-section' role='heading' aria-level={2}>
              {KIND_LABELS[kind]}
            </View>
            <View className='card'>
              {ofKind.map((c) => (
                <CategoryRow key={c.code} c={c} canWrite={canWrite} />
              ))}
            </View>
          </View>
        )
      })}
      <View className='muted console-foot'>时限按工作时间计算：每个工作日 9:00–12:00、13:30–18:00，共 7.5 小时，节假日不计。</View>
    </>
  )
}

/** 事项分类与时限: every category by kind with its limits; the district admin opens one to edit it. */
export default function ConsoleCategoriesPage() {
  return (
    <PageShell className='console-page console-categories'>
      <StaffOnly roles={CONSOLE_READERS} back={Routes.consoleCategories}>
        <CategoryList />
      </StaffOnly>
    </PageShell>
  )
}
