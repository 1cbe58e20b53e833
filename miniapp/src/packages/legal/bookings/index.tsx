import { View, Text } from '@tarojs/components'
import { PageShell } from '../../../components/page-shell'
import { StateView } from '../../../components/state-view'
import { ActionButton } from '../../../components/buttons'
import { SignInCard } from '../../../components/access-cards'
import { Tag } from '../../../components/facts'
import { useResource } from '../../../hooks/use-resource'
import { useSession } from '../../../hooks/use-session'
import { legalService } from '../../../services/legal.service'
import { openPage, Routes } from '../../../utils/routes'
import { BOOKING_STATUS_LABELS, PROVIDER_KIND_LABELS, formatSpan } from '../../../utils/format'
import { BOOKING_TONES } from '../components/booking-tones'
import '../components/legal.scss'

function MyBookings() {
  const list = useResource(() => legalService.myBookings())
  const items = list.data ?? []
  if (!list.data) return <StateView loading={list.loading} error={list.error} onRetry={() => void list.reload()} />
  if (items.length === 0) {
    return (
      <>
        <StateView empty emptyText='您还没有预约过法律咨询' />
        <ActionButton className='btn-block' onClick={() => openPage(Routes.legalStations)}>
          去预约
        </ActionButton>
      </>
    )
  }
  return (
    <>
      {items.map((b) => (
        <View key={b.id} className='card list-card booking-card' role='button' onClick={() => openPage(Routes.booking(b.id))}>
          <View className='list-card-head'>
            <Text className='list-card-title'>{b.station.name}</Text>
            <Tag tone={BOOKING_TONES[b.status]}>{BOOKING_STATUS_LABELS[b.status]}</Tag>
          </View>
          <View className='list-card-meta'>{formatSpan(b.startsAt, b.endsAt)}</View>
          <View className='list-card-meta'>{`${b.topic} · ${PROVIDER_KIND_LABELS[b.provider.kind]} ${b.provider.name}`}</View>
          {b.record ? <View className='list-card-meta'>已有咨询记录 ›</View> : null}
        </View>
      ))}
    </>
  )
}

/** The resident's consultations, newest first, each opening its detail (cancel, reschedule, record). */
export default function MyBookingsPage() {
  const session = useSession()
  return <PageShell className='my-bookings'>{session ? <MyBookings /> : <SignInCard reason='登录后查看您的法律咨询预约。' back={Routes.myBookings} />}</PageShell>
}
