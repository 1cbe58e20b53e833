import type { TicketEventHook } from '../tickets/index'
import { queueFacts, refreshFacts } from './facts'

/**
 * The ticket event hook (registered in ticketEventHooks): keeps the ticket's facts and its daily row
 * current in the transaction of the change, so the dashboards never scan the tickets table.
 * The event's own time is "now" for the deadlines.
 */
export const statsTicketHook: TicketEventHook = async (em, _deps, ticket, event, writes) => {
  if (writes) queueFacts(em, writes, ticket, event.createdAt)
  else await refreshFacts(em, ticket, event.createdAt)
}
