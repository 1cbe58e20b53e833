import { useState } from 'react'
import { View, Text } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import type { BookingStatus } from '@palm/shared'
import { PageShell } from '../../../components/page-shell'
import { StateView } from '../../../components/state-view'
import { ActionButton } from '../../../components/buttons'
import { Chips } from '../../../components/fields'
import { StaffOnly } from '../../../components/access-cards'
import { Tag } from '../../../components/facts'
import { useAction, useResource } from '../../../hooks/use-resource'
import { legalService } from '../../../services/legal.service'
import { openPage, Routes } from '../../../utils/routes'
import { BOOKING_STATUS_LABELS, formatSpan } from '../../../utils/format'
import { ProviderForm } from '../components/provider-form'
import { ProviderPanel } from '../components/provider-panel'
import { StaffRoles } from '../components/staff-scope'
import '../components/staff.scss'
import { showError } from '../../../services/show-error'

type Tab = 'bookings' | 'providers'
const STATUS: Array<{ value: BookingStatus | 'all'; label: string }> = [
  { value: 'booked', label: '待咨询' },
  { value: 'completed', label: '已咨询' },
  { value: 'no_show', label: '未到场' },
  { value: 'all', label: '全部' }
]

/** A station's day-to-day: its bookings (no-show, record), its providers and weekly schedules, slot generation. */
function Station({ id }: { id: string }) {
  const [tab, setTab] = useState<Tab>('bookings')
  const [status, setStatus] = useState<BookingStatus | 'all'>('booked')
  const station = useResource(() => legalService.station(id))
  const bookings = useResource(() => legalService.stationBookings(id, status === 'all' ? undefined : status), { deps: [status] })
  const action = useAction()
  const s = station.data
  if (!s) return <StateView loading={station.loading} error={station.error} onRetry={() => void station.reload()} />

  async function handleGenerate() {
    await action.run(async () => {
      try {
        const res = await legalService.generateSlots(id, 14)
        void Taro.showToast({ title: `已生成 ${res.slots} 个时段`, icon: 'none' })
      } catch (err) {
        void showError(err)
      }
    })
  }

  return (
    <>
      <View className='card'>
        <View className='list-card-head'>
          <Text className='list-card-title'>{s.name}</Text>
          <Text className='link-row' onClick={() => openPage(Routes.staffStationEdit(id))}>
            设置 ›
          </Text>
        </View>
        <View className='list-card-meta'>{s.address}</View>
      </View>
      <Chips
        options={[
          { value: 'bookings', label: '预约名单' },
          { value: 'providers', label: '人员与排班' }
        ]}
        value={tab}
        onChange={setTab}
      />
      {tab === 'bookings' ? (
        <>
          <Chips options={STATUS} value={status} onChange={setStatus} className='status-chips' />
          {bookings.data === undefined || bookings.loading ? <StateView loading={bookings.loading} error={bookings.error} onRetry={() => void bookings.reload()} /> : null}
          {bookings.data?.length === 0 && !bookings.loading ? <StateView empty emptyText='没有这类预约' /> : null}
          {bookings.loading
            ? null
            : (bookings.data ?? []).map((b) => (
                <View key={b.id} className='card list-card staff-booking' role='button' onClick={() => openPage(Routes.staffBooking(b.id))}>
                  <View className='list-card-head'>
                    <Text className='list-card-title'>{formatSpan(b.startsAt, b.endsAt)}</Text>
                    <Tag tone={b.status === 'booked' ? 'warn' : b.status === 'completed' ? 'ok' : 'plain'}>{BOOKING_STATUS_LABELS[b.status]}</Tag>
                  </View>
                  <View className='list-card-meta'>{`${b.resident?.displayName ?? '居民'} · ${b.topic} · ${b.provider.name}`}</View>
                </View>
              ))}
        </>
      ) : (
        <>
          <ActionButton kind='ghost' className='btn-block generate-slots' busy={action.busy} onClick={() => void handleGenerate()}>
            按排班生成未来 14 天时段
          </ActionButton>
          {(s.providers ?? []).map((p) => (
            <ProviderPanel key={p.id} provider={p} />
          ))}
          <ProviderForm stationId={id} onAdded={() => void station.reload(true)} />
        </>
      )}
    </>
  )
}

export default function StaffStationPage() {
  const { params } = useRouter()
  return (
    <PageShell className='staff-station'>
      <StaffOnly roles={StaffRoles.stations} back={Routes.staffStations}>
        <Station id={params.id ?? ''} />
      </StaffOnly>
    </PageShell>
  )
}
