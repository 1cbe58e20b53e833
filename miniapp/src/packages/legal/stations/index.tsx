import { useState } from 'react'
import { View, Text } from '@tarojs/components'
import Taro from '@tarojs/taro'
import type { StationLevel } from '@palm/shared'
import { PageShell } from '../../../components/page-shell'
import { StateView } from '../../../components/state-view'
import { Chips } from '../../../components/fields'
import { Tag } from '../../../components/facts'
import { useResource } from '../../../hooks/use-resource'
import { legalService } from '../../../services/legal.service'
import { openPage, openSignedIn, Routes } from '../../../utils/routes'
import { STATION_KIND_LABELS, STATION_LEVEL_LABELS, formatDistance, formatMinutes } from '../../../utils/format'
import { openNavigation, type NavigationTarget } from '../../../components/map/navigate'
import { pressable } from '../../../components/a11y'
import '../components/legal.scss'

type LevelFilter = StationLevel | 'all'
const LEVELS: Array<{ value: LevelFilter; label: string }> = [
  { value: 'all', label: '全部' },
  { value: 'district', label: '区级' },
  { value: 'street', label: '街道' },
  { value: 'community', label: '社区' },
  { value: 'special', label: '1826·调解' }
]

/** 导航 ›: the phone's map app at the station; a link of its own under the tappable card (not inside it: no nested controls). */
function NavigateLink({ target }: { target: NavigationTarget }) {
  const go = () => void openNavigation(target)
  return (
    <View
      className='link-row station-navigate'
      {...pressable(go, { role: 'link', label: `导航到${target.name}` })}
      onClick={(e) => {
        e.stopPropagation()
        go()
      }}
    >
      导航 ›
    </View>
  )
}

/** 三级法律援助平台: district, sub-district and community stations, plus 1826 and the mediation centre. */
export default function LegalStationsPage() {
  const [level, setLevel] = useState<LevelFilter>('all')
  const [near, setNear] = useState<NavigationTarget['point']>()
  const [locating, setLocating] = useState<'idle' | 'busy' | 'denied'>('idle')
  const stations = useResource(() => legalService.stations(undefined, near), { reloadOnShow: false, deps: [near?.lat, near?.lng] })

  /** The phone's position (WGS-84): the server then lists the stations nearest first, with distances. */
  async function sortByDistance() {
    setLocating('busy')
    try {
      const pos = await Taro.getLocation({ type: 'wgs84' })
      setNear({ lat: pos.latitude, lng: pos.longitude, coordSystem: 'wgs84' })
      setLocating('idle')
    } catch {
      setLocating('denied')
    }
  }
  const shown = (stations.data ?? []).filter((s) => s.active && (level === 'all' || s.level === level))

  return (
    <PageShell className='legal-stations'>
      <View className='card legal-intro'>
        <View className='card-title'>免费法律咨询预约</View>
        <View className='muted'>选择离您最近的服务站，预约律师、调解员或咨询师面对面咨询。</View>
        <View className='link-row my-bookings-link' role='link' onClick={() => openSignedIn(Routes.myBookings)}>
          我的预约 ›
        </View>
      </View>
      <Chips options={LEVELS} value={level} onChange={setLevel} className='level-chips' />
      <View className='link-row stations-near' {...pressable(() => void sortByDistance(), { role: 'button' })} onClick={() => void sortByDistance()}>
        {locating === 'busy' ? '正在定位…' : near ? '已按距离排序 · 重新定位' : '按离我的距离排序 ›'}
      </View>
      {locating === 'denied' ? <View className='notice'>未能获取您的位置（可能未授权定位），服务站按级别排列。</View> : null}
      <StateView
        loading={stations.loading}
        error={stations.error}
        empty={!stations.loading && !stations.error && shown.length === 0}
        emptyText='暂无该级别的服务站'
        onRetry={() => void stations.reload()}
      />
      {stations.loading || stations.error
        ? null
        : shown.map((s) => (
            <View key={s.id} className='station-item'>
              <View className='card list-card station-card' role='button' onClick={() => openPage(Routes.legalStation(s.id))}>
                <View className='list-card-head'>
                  <Text className='list-card-title'>{s.name}</Text>
                  <Tag tone='ok'>{STATION_LEVEL_LABELS[s.level]}</Tag>
                </View>
                <View className='list-card-meta'>
                  {STATION_KIND_LABELS[s.kind]} · {s.address}
                  {s.distance !== undefined ? <Text className='station-distance'>{` · ${formatDistance(s.distance)}`}</Text> : null}
                </View>
                {s.topics.length ? (
                  <View className='topic-tags'>
                    {s.topics.map((t) => (
                      <Tag key={t}>{t}</Tag>
                    ))}
                  </View>
                ) : null}
                <View className='list-card-meta'>{`需提前 ${formatMinutes(s.minLeadMinutes)}预约 · 查看可约时段 ›`}</View>
              </View>
              {s.location ? <NavigateLink target={{ point: s.location, name: s.name, address: s.address }} /> : null}
            </View>
          ))}
    </PageShell>
  )
}
