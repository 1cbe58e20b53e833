import { View, Text } from '@tarojs/components'
import type { TicketPublicView } from '@palm/shared'
import { ROLE_LABELS, formatDue, formatTime } from '../../../utils/format'
import '../../../components/ticket-summary.scss'
import { Timeline } from '../../../components/timeline'
import { TicketHead } from '../../../components/ticket-summary'

/**
 * A ticket the resident follows but did not report: the public view only (docs/privacy-of-tickets.md).
 * The reporter's own words show only when they allowed publication, and then masked; the place is the
 * community; no photos; staff replies masked. Nothing here assumes a field the public view lacks.
 */
export function FollowedTicket({ ticket }: { ticket: TicketPublicView }) {
  const open = ticket.stateGroup === 'open'
  const due = formatDue(ticket.dueAt)
  const where = [ticket.street?.name, ticket.community?.name].filter(Boolean).join(' ')
  const replies = ticket.timeline.filter((e) => e.note)
  const latestReply = replies[replies.length - 1]
  return (
    <>
      <View className='card ticket-summary followed-ticket'>
        <TicketHead ticket={ticket} />
        <View className='ticket-summary-text'>{ticket.description ?? '您关注的工单，具体内容仅提交人和办理人员可见。'}</View>
        {where ? (
          <View className='ticket-summary-where'>
            <Text className='muted'>位置：</Text>
            {where}
          </View>
        ) : null}
        {open ? (
          <View className={`ticket-summary-due${due.overdue ? ' is-overdue' : ''}`}>
            办理时限：{formatTime(ticket.dueAt)}（{due.text}）
          </View>
        ) : null}
      </View>
      {latestReply ? (
        <View className='card ticket-reply'>
          <View className='card-title'>办理回复</View>
          <View className='ticket-reply-text'>{latestReply.note}</View>
          <View className='muted'>
            {ROLE_LABELS[latestReply.actor.role] ?? '工作人员'} · {formatTime(latestReply.at)}
          </View>
        </View>
      ) : null}
      {ticket.rating ? (
        <View className='card ticket-rating'>
          <View className='card-title'>评价</View>
          <View>
            {'★'.repeat(ticket.rating.score)}
            {'☆'.repeat(5 - ticket.rating.score)}
          </View>
        </View>
      ) : null}
      <View className='card'>
        <View className='card-title'>办理进度</View>
        <Timeline events={ticket.timeline} />
      </View>
    </>
  )
}
