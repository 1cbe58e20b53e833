import { View, Text } from '@tarojs/components'
import { useRouter } from '@tarojs/taro'
import { PageShell } from '../../../components/page-shell'
import { StateView } from '../../../components/state-view'
import { ActionButton } from '../../../components/buttons'
import { InfoRow } from '../../../components/facts'
import { useResource } from '../../../hooks/use-resource'
import { testingPointsService } from '../../../services/testing-points.service'
import { formatTime, QUEUE_LABELS, WEEKDAY_LABELS, formatOpeningHours } from '../../../utils/format'
import { PointStatus } from '../components/point-status'
import '../components/points.scss'
import { openNavigation } from '../../../components/map/navigate'

/** One testing point: status now, queue, address, the week's hours day by day, and the way there. */
export default function PointDetailPage() {
  const { params } = useRouter()
  const res = useResource(() => testingPointsService.get(params.id ?? ''))
  const p = res.data
  if (!p)
    return (
      <PageShell>
        <StateView loading={res.loading} error={res.error} onRetry={() => void res.reload()} />
      </PageShell>
    )

  const days = [1, 2, 3, 4, 5, 6, 7].map((day) => ({
    day,
    periods: p.openingHours.weekly.filter((x) => x.day === day).map((x) => `${x.open}–${x.close}`)
  }))
  return (
    <PageShell className='point-detail'>
      <View className='card'>
        <View className='list-card-head'>
          <Text className='list-card-title'>{p.name}</Text>
          <PointStatus point={p} />
        </View>
        <InfoRow label='地址'>{p.address}</InfoRow>
        <InfoRow label='所属'>{`${p.street.name} ${p.community.name}`}</InfoRow>
        {p.status === 'open' ? <InfoRow label='排队情况'>{QUEUE_LABELS[p.queueLevel]}</InfoRow> : null}
        <InfoRow label='开放时间'>{formatOpeningHours(p.openingHours)}</InfoRow>
        {p.openingHours.note ? <InfoRow label='说明'>{p.openingHours.note}</InfoRow> : null}
        <InfoRow label='更新时间'>{formatTime(p.updatedAt)}</InfoRow>
      </View>
      <View className='card'>
        <View className='card-title'>每周开放时间</View>
        {days.map((d) => (
          <View key={d.day} className='row'>
            <Text>{WEEKDAY_LABELS[d.day]}</Text>
            <Text className={d.periods.length ? '' : 'muted'}>{d.periods.length ? d.periods.join('、') : '不开放'}</Text>
          </View>
        ))}
      </View>
      {/* WeChat's map wants GCJ-02, H5 opens Amap: openNavigation converts the stored WGS-84 point (docs/maps.md). */}
      <ActionButton className='btn-block point-navigate' onClick={() => void openNavigation({ point: p.location, name: p.name, address: p.address })}>
        查看地图与导航
      </ActionButton>
    </PageShell>
  )
}
