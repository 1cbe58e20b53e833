import { useEffect, useState } from 'react'
import { View, Text } from '@tarojs/components'
import { OptionPicker } from '../../../components/option-picker'
import { ToggleField } from '../../../components/fields'
import { SUPERVISOR_ROLES, isStaffRole, type CategoryView, type Role, type TicketStateFilter, type TicketSummaryView } from '@palm/shared'
import { PageShell } from '../../../components/page-shell'
import { ListFooter, StateView } from '../../../components/state-view'
import { TicketCard } from '../../../components/ticket-card'
import { usePagedList } from '../../../hooks/use-paged-list'
import { useSession } from '../../../hooks/use-session'
import { apiRequest } from '../../../services/api-client'
import { ticketsService } from '../../../services/tickets.service'
import { ROLE_LABELS } from '../../../utils/format'
import { Routes, openPage } from '../../../utils/routes'
import { pressable } from '../../../components/a11y'
import './index.scss'

/** The supervisors get 管理, 公开审核 and 只看待我审批的延期 (they are the ones approverRoleFor names). */
const SUPERVISORS: readonly Role[] = SUPERVISOR_ROLES

const STATE_FILTERS: Array<{ value: TicketStateFilter; label: string }> = [
  { value: 'open', label: '未办结' },
  { value: 'assigned', label: '待签收' },
  { value: 'returned', label: '已退回' },
  { value: 'accepted', label: '已签收' },
  { value: 'in_progress', label: '处理中' },
  { value: 'resolved', label: '已办结' },
  { value: 'all', label: '全部' }
]

function Inbox({ role }: { role: Role }) {
  const [stateIndex, setStateIndex] = useState(0)
  const [categories, setCategories] = useState<CategoryView[]>([])
  const [category, setCategory] = useState<string>()
  const [overdue, setOverdue] = useState(false)
  const [toApprove, setToApprove] = useState(false)
  const state = STATE_FILTERS[stateIndex]?.value ?? 'open'
  const list = usePagedList<TicketSummaryView>((cursor) => ticketsService.list({ view: 'inbox', state, category, overdue: overdue ? true : undefined, toApprove, cursor }), { reloadOnShow: true })

  useEffect(() => {
    apiRequest<CategoryView[]>({ path: '/api/tickets/categories', auth: false })
      .then(setCategories)
      .catch(() => undefined)
  }, [])

  // A changed filter starts the list again from the first page.
  useEffect(() => {
    void list.reload()
  }, [state, category, overdue, toApprove])

  const categoryOptions = [{ code: '', name: '全部类别' }, ...categories]
  return (
    <>
      <View className='card inbox-filters'>
        <View className='filter-row'>
          <OptionPicker options={STATE_FILTERS} index={stateIndex} optionLabel={(f) => f.label} onPick={setStateIndex} label='按状态筛选' placeholder='全部状态' className='filter-state' />
          <OptionPicker
            options={categoryOptions}
            index={categoryOptions.findIndex((c) => c.code === (category ?? ''))}
            optionLabel={(c) => c.name}
            onPick={(i) => setCategory(categoryOptions[i]?.code || undefined)}
            label='按类别筛选'
            placeholder='全部类别'
            className='filter-category'
          />
        </View>
        <ToggleField name='overdue' className='row filter-overdue' label='只看超时' checked={overdue} onChange={setOverdue} />
        {SUPERVISORS.includes(role) ? <ToggleField name='toApprove' className='row filter-to-approve' label='只看待我审批的延期' checked={toApprove} onChange={setToApprove} /> : null}
      </View>
      <StateView loading={list.loading} error={list.items.length === 0 ? list.error : undefined} onRetry={() => void list.reload()} />
      {!list.loading && !list.error && list.items.length === 0 ? <StateView empty emptyText={toApprove ? '没有待您审批的延期申请' : '没有符合条件的工单'} /> : null}
      {list.items.map((t) => (
        <TicketCard key={t.id} ticket={t} showDue onOpen={(id) => openPage(Routes.staffTicket(id))} />
      ))}
      <ListFooter loadingMore={list.loadingMore} hasMore={list.hasMore} count={list.items.length} />
    </>
  )
}

/** The staff inbox: their scope's tickets by due time, filtered by state, category and overdue. */
export default function StaffInboxPage() {
  const session = useSession()
  const staff = session && isStaffRole(session.user.role)
  return (
    <PageShell className='staff-inbox'>
      {staff ? (
        <>
          <View className='inbox-head'>
            <Text className='inbox-who'>
              {ROLE_LABELS[session.user.role]} · {session.user.displayName}
            </Text>
            <View className='inbox-links'>
              <Text className='inbox-stats-link' {...pressable(() => openPage(Routes.staffStats), { role: 'link' })} onClick={() => openPage(Routes.staffStats)}>
                统计 ›
              </Text>
              <Text className='inbox-stats-link inbox-map-link' {...pressable(() => openPage(Routes.staffMap), { role: 'link' })} onClick={() => openPage(Routes.staffMap)}>
                地图 ›
              </Text>
              <Text className='inbox-stats-link inbox-services-link' {...pressable(() => openPage(Routes.staffServices), { role: 'link' })} onClick={() => openPage(Routes.staffServices)}>
                便民服务 ›
              </Text>
              {SUPERVISORS.includes(session.user.role) ? (
                <Text className='inbox-stats-link inbox-review-link' {...pressable(() => openPage(Routes.staffReview), { role: 'link' })} onClick={() => openPage(Routes.staffReview)}>
                  公开审核 ›
                </Text>
              ) : null}
              {SUPERVISORS.includes(session.user.role) ? (
                <Text className='inbox-stats-link inbox-admin-link' {...pressable(() => openPage(Routes.adminHub), { role: 'link' })} onClick={() => openPage(Routes.adminHub)}>
                  管理 ›
                </Text>
              ) : null}
              {/* 我的 is a tab page; in H5 the inbox (reached by redirect after sign-in) shows no tab bar. */}
              <Text className='inbox-stats-link inbox-me-link' {...pressable(() => openPage(Routes.me), { role: 'link' })} onClick={() => openPage(Routes.me)}>
                我的 ›
              </Text>
            </View>
          </View>
          <Inbox role={session.user.role} />
        </>
      ) : (
        <View className='card'>
          <View className='card-title'>仅限工作人员</View>
          <View className='muted'>请使用网格员、社区或街道工作人员账号登录。</View>
          <View className='btn btn-primary inbox-sign-in' role='link' onClick={() => openPage(Routes.signIn(Routes.staffInbox))}>
            切换账号
          </View>
        </View>
      )}
    </PageShell>
  )
}
