import { View, Text } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { PageShell } from '../../../components/page-shell'
import { StateView } from '../../../components/state-view'
import { InfoRow, Tag } from '../../../components/facts'
import { StaffOnly } from '../../../components/access-cards'
import { useResource } from '../../../hooks/use-resource'
import { hazardsService } from '../../../services/hazards.service'
import { ROLE_LABELS, formatTime, HAZARD_EVENT_LABELS, HAZARD_KIND_LABELS, HAZARD_STATUS_LABELS, RISK_LABELS } from '../../../utils/format'
import { openPage, Routes } from '../../../utils/routes'
import { HazardTransitionForm } from '../components/hazard-transition-form'
import { StaffRoles } from '../components/staff-scope'
import '../components/staff.scss'

function Hazard({ id }: { id: string }) {
  const res = useResource(() => hazardsService.get(id))
  const h = res.data
  if (!h) return <StateView loading={res.loading} error={res.error} onRetry={() => void res.reload()} />
  return (
    <>
      <View className='card'>
        <View className='list-card-head'>
          <Text className='list-card-title'>{`${h.place}${h.building ? ` ${h.building}` : ''}`}</Text>
          <View>
            {h.overdue ? <Tag tone='danger'>超期</Tag> : null}
            <Tag tone={h.status === 'closed' ? 'ok' : 'warn'} className='hazard-status'>
              {HAZARD_STATUS_LABELS[h.status]}
            </Tag>
          </View>
        </View>
        <InfoRow label='编号'>{h.number}</InfoRow>
        <InfoRow label='类型'>{`${HAZARD_KIND_LABELS[h.kind]} · 风险${RISK_LABELS[h.riskLevel]}`}</InfoRow>
        <InfoRow label='所在'>{`${h.street.name} ${h.community?.name ?? ''} ${h.gridCode ?? ''}`}</InfoRow>
        {h.description ? <InfoRow label='情况'>{h.description}</InfoRow> : null}
        {h.appraisal ? <InfoRow label='鉴定结论'>{`${h.appraisal}${h.appraisalOrg ? `（${h.appraisalOrg}）` : ''}`}</InfoRow> : null}
        {h.rectificationPlan ? <InfoRow label='整改方案'>{h.rectificationPlan}</InfoRow> : null}
        {h.rectificationDeadline ? <InfoRow label='整改期限'>{formatTime(h.rectificationDeadline)}</InfoRow> : null}
        <InfoRow label='登记时间'>{formatTime(h.createdAt)}</InfoRow>
        {h.closedAt ? <InfoRow label='销账时间'>{formatTime(h.closedAt)}</InfoRow> : null}
        {h.sourceTicketId ? (
          <View className='link-row' onClick={() => openPage(Routes.staffTicket(h.sourceTicketId ?? ''))}>
            查看来源举报工单 ›
          </View>
        ) : null}
      </View>
      <HazardTransitionForm
        hazard={h}
        onDone={(next) => {
          res.setData(next)
          void Taro.showToast({ title: '已办理', icon: 'success' })
          void res.reload(true)
        }}
      />
      <View className='card'>
        <View className='card-title'>办理记录</View>
        {(h.events ?? []).map((e, i) => (
          <View key={`${e.at}-${i}`} className='event-row'>
            <View>{`${formatTime(e.at)} · ${HAZARD_EVENT_LABELS[e.event as keyof typeof HAZARD_EVENT_LABELS] ?? '登记'} → ${HAZARD_STATUS_LABELS[e.toStatus as keyof typeof HAZARD_STATUS_LABELS] ?? e.toStatus}`}</View>
            <View className='muted'>{`${ROLE_LABELS[e.actor.role] ?? ''} ${e.actor.displayName}${e.note ? `：${e.note}` : ''}`}</View>
          </View>
        ))}
      </View>
    </>
  )
}

/** One ledger entry: its facts, its next step, and every step so far. */
export default function StaffHazardPage() {
  const { params } = useRouter()
  return (
    <PageShell className='staff-hazard'>
      <StaffOnly roles={StaffRoles.hazards} back={Routes.staffHazards}>
        <Hazard id={params.id ?? ''} />
      </StaffOnly>
    </PageShell>
  )
}
