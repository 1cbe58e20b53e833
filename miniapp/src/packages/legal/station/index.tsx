import { useEffect, useState } from 'react'
import { View, Text } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import type { SlotView } from '@palm/shared'
import { PageShell } from '../../../components/page-shell'
import { StateView } from '../../../components/state-view'
import { ActionButton } from '../../../components/buttons'
import { FormNotice } from '../../../components/fields'
import { InfoRow, Tag } from '../../../components/facts'
import { SignInCard } from '../../../components/access-cards'
import { useAction, useResource } from '../../../hooks/use-resource'
import { useSession } from '../../../hooks/use-session'
import { getSession } from '../../../services/session'
import { isApiError } from '../../../services/api-error'
import { legalService } from '../../../services/legal.service'
import { replacePage, Routes } from '../../../utils/routes'
import { STATION_KIND_LABELS, STATION_LEVEL_LABELS, formatMinutes, formatSpan } from '../../../utils/format'
import { BookingForm, refusalMessage } from '../components/booking-form'
import { SlotPicker, slotDays } from '../components/slot-picker'
import '../components/legal.scss'

/**
 * One station: who it is, its slots by day with the seats left, and the booking form for the chosen
 * slot. With `?reschedule=<bookingId>` the same page moves an existing booking to the chosen slot.
 */
export default function LegalStationPage() {
  const { params } = useRouter()
  const stationId = params.id ?? ''
  const rescheduleId = params.reschedule
  const session = useSession()
  const page = useResource(async () => {
    const [station, slots, booking, mine] = await Promise.all([
      legalService.station(stationId),
      legalService.slots(stationId),
      rescheduleId ? legalService.booking(rescheduleId) : Promise.resolve(undefined),
      getSession() ? legalService.myBookings().catch(() => []) : Promise.resolve([])
    ])
    const heldSlotIds = mine.filter((b) => b.status === 'booked').map((b) => b.slotId)
    return { station, slots, booking, heldSlotIds }
  })
  const [day, setDay] = useState('')
  const [selected, setSelected] = useState<SlotView>()
  const [refusal, setRefusal] = useState<string>()
  const moving = useAction()
  const data = page.data

  useEffect(() => {
    if (!data) return
    const days = slotDays(data.slots)
    if (!days.includes(day)) setDay(days[0] ?? '')
    Taro.setNavigationBarTitle({ title: data.station.name }).catch(() => undefined)
  }, [data, day])

  if (!data) {
    return (
      <PageShell>
        <StateView loading={page.loading} error={page.error} onRetry={() => void page.reload()} />
      </PageShell>
    )
  }
  const { station, slots, booking, heldSlotIds } = data

  async function handleReschedule(slot: SlotView) {
    if (!booking) return
    setRefusal(undefined)
    await moving.run(async () => {
      try {
        await legalService.reschedule(booking.id, slot.id)
        void Taro.showToast({ title: '改约成功', icon: 'success' })
        replacePage(Routes.booking(booking.id))
      } catch (err) {
        setRefusal(isApiError(err) ? refusalMessage(err, station) : '改约失败，请稍后再试')
        void page.reload(true)
      }
    })
  }

  return (
    <PageShell className='legal-station'>
      <View className='card'>
        <View className='list-card-head'>
          <Text className='list-card-title'>{station.name}</Text>
          <Tag tone='ok'>{STATION_LEVEL_LABELS[station.level]}</Tag>
        </View>
        <InfoRow label='类型'>{STATION_KIND_LABELS[station.kind]}</InfoRow>
        <InfoRow label='地址'>{station.address}</InfoRow>
        {station.phone ? <InfoRow label='电话'>{station.phone}</InfoRow> : null}
        {station.topics.length ? <InfoRow label='擅长'>{station.topics.join('、')}</InfoRow> : null}
        <InfoRow label='预约规则'>{`至少提前 ${formatMinutes(station.minLeadMinutes)}预约；开始前 ${formatMinutes(station.cancelCutoffMinutes)}可取消或改约`}</InfoRow>
      </View>
      {booking ? <View className='notice reschedule-notice'>{`正在改约：原预约 ${formatSpan(booking.startsAt, booking.endsAt)}。请选择新的时段。`}</View> : null}
      <View className='section-title'>选择时段</View>
      {slots.length === 0 ? (
        <StateView empty emptyText='近两周暂无可预约时段，请选择其他服务站' />
      ) : (
        <SlotPicker
          slots={slots}
          day={day}
          onDay={setDay}
          selected={selected?.id}
          heldSlotIds={heldSlotIds}
          onSelect={(slot) => {
            setSelected(slot)
            setRefusal(undefined)
            setTimeout(() => void Taro.pageScrollTo?.({ selector: '.slot-action', duration: 200 })?.catch(() => undefined), 100)
          }}
        />
      )}
      <View className='slot-action' />
      <FormNotice message={refusal} className='reschedule-refusal' />
      {selected && !session ? <SignInCard reason='预约需要登录，方便服务站联系您并提醒您按时到场。' back={Routes.legalStation(stationId)} /> : null}
      {selected && session && booking ? (
        <ActionButton className='btn-block reschedule-submit' busy={moving.busy} busyText='正在改约…' onClick={() => void handleReschedule(selected)}>
          {`改约到 ${formatSpan(selected.startsAt, selected.endsAt)}`}
        </ActionButton>
      ) : null}
      {selected && session && !booking ? (
        <BookingForm
          key={selected.id}
          station={station}
          slot={selected}
          onBooked={(b) => {
            void Taro.showToast({ title: '预约成功', icon: 'success' })
            replacePage(Routes.booking(b.id))
          }}
          onRefused={() => void page.reload(true)}
        />
      ) : null}
    </PageShell>
  )
}
