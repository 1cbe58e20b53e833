import { useEffect, useRef, useState } from 'react'
import { View, Text } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { HAZARD_KINDS, HAZARD_STATUSES, type HazardKind, type HazardStatus, type HazardView, type TicketSummaryView } from '@palm/shared'
import { pressable } from '../../../components/a11y'
import { pendingTipStep } from './pending-tips'
import { newIdempotencyKey } from '../../../services/idempotency'
import { PageShell } from '../../../components/page-shell'
import { ListFooter, StateView } from '../../../components/state-view'
import { ActionButton } from '../../../components/buttons'
import { SelectField, ToggleField } from '../../../components/fields'
import { StaffOnly } from '../../../components/access-cards'
import { Tag } from '../../../components/facts'
import { usePagedList } from '../../../hooks/use-paged-list'
import { useAction } from '../../../hooks/use-resource'
import { useSession } from '../../../hooks/use-session'
import { hazardsService, type HazardFilter } from '../../../services/hazards.service'
import { ticketsService } from '../../../services/tickets.service'
import { formatTime, HAZARD_KIND_LABELS, HAZARD_STATUS_LABELS, RISK_LABELS } from '../../../utils/format'
import { Routes, openPage } from '../../../utils/routes'
import { StaffRoles, hasRole, scopeFilter } from '../components/staff-scope'
import '../components/staff.scss'
import { showError } from '../../../services/show-error'

const STATUS_OPTIONS = [{ value: 'all' as const, label: '全部状态' }, ...HAZARD_STATUSES.map((s) => ({ value: s, label: HAZARD_STATUS_LABELS[s] }))]
const KIND_OPTIONS = [{ value: 'all' as const, label: '全部类型' }, ...HAZARD_KINDS.map((k) => ({ value: k, label: HAZARD_KIND_LABELS[k] }))]

/**
 * Hazard tips in the inbox not yet in the ledger. A tip is entered after it has been checked: one
 * not yet accepted (签收) is accepted first with the same tap (the server refuses to enter it
 * otherwise); tips already entered are left out.
 */
function PendingTips() {
  const [tips, setTips] = useState<TicketSummaryView[]>([])
  const [error, setError] = useState<unknown>()
  const [busyId, setBusyId] = useState<string>()

  function load() {
    setError(undefined)
    Promise.all([ticketsService.list({ view: 'inbox', kind: 'hazard_tip', state: 'open', limit: 20 }), hazardsService.list({}).catch(() => ({ items: [] as HazardView[] }))])
      .then(([page, ledger]) => {
        const entered = new Set(ledger.items.map((h) => h.sourceTicketId).filter(Boolean))
        setTips(page.items.filter((t) => !entered.has(t.id)))
      })
      .catch(setError)
  }
  useDidShow(load)

  async function enter(t: TicketSummaryView) {
    const step = pendingTipStep(t)
    if (step === 'enter') return openPage(Routes.staffHazardNew(t.id))
    if (step === 'needs-handler') return openPage(Routes.staffTicket(t.id))
    if (busyId) return
    setBusyId(t.id)
    try {
      await ticketsService.transition(t.id, { event: 'accept' }, newIdempotencyKey())
      openPage(Routes.staffHazardNew(t.id))
    } catch (err) {
      void showError(err)
    } finally {
      setBusyId(undefined)
    }
  }

  if (error) return <StateView error={error} onRetry={load} />
  if (tips.length === 0) return null
  return (
    <View className='card pending-tips'>
      <View className='card-title'>待入账的隐患举报</View>
      <View className='muted'>核实后入账；尚未签收的举报会先签收再入账。</View>
      {tips.map((t) => {
        const step = pendingTipStep(t)
        const label = step === 'enter' ? '入账' : step === 'accept-then-enter' ? '签收并入账' : '尚待签收'
        const place = typeof t.details?.place === 'string' ? t.details.place : t.description.slice(0, 30)
        const building = typeof t.details?.building === 'string' ? ` ${t.details.building}` : ''
        return (
          <View key={t.id} className={`row pending-tip pending-tip-${step}`} {...pressable(() => void enter(t), { label: `${label}：${t.number}` })} onClick={() => void enter(t)}>
            <View className='switch-text'>
              <Text>{`${t.categoryName ?? t.category} · ${t.number}`}</Text>
              <Text className='muted'>{`${place}${building}`}</Text>
            </View>
            <Text className='muted'>{busyId === t.id ? '正在签收…' : `${label} ›`}</Text>
          </View>
        )
      })}
    </View>
  )
}

function Ledger() {
  const session = useSession()
  const [status, setStatus] = useState<HazardStatus | 'all'>('all')
  const [kind, setKind] = useState<HazardKind | 'all'>('all')
  const [overdue, setOverdue] = useState(false)
  const filter: HazardFilter = { ...scopeFilter(session), ...(status !== 'all' ? { status } : {}), ...(kind !== 'all' ? { kind } : {}), overdue }
  const list = usePagedList((cursor) => hazardsService.list(filter, cursor), { reloadOnShow: true })
  const exporting = useAction()
  const firstFilter = useRef(true)
  useEffect(() => {
    if (firstFilter.current) firstFilter.current = false
    else void list.reload()
  }, [status, kind, overdue])

  async function handleExport() {
    await exporting.run(async () => {
      try {
        const name = await hazardsService.exportCsv(filter)
        void Taro.showToast({ title: `已导出 ${name}`, icon: 'none' })
      } catch (err) {
        void showError(err)
      }
    })
  }

  return (
    <>
      <View className='card'>
        <View className='staff-toolbar'>
          <SelectField name='status' label='状态' options={STATUS_OPTIONS} value={status} onChange={setStatus} />
          <SelectField name='kind' label='类型' options={KIND_OPTIONS} value={kind} onChange={setKind} />
        </View>
        <ToggleField name='overdue' label='只看整改超期' checked={overdue} onChange={setOverdue} />
        <View className='btn-row'>
          <ActionButton kind='ghost' className='hazard-export' busy={exporting.busy} busyText='正在导出…' onClick={() => void handleExport()}>
            导出表格
          </ActionButton>
          {hasRole(session, StaffRoles.hazardWriters) ? (
            <ActionButton className='hazard-new' onClick={() => openPage(Routes.staffHazardNew())}>
              登记隐患
            </ActionButton>
          ) : null}
        </View>
      </View>
      {hasRole(session, StaffRoles.hazardWriters) ? <PendingTips /> : null}
      <StateView
        loading={list.loading}
        error={list.items.length === 0 ? list.error : undefined}
        empty={!list.loading && !list.error && list.items.length === 0}
        emptyText='没有符合条件的隐患'
        onRetry={() => void list.reload()}
      />
      {list.loading
        ? null
        : list.items.map((h) => (
            <View key={h.id} className='card list-card hazard-card' role='button' onClick={() => openPage(Routes.staffHazard(h.id))}>
              <View className='list-card-head'>
                <Text className='list-card-title'>{`${h.place}${h.building ? ` ${h.building}` : ''}`}</Text>
                <View>
                  {h.overdue ? <Tag tone='danger'>超期</Tag> : null}
                  <Tag tone={h.status === 'closed' ? 'ok' : 'warn'}>{HAZARD_STATUS_LABELS[h.status]}</Tag>
                </View>
              </View>
              <View className='list-card-meta'>{`${h.number} · ${HAZARD_KIND_LABELS[h.kind]} · 风险${RISK_LABELS[h.riskLevel]} · ${h.community?.name ?? h.street.name}`}</View>
              {h.rectificationDeadline && h.status !== 'closed' ? <View className='list-card-meta'>{`整改期限 ${formatTime(h.rectificationDeadline)}`}</View> : null}
            </View>
          ))}
      <ListFooter loadingMore={list.loadingMore} hasMore={list.hasMore} count={list.items.length} />
    </>
  )
}

/** 隐患台账: entries in scope filtered by status, kind and overdue; export to CSV; new entries. */
export default function StaffHazardsPage() {
  return (
    <PageShell className='staff-hazards'>
      <StaffOnly roles={StaffRoles.hazards} back={Routes.staffHazards}>
        <Ledger />
      </StaffOnly>
    </PageShell>
  )
}
