import { CITIZEN_ROLES, PRIVATE_TICKET_KINDS, STATE_GROUP, type TicketState } from '@palm/shared'
import type { EntityManager } from 'typeorm'
import type { AppDeps } from '../../../deps'
import { ForbiddenError, NotFoundError } from '../../../errors'
import type { Actor } from '../../auth/actor'
import { isUniqueViolation } from '../../../db/errors'
import { Ticket, TicketFollower } from '../ticket.entity'

const notFound = () => new NotFoundError('There is no such ticket.', 'ticket_not_found')

/**
 * A resident follows an open ticket (found nearby) instead of filing the same problem again: from then
 * on they see it, hear its news, and may rate and reopen it. Idempotent: following twice is one row
 * (the primary key decides, not a check-then-insert). Anonymous tips and private kinds (fraud and
 * hazard tips, legal consultations) cannot be followed. A follower sees the public view only.
 * @throws ForbiddenError for staff; NotFoundError for unknown, anonymous, private or finished tickets
 */
export async function followTicket(em: EntityManager, deps: AppDeps, actor: Actor, ticketId: string): Promise<Ticket> {
  if (!(CITIZEN_ROLES as readonly string[]).includes(actor.role)) throw new ForbiddenError('Only residents follow tickets.')
  const ticket = await em.getRepository(Ticket).findOneBy({ id: ticketId })
  if (!ticket) throw notFound()
  if (ticket.reporterId === actor.id) return ticket
  if (ticket.anonymous || (PRIVATE_TICKET_KINDS as readonly string[]).includes(ticket.kind)) throw notFound()
  const following = (await em.getRepository(TicketFollower).countBy({ ticketId, userId: actor.id })) > 0
  if (following) return ticket
  if (STATE_GROUP[ticket.state as TicketState] !== 'open') throw notFound()
  try {
    await em.getRepository(TicketFollower).insert({ ticketId, userId: actor.id, createdAt: deps.now() })
  } catch (err) {
    if (!isUniqueViolation(err)) throw err
  }
  return ticket
}

/** Stops following; following nothing is fine (idempotent). */
export async function unfollowTicket(em: EntityManager, actor: Actor, ticketId: string): Promise<void> {
  await em.getRepository(TicketFollower).delete({ ticketId, userId: actor.id })
}
