import type { Role } from '@palm/shared'
import type { EntityManager } from 'typeorm'
import { User } from '../../auth/user.entity'
import type { Ticket } from '../ticket.entity'

/** The facts needsCallback reads, for the ticket as it is (and the rating being given, if any). */
export function callbackFacts(ticket: Ticket, rating: number | null = ticket.rating) {
  return { rating, extended: ticket.extensionState === 'approved', cohandled: ticket.cohandled, calledBack: ticket.callbackAt !== null }
}

/** The role of the person handling the ticket (its assignee), which decides who approves an extension. */
export async function handlerRoleOf(em: EntityManager, ticket: Ticket): Promise<Role | null> {
  if (!ticket.assigneeId) return null
  const user = await em.getRepository(User).findOne({ where: { id: ticket.assigneeId }, select: { role: true } })
  return (user?.role as Role | undefined) ?? null
}
