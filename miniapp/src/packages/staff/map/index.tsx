import { useMemo, useState } from 'react'
import { View, Text } from '@tarojs/components'
import type { MapTicketView } from '@palm/shared'
import { PageShell } from '../../../components/page-shell'
import { StateView } from '../../../components/state-view'
import { Chips } from '../../../components/fields'
import { pressable } from '../../../components/a11y'
import { MARKER_COLOURS, PlaceMap, openNavigation, type MapMarker } from '../../../components/map/index'
import { useResource } from '../../../hooks/use-resource'
import { mapsService } from '../../../services/maps.service'
import { STATE_LABELS } from '../../../utils/format'
import { Routes, openPage } from '../../../utils/routes'
import './index.scss'

type StateFilter = 'open' | 'done' | 'all'
const FILTERS: Array<{ value: StateFilter; label: string }> = [
  { value: 'open', label: '未办结' },
  { value: 'done', label: '已办结' },
  { value: 'all', label: '全部' }
]

function toneOf(t: MapTicketView): MapMarker['tone'] {
  if (t.stateGroup === 'done') return 'done'
  return t.overdue ? 'overdue' : 'open'
}

function labelOf(t: MapTicketView): string {
  return `${t.number} ${STATE_LABELS[t.state] ?? t.state}${t.overdue ? '（已超时）' : ''}：${t.title}`
}

/**
 * 工单地图 (docs/maps.md): the tickets of the staff member's scope on a map over their grids, clustered,
 * coloured by state (blue open, red overdue, grey done); a marker opens the ticket. The list under the
 * map holds the same tickets for keyboards and screen readers, each with navigation to its spot.
 */
export default function StaffMapPage() {
  const [state, setState] = useState<StateFilter>('open')
  const data = useResource(() => mapsService.tickets('wgs84', state), { deps: [state] })
  const items = useMemo(() => data.data?.items ?? [], [data.data])
  const markers = useMemo<MapMarker[]>(() => items.map((t) => ({ id: t.id, point: t.point, label: labelOf(t), tone: toneOf(t) })), [items])
  const scope = data.data?.scope

  return (
    <PageShell className='staff-map'>
      <Chips options={FILTERS} value={state} onChange={setState} className='staff-map-filters' />
      <StateView loading={data.loading} error={data.error} onRetry={() => void data.reload()} />
      {data.data ? (
        <>
          <PlaceMap mode='view' label={`工单地图：${items.length} 件工单`} grids={scope} markers={markers} onMarkerTap={(id) => openPage(Routes.staffTicket(id))} height={380} />
          <View className='staff-map-legend' aria-label='图例'>
            <Text className='legend-item'>
              <Text className='legend-dot' style={{ background: MARKER_COLOURS.open }} />
              未办结
            </Text>
            <Text className='legend-item'>
              <Text className='legend-dot' style={{ background: MARKER_COLOURS.overdue }} />
              已超时
            </Text>
            <Text className='legend-item'>
              <Text className='legend-dot' style={{ background: MARKER_COLOURS.done }} />
              已办结
            </Text>
          </View>
          {data.data.truncated ? <View className='notice'>工单较多，地图只显示最紧急的 1000 件。</View> : null}
          {items.length === 0 ? <View className='muted staff-map-empty'>范围内没有带位置的工单。</View> : null}
          <View className='staff-map-list' role='list' aria-label='地图上的工单'>
            {items.map((t) => (
              <View key={t.id} className={`card list-card staff-map-item tone-${toneOf(t)}`} role='listitem'>
                <Text className='list-card-title staff-map-open' {...pressable(() => openPage(Routes.staffTicket(t.id)), { role: 'link' })} onClick={() => openPage(Routes.staffTicket(t.id))}>
                  {labelOf(t)}
                </Text>
                <View className='list-card-meta'>
                  {t.address ?? ''}
                  <Text
                    className='staff-map-navigate'
                    {...pressable(() => void openNavigation({ point: t.point, name: t.number, address: t.address ?? undefined }), { role: 'link', label: `导航到 ${t.number}` })}
                    onClick={() => void openNavigation({ point: t.point, name: t.number, address: t.address ?? undefined })}
                  >
                    导航 ›
                  </Text>
                </View>
              </View>
            ))}
          </View>
        </>
      ) : null}
    </PageShell>
  )
}
