import { View, Text } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { PageShell } from '../../../components/page-shell'
import { StateView } from '../../../components/state-view'
import { ActionButton } from '../../../components/buttons'
import { InfoRow, Tag } from '../../../components/facts'
import { SignInCard } from '../../../components/access-cards'
import { useAction, useResource } from '../../../hooks/use-resource'
import { useSession } from '../../../hooks/use-session'
import { legalService } from '../../../services/legal.service'
import { Routes, openPage } from '../../../utils/routes'
import { formatTime, BOOKING_STATUS_LABELS, PROVIDER_KIND_LABELS, formatSpan } from '../../../utils/format'
import { BOOKING_TONES } from '../components/booking-tones'
import '../components/legal.scss'
import { showError } from '../../../services/show-error'

/** One booking: when and with whom; cancel or reschedule until the cut-off; the consultation record once written. */
function BookingDetail({ id }: { id: string }) {
  const res = useResource(() => legalService.booking(id))
  const action = useAction()
  const b = res.data
  if (!b) return <StateView loading={res.loading} error={res.error} onRetry={() => void res.reload()} />
  const changeable = b.status === 'booked' && Date.now() < Date.parse(b.changeableUntil)
  const booking = b

  async function handleCancel() {
    const ok = await Taro.showModal({ title: '取消预约', content: '取消后名额会让给其他居民。确定取消吗？', confirmText: '取消预约', cancelText: '再想想' })
    if (!ok.confirm) return
    await action.run(async () => {
      try {
        res.setData(await legalService.cancel(booking.id))
        void Taro.showToast({ title: '已取消', icon: 'none' })
      } catch (err) {
        void showError(err)
        void res.reload(true)
      }
    })
  }

  return (
    <>
      <View className='card booking-detail'>
        <View className='list-card-head'>
          <Text className='list-card-title'>{b.station.name}</Text>
          <Tag tone={BOOKING_TONES[b.status]} className='booking-status'>
            {BOOKING_STATUS_LABELS[b.status]}
          </Tag>
        </View>
        <InfoRow label='时间'>{formatSpan(b.startsAt, b.endsAt)}</InfoRow>
        <InfoRow label='咨询人员'>{`${PROVIDER_KIND_LABELS[b.provider.kind]} ${b.provider.name}`}</InfoRow>
        <InfoRow label='咨询事项'>{b.topic}</InfoRow>
        <InfoRow label='问题简述'>{b.description}</InfoRow>
        {b.status === 'booked' ? <InfoRow label='可改期至'>{changeable ? formatTime(b.changeableUntil) : `${formatTime(b.changeableUntil)}（已过，如需调整请联系服务站）`}</InfoRow> : null}
        {b.cancelledAt ? <InfoRow label='取消时间'>{formatTime(b.cancelledAt)}</InfoRow> : null}
      </View>
      {changeable ? (
        <View className='btn-row booking-actions'>
          <ActionButton kind='plain' className='booking-cancel' busy={action.busy} onClick={() => void handleCancel()}>
            取消预约
          </ActionButton>
          <ActionButton kind='ghost' className='booking-reschedule' onClick={() => openPage(Routes.legalStation(b.station.id, b.id))}>
            改约其他时段
          </ActionButton>
        </View>
      ) : null}
      <View className='card booking-record-card'>
        <View className='card-title'>咨询记录</View>
        {b.record ? (
          <>
            <View className='booking-record'>{b.record.summary}</View>
            {b.record.advice ? (
              <>
                <View className='section-title'>建议</View>
                <View className='booking-record'>{b.record.advice}</View>
              </>
            ) : null}
            <View className='muted'>{`${b.record.writtenBy} · ${formatTime(b.record.writtenAt)}`}</View>
          </>
        ) : (
          <View className='muted'>咨询结束后，咨询人员会在这里写下咨询要点和建议。</View>
        )}
      </View>
      {b.ticketId ? (
        <View className='link-row' role='link' onClick={() => openPage(Routes.ticket(b.ticketId ?? ''))}>
          查看办理进度 ›
        </View>
      ) : null}
    </>
  )
}

export default function BookingPage() {
  const { params } = useRouter()
  const session = useSession()
  const id = params.id ?? ''
  return <PageShell className='booking-page'>{session ? <BookingDetail id={id} /> : <SignInCard reason='登录后查看预约详情。' back={Routes.booking(id)} />}</PageShell>
}
