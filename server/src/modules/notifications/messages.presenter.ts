import { MessageKindSchema, type MessagePage, type MessageView } from '@palm/shared'
import type { Message } from './notification.entity'
import type { MessageSlice } from './messages.service'

/** A message as its owner sees it; the row's user id never leaves the server. */
export function presentMessage(m: Message): MessageView {
  const kind = MessageKindSchema.safeParse(m.kind)
  return {
    id: m.id,
    kind: kind.success ? kind.data : 'service_notice',
    title: m.title,
    body: m.body,
    ticketId: m.ticketId,
    createdAt: m.createdAt.toISOString(),
    readAt: m.readAt ? m.readAt.toISOString() : null,
    read: m.readAt !== null
  }
}

export function presentMessagePage(slice: MessageSlice): MessagePage {
  return { items: slice.items.map(presentMessage), nextCursor: slice.nextCursor }
}
