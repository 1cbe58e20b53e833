import { TicketEventRow } from '../ticket.entity'
import type { TransitionCommand } from './transition-context'

/**
 * 办结: the ticket is answered. The resolution (what a publication shows) is the note sent with it,
 * or else the last reply since the ticket was dispatched (the rules already required one of them).
 */
export const resolveTicket: TransitionCommand = async ({ em, ticket, input, now }) => {
  let resolution = input.note ?? null
  if (!resolution) {
    const lastReply = await em.getRepository(TicketEventRow).findOne({
      where: { ticketId: ticket.id, event: 'reply' },
      order: { seq: 'DESC' },
      select: { note: true }
    })
    resolution = lastReply?.note ?? null
  }
  return { patch: { resolvedAt: now, resolution, lastReplyAt: input.note ? now : ticket.lastReplyAt } }
}
