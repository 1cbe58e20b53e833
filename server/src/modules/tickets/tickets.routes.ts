import Router from '@koa/router'
import { CreateTicketSchema, isStaffRole, ListTicketsQuerySchema, NearbyTicketsQuerySchema, TransitionSchema, type TicketDetailView, type TicketListPage, type TicketView } from '@palm/shared'
import type { Context, Next } from 'koa'
import type { EntityManager } from 'typeorm'
import { z } from 'zod'
import { withTx } from '../../db/tx'
import type { AppDeps } from '../../deps'
import { requireActor } from '../../http/auth'
import { recordAuditView } from '../audit/index'
import { submissionHits, withLimits } from '../limits/index'
import { parseBody, parseQuery } from '../../http/validate'
import { NUMBER_ATTEMPTS, isTicketNumberClash, prepareTicket } from './commands/create-ticket'
import { followTicket, unfollowTicket } from './commands/follow-ticket'
import { transitionTicket } from './commands/transition-ticket'
import { requireIdempotencyKey, runIdempotent, runIdempotentWrites } from '../idempotency/index'
import { getVisibleTicket } from './queries/get-ticket'
import { listTickets } from './queries/list-tickets'
import { findNearbyTickets } from './queries/nearby-tickets'
import { presentNewTicket, presentTicket, presentTicketSummaries } from './tickets.presenter'

const TicketIdSchema = z.uuid()

/**
 * The ticket id from the path, or undefined when the segment is no ticket id at all, so that sibling
 * routes of other modules under /api/tickets (categories…) are never mistaken for a ticket.
 */
function ticketIdParam(ctx: Context): string | undefined {
  const parsed = TicketIdSchema.safeParse(ctx.params.id)
  return parsed.success ? parsed.data : undefined
}

function sendIdempotent(ctx: Context, result: { status: number; body: unknown; replayed: boolean }): void {
  ctx.status = result.status
  if (result.replayed) ctx.set('Idempotent-Replayed', 'true')
  ctx.body = result.body
}

/** /api/tickets: submission (Idempotency-Key), lists and inboxes, detail, transitions, nearby, follow. */
export function createTicketsRouter(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api/tickets' })

  router.post('/', async function submitTicket(ctx) {
    const actor = requireActor(ctx)
    const key = requireIdempotencyKey(ctx.get('Idempotency-Key') || undefined)
    const input = parseBody(ctx, CreateTicketSchema)
    // Reads (routing, photos) first, then the key with its answer, the ticket, its events and notices
    // and the shared limits' hits (docs/operations.md "Limits") in one transaction.
    const limits = submissionHits(deps, actor.id, input.kind)
    const result = await withLimits(deps.ds, limits, () =>
      runIdempotentWrites(
        deps,
        actor.id,
        key,
        'POST /api/tickets',
        ctx.request.body,
        async () => {
          const prepared = await prepareTicket(deps.ds.manager, deps, actor, input)
          for (const hit of limits) prepared.writes.statement(hit.sql, hit.params)
          const body: TicketView = presentNewTicket(deps, actor, prepared)
          return { status: 201, body, writes: prepared.writes }
        },
        { retry: isTicketNumberClash, attempts: NUMBER_ATTEMPTS }
      )
    )
    sendIdempotent(ctx, result)
  })

  router.get('/', async function listTicketsRoute(ctx) {
    const actor = requireActor(ctx)
    const query = parseQuery(ctx, ListTicketsQuerySchema)
    const page = await listTickets(deps.ds.manager, deps, actor, query)
    const body: TicketListPage = { items: await presentTicketSummaries(deps.ds.manager, deps, actor, page.items), nextCursor: page.nextCursor }
    ctx.body = body
  })

  router.get('/nearby', async function nearbyTicketsRoute(ctx) {
    const actor = requireActor(ctx)
    const query = parseQuery(ctx, NearbyTicketsQuerySchema)
    ctx.body = { items: await findNearbyTickets(deps.ds.manager, actor, query) }
  })

  router.get('/:id', async function getTicketRoute(ctx: Context, next: Next) {
    const id = ticketIdParam(ctx)
    if (!id) return next()
    const actor = requireActor(ctx)
    const ticket = await getVisibleTicket(deps.ds.manager, actor, id)
    const body: TicketDetailView = await presentTicket(deps.ds.manager, deps, actor, ticket)
    if (isStaffRole(actor.role) && ('reporter' in body || 'details' in body)) await recordAuditView(deps.ds, { action: 'ticket.view_contact', objectType: 'ticket', objectId: ticket.id, actor })
    ctx.body = body
  })

  router.post('/:id/transitions', async function transitionTicketRoute(ctx: Context, next: Next) {
    const id = ticketIdParam(ctx)
    if (!id) return next()
    const actor = requireActor(ctx)
    const input = parseBody(ctx, TransitionSchema)
    const work = async (em: EntityManager) => {
      const ticket = await transitionTicket(em, deps, actor, id, input)
      return { status: 200, body: await presentTicket(em, deps, actor, ticket) }
    }
    const key = ctx.get('Idempotency-Key')
    // The key is optional here (api.md); when a client sends one, a retried tap is not a second event.
    if (key) sendIdempotent(ctx, await runIdempotent(deps, actor.id, requireIdempotencyKey(key), `POST /api/tickets/${id}/transitions`, ctx.request.body, work))
    else sendIdempotent(ctx, { ...(await withTx(deps.ds, work)), replayed: false })
  })

  router.post('/:id/follow', async function followTicketRoute(ctx: Context, next: Next) {
    const id = ticketIdParam(ctx)
    if (!id) return next()
    const actor = requireActor(ctx)
    ctx.body = await withTx(deps.ds, async (em) => presentTicket(em, deps, actor, await followTicket(em, deps, actor, id)))
  })

  router.delete('/:id/follow', async function unfollowTicketRoute(ctx: Context, next: Next) {
    const id = ticketIdParam(ctx)
    if (!id) return next()
    const actor = requireActor(ctx)
    await withTx(deps.ds, (em) => unfollowTicket(em, actor, id))
    ctx.status = 204
  })

  return router
}
