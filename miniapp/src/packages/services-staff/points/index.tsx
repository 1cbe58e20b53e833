import { View, Text } from '@tarojs/components'
import { PageShell } from '../../../components/page-shell'
import { StateView } from '../../../components/state-view'
import { ActionButton } from '../../../components/buttons'
import { StaffOnly } from '../../../components/access-cards'
import { Tag } from '../../../components/facts'
import { useResource } from '../../../hooks/use-resource'
import { useSession } from '../../../hooks/use-session'
import { testingPointsService } from '../../../services/testing-points.service'
import { formatTime, POINT_STATUS_LABELS, QUEUE_LABELS, formatOpeningHours } from '../../../utils/format'
import { openPage, Routes } from '../../../utils/routes'
import { StaffRoles, hasRole, scopeFilter } from '../components/staff-scope'
import '../components/staff.scss'

function Points() {
  const session = useSession()
  const scope = scopeFilter(session)
  const approver = hasRole(session, StaffRoles.approveRequests)
  const points = useResource(() => testingPointsService.list({ ...scope, includeClosed: true }))
  const requests = useResource(() => (approver && scope.communityCode ? testingPointsService.listRequests({ communityCode: scope.communityCode }) : Promise.resolve([])))

  return (
    <>
      {approver ? (
        <>
          <View className='section-title'>待审核的增设申请</View>
          {requests.data === undefined ? <StateView loading={requests.loading} error={requests.error} onRetry={() => void requests.reload()} /> : null}
          {requests.data?.length === 0 ? <View className='card muted'>暂无待审核的申请</View> : null}
          {(requests.data ?? []).map((r) => (
            <View key={r.ticketId} className='card list-card staff-request'>
              <View className='list-card-head'>
                <Text className='list-card-title'>{r.place}</Text>
                <Tag tone='warn'>{`${r.supportCount} 人支持`}</Tag>
              </View>
              <View className='list-card-meta'>{r.reason}</View>
              <View className='list-card-meta'>{`${r.number ?? ''} · ${formatTime(r.createdAt)}${r.peopleServed ? ` · 约 ${r.peopleServed} 人` : ''}`}</View>
              <ActionButton className='btn-block approve-request' onClick={() => openPage(Routes.staffPointEdit({ requestId: r.ticketId }))}>
                审核并发布检测点
              </ActionButton>
            </View>
          ))}
        </>
      ) : null}
      <View className='list-card-head'>
        <Text className='section-title'>辖区检测点</Text>
        <Text className='link-row new-point' onClick={() => openPage(Routes.staffPointEdit())}>
          ＋ 新增检测点
        </Text>
      </View>
      {points.data === undefined ? <StateView loading={points.loading} error={points.error} onRetry={() => void points.reload()} /> : null}
      {points.data?.length === 0 ? <StateView empty emptyText='辖区内还没有检测点' /> : null}
      {(points.data ?? []).map((p) => (
        <View key={p.id} className='card list-card staff-point' role='button' onClick={() => openPage(Routes.staffPointEdit({ id: p.id }))}>
          <View className='list-card-head'>
            <Text className='list-card-title'>{p.name}</Text>
            <Tag tone={p.status === 'open' ? 'ok' : p.status === 'paused' ? 'warn' : 'plain'}>{POINT_STATUS_LABELS[p.status]}</Tag>
          </View>
          <View className='list-card-meta'>{`${p.community.name} · ${p.address}`}</View>
          <View className='list-card-meta'>{`${formatOpeningHours(p.openingHours)} · ${QUEUE_LABELS[p.queueLevel]}`}</View>
        </View>
      ))}
    </>
  )
}

/** Testing points in the staff member's scope (closed ones too) and the community's open requests. */
export default function StaffPointsPage() {
  return (
    <PageShell className='staff-points'>
      <StaffOnly roles={StaffRoles.points} back={Routes.staffPoints}>
        <Points />
      </StaffOnly>
    </PageShell>
  )
}
