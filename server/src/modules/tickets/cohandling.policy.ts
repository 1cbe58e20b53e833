import type { EntityManager } from 'typeorm'
import { Ticket, TicketCohandler } from './ticket.entity'
import { isSystemActor, type TicketActor } from './ticket-actor'
import { loadRelation } from './ticket-events'
import type { TicketRelation } from './tickets.policy'

/**
 * The caller's relation to the ticket, including whether their department was asked to co-handle it
 * (协办, docs/handling.md): such department staff see the ticket and may add 协办意见, nothing else.
 */
export async function loadHandlingRelation(em: EntityManager, actor: TicketActor, ticket: Ticket): Promise<TicketRelation> {
  const relation = await loadRelation(em, actor, ticket)
  if (isSystemActor(actor) || actor.role !== 'department_staff' || !actor.scope.departmentCode || !ticket.cohandled) return relation
  const isCohandler = (await em.getRepository(TicketCohandler).countBy({ ticketId: ticket.id, departmentCode: actor.scope.departmentCode })) > 0
  return { ...relation, isCohandler }
}
