import { View, Text } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { PageShell } from '../../../components/page-shell'
import { StateView } from '../../../components/state-view'
import { ActionButton } from '../../../components/buttons'
import { SignInCard } from '../../../components/access-cards'
import { useAction, useResource } from '../../../hooks/use-resource'
import { useSession } from '../../../hooks/use-session'
import { testingPointsService } from '../../../services/testing-points.service'
import { formatDistance, formatTime } from '../../../utils/format'
import { openSignedIn, Routes } from '../../../utils/routes'
import { usePosition } from '../components/use-position'
import '../components/points.scss'
import { showError } from '../../../services/show-error'

/** Open requests within 3 km (no requester shown); a resident supports each once. */
function Requests() {
  const { state: position, locate } = usePosition()
  const action = useAction()
  const list = useResource(() => (position.status === 'ok' ? testingPointsService.listRequests({ lat: position.lat, lng: position.lng }) : Promise.resolve([])), {
    reloadOnShow: false,
    deps: [position.status]
  })

  async function handleSupport(ticketId: string) {
    await action.run(async () => {
      try {
        const support = await testingPointsService.support(ticketId)
        list.setData((items) => items?.map((r) => (r.ticketId === ticketId ? { ...r, supportCount: support.supportCount, supportedByMe: true } : r)))
        void Taro.showToast({ title: '已支持', icon: 'success' })
      } catch (err) {
        void showError(err)
        void list.reload(true)
      }
    })
  }

  if (position.status === 'denied') {
    return (
      <View className='card'>
        <View className='muted'>需要您的位置才能找到附近的申请。</View>
        <ActionButton className='btn-block' onClick={() => void locate()}>
          重新定位
        </ActionButton>
      </View>
    )
  }
  const items = list.data ?? []
  if (!list.data || position.status === 'locating') return <StateView loading={list.loading || position.status === 'locating'} error={list.error} onRetry={() => void list.reload()} />
  if (items.length === 0) return <StateView empty emptyText='附近 3 公里内暂无增设申请' />
  return (
    <>
      {items.map((r) => (
        <View key={r.ticketId} className='card list-card request-card'>
          <View className='list-card-head'>
            <Text className='list-card-title'>{r.place}</Text>
            {r.distance !== undefined ? <Text className='point-distance'>{formatDistance(r.distance)}</Text> : null}
          </View>
          <View className='list-card-meta'>{r.reason}</View>
          <View className='list-card-meta'>{`${r.community?.name ?? ''} · ${formatTime(r.createdAt)}${r.peopleServed ? ` · 约 ${r.peopleServed} 人` : ''}`}</View>
          <View className='request-foot'>
            <Text>
              <Text className='support-count'>{r.supportCount}</Text> 位邻居支持
            </Text>
            <ActionButton kind={r.supportedByMe ? 'plain' : 'primary'} className='support-btn' disabled={r.supportedByMe} busy={action.busy} onClick={() => void handleSupport(r.ticketId)}>
              {r.supportedByMe ? '已支持' : '我也需要 +1'}
            </ActionButton>
          </View>
        </View>
      ))}
    </>
  )
}

export default function PointRequestsPage() {
  const session = useSession()
  return (
    <PageShell className='point-requests'>
      {session ? <Requests /> : <SignInCard reason='登录后查看并支持附近的增设申请。' back={Routes.pointRequests} />}
      <ActionButton kind='ghost' className='btn-block' onClick={() => openSignedIn(Routes.pointRequest)}>
        我要申请增设
      </ActionButton>
    </PageShell>
  )
}
