import { View, Text } from '@tarojs/components'
import type { TicketView } from '@palm/shared'
import { PhotoGrid } from './photo-grid'
import { TicketDetails } from './ticket-details'
import { STATE_LABELS, formatDue, formatTime, stateTone } from '../utils/format'
import './ticket-summary.scss'

const TONE_CLASS = { ok: 'tag-ok', warn: 'tag-warn', danger: 'tag-danger', plain: '' } as const
/** Where a ticket came from, when not the resident themselves (docs/handling.md). */
const SOURCE_LABELS = { resident: '居民上报', on_behalf: '网格员代报', patrol: '巡查发现' } as const

/** The head of a ticket card, the same for the full and the public (followed) view: what, state, number. */
export function TicketHead({ ticket }: { ticket: Pick<TicketView, 'category' | 'categoryName' | 'state' | 'stateGroup' | 'overdue' | 'number' | 'createdAt'> }) {
  const open = ticket.stateGroup === 'open'
  return (
    <>
      <View className='ticket-summary-head'>
        <Text className='ticket-summary-category'>{ticket.categoryName ?? ticket.category}</Text>
        <View>
          {open && ticket.overdue ? <Text className='tag tag-danger overdue-badge'>超时</Text> : null}
          <Text className={`tag ${TONE_CLASS[stateTone(ticket.state)]} ticket-state`}>{STATE_LABELS[ticket.state]}</Text>
        </View>
      </View>
      <View className='muted'>
        编号 {ticket.number} · {formatTime(ticket.createdAt)}
      </View>
    </>
  )
}

/** The top of a ticket page: what, where, state, the clock, the resident's photos, and the latest reply. */
export function TicketSummary({ ticket, staffView }: { ticket: TicketView; staffView?: boolean }) {
  const open = ticket.stateGroup === 'open'
  const due = formatDue(ticket.dueAt)
  const where = [ticket.street?.name, ticket.community?.name, ticket.grid?.name].filter(Boolean).join(' ')
  const reportPhotos = ticket.attachments.filter((a) => a.role === 'report').map((a) => a.url)
  const replyPhotos = ticket.attachments.filter((a) => a.role === 'reply').map((a) => a.url)
  const replies = ticket.timeline.filter((e) => (e.event === 'reply' || e.event === 'resolve') && e.note)
  const latestReply = replies[replies.length - 1]

  return (
    <>
      <View className='card ticket-summary'>
        <TicketHead ticket={ticket} />
        <View className='ticket-summary-text'>{ticket.description}</View>
        <TicketDetails ticket={ticket} />
        <PhotoGrid urls={reportPhotos} />
        {where || ticket.address ? (
          <View className='ticket-summary-where'>
            <Text className='muted'>位置：</Text>
            {where}
            {ticket.address ? ` ${ticket.address}` : ''}
          </View>
        ) : null}
        {staffView && ticket.reporter ? (
          <View className='ticket-summary-where'>
            <Text className='muted'>上报人：</Text>
            {ticket.reporter.displayName}
          </View>
        ) : null}
        {staffView && ticket.anonymous ? <View className='muted'>匿名举报，不显示举报人</View> : null}
        {staffView && ticket.source && ticket.source !== 'resident' ? (
          <View className='ticket-summary-where ticket-source'>
            <Text className='muted'>来源：</Text>
            {SOURCE_LABELS[ticket.source]}
            {ticket.onBehalf ? `（${ticket.onBehalf.name ?? '居民'}，电话 ${ticket.onBehalf.phone}）` : ''}
          </View>
        ) : null}
        {open && ticket.state === 'suspended' ? <View className='ticket-summary-due'>已挂起，计时暂停</View> : null}
        {open && ticket.state !== 'suspended' ? (
          <View className={`ticket-summary-due${due.overdue ? ' is-overdue' : ''}`}>
            {ticket.acceptedAt ? '预计办结' : '预计签收'}：{formatTime(ticket.dueAt)}（{due.text}）{ticket.emergency ? '· 紧急事项，24 小时计时' : ''}
          </View>
        ) : null}
        {staffView ? <View className='muted routing-reason'>分派依据：{ticket.routing.reason}</View> : null}
      </View>
      {latestReply || replyPhotos.length ? (
        <View className='card ticket-reply'>
          <View className='card-title'>办理回复</View>
          {latestReply ? (
            <>
              <View className='ticket-reply-text'>{latestReply.note}</View>
              <View className='muted'>
                {latestReply.actor.displayName} · {formatTime(latestReply.at)}
              </View>
            </>
          ) : null}
          <PhotoGrid urls={replyPhotos} />
        </View>
      ) : null}
      {ticket.rating ? (
        <View className='card ticket-rating'>
          <View className='card-title'>评价</View>
          <View>
            {'★'.repeat(ticket.rating.score)}
            {'☆'.repeat(5 - ticket.rating.score)}
          </View>
          {ticket.rating.comment ? <View className='muted'>{ticket.rating.comment}</View> : null}
        </View>
      ) : null}
    </>
  )
}
