/**
 * A ticket's states and their open/done grouping (the life cycle is described in ticket.machine.ts,
 * which re-exports these). Zod-free, like errors/error-codes.ts: the H5 pages that only label or group
 * states (the public board, lists) read it without loading zod (docs/performance.md).
 */
export const TICKET_STATES = ['submitted', 'assigned', 'accepted', 'in_progress', 'resolved', 'closed', 'returned', 'rejected', 'cancelled', 'suspended'] as const
export type TicketState = (typeof TICKET_STATES)[number]

export type StateGroup = 'open' | 'done'
/** Filters and badges ask for the group, not a list of names (FixMyStreet's is_open). */
export const STATE_GROUP: Record<TicketState, StateGroup> = {
  submitted: 'open',
  assigned: 'open',
  accepted: 'open',
  in_progress: 'open',
  returned: 'open',
  resolved: 'done',
  closed: 'done',
  rejected: 'done',
  cancelled: 'done',
  suspended: 'open'
}

export function statesInGroup(group: StateGroup): TicketState[] {
  return TICKET_STATES.filter((s) => STATE_GROUP[s] === group)
}
