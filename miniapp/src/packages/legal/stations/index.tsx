import { useState } from 'react'
import { View, Text } from '@tarojs/components'
import type { StationLevel } from '@palm/shared'
import { PageShell } from '../../../components/page-shell'
import { StateView } from '../../../components/state-view'
import { Chips, Tag } from '../../../components/service-ui'
import { useResource } from '../../../hooks/use-resource'
import { legalService } from '../../../services/legal.service'
import { openPage, openSignedIn, Routes } from '../../../utils/routes'
import { STATION_KIND_LABELS, STATION_LEVEL_LABELS, formatMinutes } from '../../../utils/format'
import '../components/legal.scss'

type LevelFilter = StationLevel | 'all'
const LEVELS: Array<{ value: LevelFilter; label: string }> = [
  { value: 'all', label: '全部' },
  { value: 'district', label: '区级' },
  { value: 'street', label: '街道' },
  { value: 'community', label: '社区' },
  { value: 'special', label: '1826·调解' }
]

/** 三级法律援助平台: district, sub-district and community stations, plus 1826 and the mediation centre. */
export default function LegalStationsPage() {
  const [level, setLevel] = useState<LevelFilter>('all')
  const stations = useResource(() => legalService.stations(), { reloadOnShow: false })
  const shown = (stations.data ?? []).filter((s) => s.active && (level === 'all' || s.level === level))

  return (
    <PageShell className='legal-stations'>
      <View className='card legal-intro'>
        <View className='card-title'>免费法律咨询预约</View>
        <View className='muted'>选择离您最近的服务站，预约律师、调解员或咨询师面对面咨询。</View>
        <View className='link-row my-bookings-link' onClick={() => openSignedIn(Routes.myBookings)}>
          我的预约 ›
        </View>
      </View>
      <Chips options={LEVELS} value={level} onChange={setLevel} className='level-chips' />
      <StateView loading={stations.loading} error={stations.error} empty={!stations.loading && !stations.error && shown.length === 0} emptyText='暂无该级别的服务站' onRetry={() => void stations.reload()} />
      {stations.loading || stations.error
        ? null
        : shown.map((s) => (
            <View key={s.id} className='card list-card station-card' role='button' onClick={() => openPage(Routes.legalStation(s.id))}>
              <View className='list-card-head'>
                <Text className='list-card-title'>{s.name}</Text>
                <Tag tone='ok'>{STATION_LEVEL_LABELS[s.level]}</Tag>
              </View>
              <View className='list-card-meta'>{STATION_KIND_LABELS[s.kind]} · {s.address}</View>
              {s.topics.length ? (
                <View className='topic-tags'>
                  {s.topics.map((t) => (
                    <Tag key={t}>{t}</Tag>
                  ))}
                </View>
              ) : null}
              <View className='list-card-meta'>{`需提前 ${formatMinutes(s.minLeadMinutes)}预约 · 查看可约时段 ›`}</View>
            </View>
          ))}
    </PageShell>
  )
}
