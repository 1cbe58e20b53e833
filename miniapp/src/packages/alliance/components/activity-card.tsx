import { View, Text } from '@tarojs/components'
import type { ActivityView } from '@palm/shared'
import { Tag } from '../../../components/service-ui'
import { ACTIVITY_KIND_LABELS, SIGNUP_STATUS_LABELS, formatSpan } from '../../../utils/format'

/** Seats left, or full with the waiting list's length; the caller's own sign-up as a tag. */
export function seatsLine(a: ActivityView): string {
  if (a.cancelled) return '活动已取消'
  if (a.remaining > 0) return `剩余 ${a.remaining} / ${a.capacity} 个名额`
  return `名额已满${a.waitlisted ? `，${a.waitlisted} 人候补` : ''}`
}

export function ActivityCard({ activity: a, onOpen }: { activity: ActivityView; onOpen: () => void }) {
  const mine = a.mySignup && a.mySignup.status !== 'cancelled' ? a.mySignup : undefined
  return (
    <View className='card list-card activity-card' role='button' onClick={onOpen}>
      <View className='list-card-head'>
        <Text className='list-card-title'>{a.title}</Text>
        {mine ? (
          <Tag tone={mine.status === 'confirmed' ? 'ok' : 'warn'}>{mine.status === 'waitlisted' ? `候补第 ${mine.waitlistPosition ?? '-'} 位` : SIGNUP_STATUS_LABELS[mine.status]}</Tag>
        ) : (
          <Tag>{ACTIVITY_KIND_LABELS[a.kind]}</Tag>
        )}
      </View>
      <View className='list-card-meta'>{formatSpan(a.startsAt, a.endsAt)}</View>
      <View className='list-card-meta'>{a.place}</View>
      <View className={`list-card-meta${a.remaining > 0 ? '' : ' is-full'}`}>{seatsLine(a)}</View>
    </View>
  )
}
