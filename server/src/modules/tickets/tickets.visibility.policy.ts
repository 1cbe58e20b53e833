import { isStaffRole } from '@palm/shared'
import { isSystemActor, type TicketActor } from './ticket-actor'
import type { TicketRelation } from './tickets.policy'

/**
 * Whether the caller, already allowed to see the ticket (canSeeTicket), sees all of it — the
 * reporter's words, place, photos and details: its reporter, the staff in scope and the system.
 * Everyone else who reaches it, a follower above all, gets the public view
 * (docs/privacy-of-tickets.md): what the public board would show, its state and the staff's
 * replies, masked.
 */
export function seesWholeTicket(actor: TicketActor, relation: TicketRelation): boolean {
  if (isSystemActor(actor)) return true
  return relation.isReporter || isStaffRole(actor.role)
}
