import { View, Text } from '@tarojs/components'
import type { ActivityView } from '@palm/shared'
import { Tag } from '../../../components/facts'
import { ACTIVITY_KIND_LABELS, SIGNUP_STATUS_LABELS, formatSpan } from '../../../utils/format'

/** Seats left, or full with the waiting list's length; the caller's own sign-up as a tag. */
export function seatsLine(a: ActivityView): string {
  if (a.cancelled) return '活动已取消'
  if (a.remaining > 0) return `剩余 ${a.remaining} / ${a.capacity} 个名额`
  return `名额已满${a.waitlisted ? `，${a.waitlisted} 人候补` : ''}`
}

/** "已取消", "已结束" or "已截止" (sign-up closed) at a glance in the list; nothing while one can still sign up. */
export function closedTag(a: Pick<ActivityView, 'cancelled' | 'endsAt' | 'signupDeadline'>, now: number): string | null {
  if (a.cancelled) return '已取消'
  if (now > Date.parse(a.endsAt)) return '已结束'
  if (now > Date.parse(a.signupDeadline)) return '已截止'
  return null
}

export function ActivityCard({ activity: a, onOpen }: { activity: ActivityView; onOpen: () => void }) {
  const mine = a.mySignup && a.mySignup.status !== 'cancelled' ? a.mySignup : undefined
  const closed = closedTag(a, Date.now())
  return (
    <View className='card list-card activity-card' role='button' onClick={onOpen}>
      <View className='list-card-head'>
        <Text className='list-card-title'>{a.title}</Text>
        <View>
          {closed ? <Tag className='activity-closed-tag'>{closed}</Tag> : null}
          {mine ? (
            <Tag tone={mine.status === 'confirmed' ? 'ok' : 'warn'}>{mine.status === 'waitlisted' ? `候补第 ${mine.waitlistPosition ?? '-'} 位` : SIGNUP_STATUS_LABELS[mine.status]}</Tag>
          ) : (
            <Tag>{ACTIVITY_KIND_LABELS[a.kind]}</Tag>
          )}
        </View>
      </View>
      <View className='list-card-meta'>{formatSpan(a.startsAt, a.endsAt)}</View>
      <View className='list-card-meta'>{a.place}</View>
      <View className={`list-card-meta${a.remaining > 0 ? '' : ' is-full'}`}>{seatsLine(a)}</View>
    </View>
  )
}
