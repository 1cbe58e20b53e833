import { useState } from 'react'
import { View, Text } from '@tarojs/components'
import { PageShell } from '../../../components/page-shell'
import { StateView } from '../../../components/state-view'
import { ActionButton } from '../../../components/buttons'
import { Chips } from '../../../components/fields'
import { useResource } from '../../../hooks/use-resource'
import { testingPointsService } from '../../../services/testing-points.service'
import { formatDistance, QUEUE_LABELS, formatOpeningHours } from '../../../utils/format'
import { openPage, openSignedIn, Routes } from '../../../utils/routes'
import { PointStatus } from '../components/point-status'
import { usePosition } from '../components/use-position'
import '../components/points.scss'
import { pressable } from '../../../components/a11y'

type Filter = 'all' | 'open_now'
const FILTERS = [
  { value: 'all' as const, label: '全部检测点' },
  { value: 'open_now' as const, label: '营业中' }
]

/** Testing points nearest first with their distance; "营业中" keeps those open right now. */
export default function PointsListPage() {
  const { state: position, locate } = usePosition()
  const [filter, setFilter] = useState<Filter>('all')
  const here = position.status === 'ok' ? { lat: position.lat, lng: position.lng } : {}
  const points = useResource(() => testingPointsService.list({ ...here, openNow: filter === 'open_now' }), { reloadOnShow: false, deps: [position.status, filter] })

  const items = points.data ?? []
  return (
    <PageShell className='points-list'>
      <View className='locate-bar'>
        <Text>{position.status === 'ok' ? '已按离您的距离排序' : position.status === 'locating' ? '正在获取您的位置…' : '未获取位置，无法显示距离'}</Text>
        {position.status === 'denied' ? (
          <Text className='locate-again' {...pressable(() => void locate())} onClick={() => void locate()}>
            重新定位
          </Text>
        ) : null}
      </View>
      <Chips options={FILTERS} value={filter} onChange={setFilter} className='point-filter' />
      {points.data ? null : <StateView loading={points.loading || position.status === 'locating'} error={points.error} onRetry={() => void points.reload()} />}
      {points.data && items.length === 0 ? <StateView empty emptyText={filter === 'open_now' ? '附近暂无营业中的检测点' : '暂无检测点'} /> : null}
      {items.map((p) => (
        <View key={p.id} className='card list-card point-card' role='button' onClick={() => openPage(Routes.point(p.id))}>
          <View className='list-card-head'>
            <Text className='list-card-title'>{p.name}</Text>
            {p.distance !== undefined ? <Text className='point-distance'>{formatDistance(p.distance)}</Text> : null}
          </View>
          <View>
            <PointStatus point={p} />
            {p.status === 'open' ? <Text className='tag'>{QUEUE_LABELS[p.queueLevel]}</Text> : null}
          </View>
          <View className='list-card-meta'>{p.address}</View>
          <View className='list-card-meta'>{formatOpeningHours(p.openingHours)}</View>
        </View>
      ))}
      <View className='card'>
        <View className='card-title'>附近没有检测点？</View>
        <View className='muted'>可以申请在您的小区增设检测点，邻居们可以一起支持。</View>
        <View className='btn-row points-actions'>
          <ActionButton className='request-new' onClick={() => openSignedIn(Routes.pointRequest)}>
            申请增设
          </ActionButton>
          <ActionButton kind='ghost' className='see-requests' onClick={() => openPage(Routes.pointRequests)}>
            看看附近的申请
          </ActionButton>
        </View>
      </View>
    </PageShell>
  )
}
