import { View, Text } from '@tarojs/components'
import type { TicketEventView, TicketPublicEventView } from '@palm/shared'
import { EVENT_LABELS, ROLE_LABELS, STATE_LABELS, formatTime } from '../utils/format'
import './timeline.scss'

/** "网格员 曾*", without repeating the role when the display name already carries it. */
function actorLabel(actor: TicketEventView['actor'] | TicketPublicEventView['actor']): string {
  const role = ROLE_LABELS[actor.role] ?? ''
  // A follower's (public) view names no one: the role alone.
  if (!('displayName' in actor)) return actor.role === 'system' ? '系统' : role
  return actor.displayName.startsWith(role) || actor.role === 'system' ? actor.displayName : `${role} ${actor.displayName}`
}

/**
 * The ticket's history as a vertical progress line, newest first: each event a dot on the line,
 * with who did it, when, and what they wrote (the reply, or the reason).
 */
export function Timeline({ events }: { events: ReadonlyArray<TicketEventView | TicketPublicEventView> }) {
  // Newest first; events of the same instant (submit and assign) keep the server's order, reversed.
  const ordered = events
    .map((e, i) => ({ e, i }))
    .sort((a, b) => (a.e.at < b.e.at ? 1 : a.e.at > b.e.at ? -1 : b.i - a.i))
    .map((x) => x.e)
  return (
    <View className='timeline'>
      {ordered.map((e, i) => (
        <View key={`${e.at}-${i}`} className={`timeline-item${i === 0 ? ' is-latest' : ''} event-${e.event}`}>
          <View className='timeline-rail'>
            <View className='timeline-dot' />
            {i < ordered.length - 1 ? <View className='timeline-line' /> : null}
          </View>
          <View className='timeline-body'>
            <View className='timeline-head'>
              <Text className='timeline-event'>{EVENT_LABELS[e.event] ?? e.event}</Text>
              <Text className='timeline-state'>{STATE_LABELS[e.toState]}</Text>
            </View>
            <View className='timeline-meta'>
              {actorLabel(e.actor)} · {formatTime(e.at)}
            </View>
            {e.note ? <View className={`timeline-note${e.event === 'reply' || e.event === 'resolve' ? ' is-reply' : ''}`}>{e.note}</View> : null}
          </View>
        </View>
      ))}
    </View>
  )
}
