import { View, Text } from '@tarojs/components'
import type { TicketSummaryView } from '@palm/shared'
import { STATE_LABELS, formatDue, formatTime, stateTone } from '../utils/format'
import './ticket-card.scss'

const TONE_CLASS = { ok: 'tag-ok', warn: 'tag-warn', danger: 'tag-danger', plain: '' } as const

/** One ticket in a list: category, state, text, where, and for open tickets the clock. */
export function TicketCard({ ticket, onOpen, showDue }: { ticket: TicketSummaryView; onOpen: (id: string) => void; showDue?: boolean }) {
  const due = formatDue(ticket.dueAt)
  const open = ticket.stateGroup === 'open'
  return (
    <View className='card ticket-card' data-ticket-id={ticket.id} role='link' onClick={() => onOpen(ticket.id)}>
      <View className='ticket-card-head'>
        <Text className='ticket-card-category'>{ticket.categoryName ?? ticket.category}</Text>
        <View>
          {open && (ticket.overdue || (showDue && due.overdue)) ? <Text className='tag tag-danger overdue-badge'>超时</Text> : null}
          <Text className={`tag ${TONE_CLASS[stateTone(ticket.state)]} state-tag`}>{STATE_LABELS[ticket.state]}</Text>
        </View>
      </View>
      <View className='ticket-card-text'>{ticket.description}</View>
      <View className='ticket-card-foot muted'>
        <Text>
          {ticket.community?.name ?? ticket.street?.name ?? ''} · {formatTime(ticket.createdAt)}
        </Text>
        {showDue && open ? <Text className={due.overdue ? 'due overdue' : 'due'}>{due.text}</Text> : null}
      </View>
    </View>
  )
}
