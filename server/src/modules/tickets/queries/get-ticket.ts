import type { EntityManager } from 'typeorm'
import { NotFoundError } from '../../../errors'
import { Ticket } from '../ticket.entity'
import type { TicketActor } from '../ticket-actor'
import { loadHandlingRelation } from '../cohandling.policy'
import { canSeeTicket } from '../tickets.policy'

/** The ticket if the caller may see it; otherwise 404 whether or not it exists. @throws NotFoundError ticket_not_found */
export async function getVisibleTicket(em: EntityManager, actor: TicketActor, ticketId: string): Promise<Ticket> {
  const ticket = await em.getRepository(Ticket).findOneBy({ id: ticketId })
  if (!ticket || !canSeeTicket(actor, ticket, await loadHandlingRelation(em, actor, ticket))) throw new NotFoundError('There is no such ticket.', 'ticket_not_found')
  return ticket
}
