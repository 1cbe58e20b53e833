import { nextState, roleMayFire, type LatLng, type TicketEvent, type TicketKind, type TicketState } from '@palm/shared'
import type { EntityManager } from 'typeorm'
import type { AppDeps } from '../../deps'
import type { Actor } from '../auth/actor'
import { createTicket } from './commands/create-ticket'
import { transitionTicket } from './commands/transition-ticket'
import { Ticket } from './ticket.entity'
import { loadRelation } from './ticket-events'
import { canSeeTicket, mayActOn } from './tickets.policy'

/**
 * The resident services' one doorway into the ticket pipeline (issue 5: "where a service is a
 * request, it is a ticket on the one pipeline"). Everything here runs in the caller's transaction.
 */

/** What a service asks of the pipeline when one of its requests becomes a ticket. */
export interface ServiceTicketInput {
  kind: TicketKind
  category: string
  description: string
  communityCode?: string
  location?: LatLng
  address?: string
  details: Record<string, string | number>
}

/**
 * Files the ticket of a service request (a legal booking → `legal_consultation`) as the resident, so
 * it is routed, timed and shown in their "my tickets" like any other. Returns the ticket.
 */
export async function openServiceTicket(em: EntityManager, deps: AppDeps, actor: Actor, input: ServiceTicketInput): Promise<Ticket> {
  return createTicket(em, deps, actor, {
    kind: input.kind,
    category: input.category,
    description: input.description.slice(0, 2000),
    ...(input.location ? { location: input.location } : {}),
    ...(input.communityCode ? { communityCode: input.communityCode } : {}),
    ...(input.address ? { address: input.address.slice(0, 200) } : {}),
    allowPublication: false,
    anonymous: false,
    details: input.details
  })
}

/** A ticket by id for the services' own checks (kind, territory, state); null when absent. */
export async function findServiceTicket(em: EntityManager, ticketId: string): Promise<Ticket | null> {
  return em.findOneBy(Ticket, { id: ticketId })
}

/** Whether `actor` could fire `event` on the ticket as it is now (the same checks transitionTicket makes). */
async function mayFire(em: EntityManager, actor: Actor, ticket: Ticket, event: TicketEvent): Promise<boolean> {
  if (!roleMayFire(actor.role, event) || !nextState(ticket.state as TicketState, event)) return false
  const relation = await loadRelation(em, actor, ticket)
  return canSeeTicket(actor, ticket, relation) && mayActOn(actor, ticket, event, relation)
}

/**
 * The resident withdraws the ticket of a service request they cancelled (a booking), if nobody has
 * accepted it yet; an accepted ticket stays with its handler, who sees the booking is cancelled.
 * Returns whether the ticket was cancelled.
 */
export async function withdrawServiceTicket(em: EntityManager, deps: AppDeps, actor: Actor, ticketId: string, reason: string): Promise<boolean> {
  const ticket = await findServiceTicket(em, ticketId)
  if (!ticket || !(await mayFire(em, actor, ticket, 'cancel'))) return false
  await transitionTicket(em, deps, actor, ticketId, { event: 'cancel', note: reason })
  return true
}

/**
 * Resolves a service ticket with `reply` as the staff member who settled the request: when they may
 * take it over (a community's staff over a ticket a grid worker holds) it is transferred to them,
 * then accepted and resolved, each step an event on its timeline. Returns false, changing nothing,
 * when the actor may not settle it.
 */
export async function resolveServiceTicket(em: EntityManager, deps: AppDeps, actor: Actor, ticketId: string, reply: string): Promise<boolean> {
  let ticket = await findServiceTicket(em, ticketId)
  if (!ticket) return false
  const heldByAnother = (ticket.state === 'accepted' || ticket.state === 'in_progress') && ticket.assigneeId !== actor.id
  if (heldByAnother) {
    if (!(await mayFire(em, actor, ticket, 'transfer'))) return false
    ticket = await transitionTicket(em, deps, actor, ticketId, { event: 'transfer', target: { assigneeId: actor.id }, note: '转由审批人办理' })
  }
  if (ticket.state === 'assigned' || ticket.state === 'returned') {
    if (!(await mayFire(em, actor, ticket, 'accept'))) return false
    ticket = await transitionTicket(em, deps, actor, ticketId, { event: 'accept' })
  }
  if (!(await mayFire(em, actor, ticket, 'resolve'))) return false
  await transitionTicket(em, deps, actor, ticketId, { event: 'resolve', note: reply })
  return true
}
