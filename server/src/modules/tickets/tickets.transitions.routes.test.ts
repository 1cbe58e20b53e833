import { ProblemSchema, TicketViewSchema, type TicketView } from '@palm/shared'
import request from 'supertest'
import { bearer } from '../../../test/factories'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createTestContext, type TestContext } from '../../../test/test-app'
import { MONDAY_MORNING, createTicketWorld, fileTicket, fire, fireOk, getTicket, reportBody, uploadPhoto, type TicketWorld } from '../../../test/tickets-factories'
import { Ticket, TicketEventRow } from './ticket.entity'
import { TICKET_EVENT_HOOKS } from '../index'
import { registerTicketEventHooks, registeredTicketEventHooks, type TicketEventHook } from './ticket-events'

let t: TestContext
let w: TicketWorld

beforeAll(async () => {
  // This file files many tickets for the same few residents: lift the per-resident limits
  // (they have their own tests in modules/limits).
  t = await createTestContext({ rateLimitScale: 1000 })
  w = await createTicketWorld(t.db.ds)
})
afterAll(async () => {
  await t.close()
})
beforeEach(() => {
  t.setNow(MONDAY_MORNING)
})

const DAY = 24 * 60 * 60 * 1000
const events = (id: string) => t.db.ds.getRepository(TicketEventRow).find({ where: { ticketId: id }, order: { seq: 'ASC' } })
const row = (id: string) => t.db.ds.getRepository(Ticket).findOneByOrFail({ id })

async function expectProblem(res: request.Response, status: number, code: string) {
  expect(res.status).toBe(status)
  const problem = ProblemSchema.parse(res.body)
  expect(problem.code).toBe(code)
  return res.body as Record<string, unknown>
}

/** A fresh report of R1 in G1, routed to one of G1's workers; returns the view and that worker. */
async function assignedTicket(): Promise<{ ticket: TicketView; worker: typeof w.users.W1; other: typeof w.users.W1 }> {
  const ticket = await fileTicket(t, w.users.R1, reportBody(w))
  const worker = ticket.assignee?.id === w.users.W1.id ? w.users.W1 : w.users.W1b
  const other = worker === w.users.W1 ? w.users.W1b : w.users.W1
  return { ticket, worker, other }
}

async function resolvedTicket() {
  const { ticket, worker } = await assignedTicket()
  await fireOk(t, worker, ticket.id, { event: 'accept' })
  await fireOk(t, worker, ticket.id, { event: 'reply', note: '已联系物业，今天下午清运' })
  await fireOk(t, worker, ticket.id, { event: 'resolve' })
  return { ticket, worker }
}

describe('the happy path: report → routed → accept → reply → resolve → rate', () => {
  it('walks the whole life cycle, one event row per step', async () => {
    const { ticket, worker } = await assignedTicket()
    const accepted = await fireOk(t, worker, ticket.id, { event: 'accept' })
    expect(accepted.state).toBe('accepted')
    expect(accepted.assignee?.id).toBe(worker.id)
    expect(accepted.dueAt).toBe(accepted.resolveDueAt)
    const replied = await fireOk(t, worker, ticket.id, { event: 'reply', note: '已联系物业，今天下午清运', attachmentIds: [await uploadPhoto(t, worker)] })
    expect(replied.state).toBe('accepted')
    expect(replied.attachments.map((a) => a.role)).toEqual(['reply'])
    const resolved = await fireOk(t, worker, ticket.id, { event: 'resolve' })
    expect(resolved.state).toBe('resolved')
    expect(resolved.resolution).toBe('已联系物业，今天下午清运')
    const rated = await fireOk(t, w.users.R1, ticket.id, { event: 'rate', rating: { score: 5, comment: '很及时' } })
    expect(rated.state).toBe('closed')
    expect(rated.rating).toEqual({ score: 5, comment: '很及时' })
    const timeline = (await events(ticket.id)).map((e) => [e.seq, e.event, e.fromState, e.toState, e.actorRole])
    expect(timeline).toEqual([
      [1, 'submit', null, 'submitted', 'resident'],
      [2, 'assign', 'submitted', 'assigned', 'system'],
      [3, 'accept', 'assigned', 'accepted', 'grid_worker'],
      [4, 'reply', 'accepted', 'accepted', 'grid_worker'],
      [5, 'resolve', 'accepted', 'resolved', 'grid_worker'],
      [6, 'rate', 'resolved', 'closed', 'resident']
    ])
    const stored = await row(ticket.id)
    expect(stored.version).toBe(6)
    expect(stored.rating).toBe(5)
    const residentView = TicketViewSchema.parse((await getTicket(t, w.users.R1, ticket.id)).body)
    expect(residentView.timeline.find((e) => e.event === 'accept')?.actor).toEqual({ role: 'grid_worker', displayName: worker.displayName })
  })

  it('lets the handler start work and resolve with the reply as the note', async () => {
    const { ticket, worker } = await assignedTicket()
    await fireOk(t, worker, ticket.id, { event: 'accept' })
    expect((await fireOk(t, worker, ticket.id, { event: 'start' })).state).toBe('in_progress')
    const resolved = await fireOk(t, worker, ticket.id, { event: 'resolve', note: '已清运完毕' })
    expect(resolved.resolution).toBe('已清运完毕')
  })
})

describe('refusals', () => {
  it('returns 409 invalid_transition with from and event when the state does not allow it', async () => {
    const { ticket, worker } = await assignedTicket()
    const body = await expectProblem(await fire(t, worker, ticket.id, { event: 'resolve', note: 'x' }), 409, 'invalid_transition')
    expect(body).toMatchObject({ from: 'assigned', event: 'resolve' })
    expect((await events(ticket.id)).length).toBe(2)
  })

  it('returns 403 when the role may never fire the event', async () => {
    const { ticket, worker } = await assignedTicket()
    await expectProblem(await fire(t, w.users.R1, ticket.id, { event: 'accept' }), 403, 'forbidden')
    await expectProblem(await fire(t, worker, ticket.id, { event: 'cancel' }), 403, 'forbidden')
    await expectProblem(await fire(t, worker, ticket.id, { event: 'urge' }), 403, 'forbidden')
    expect((await row(ticket.id)).state).toBe('assigned')
  })

  it('returns 404 for a ticket out of scope, exactly as for one that does not exist', async () => {
    const { ticket } = await assignedTicket()
    const outOfScope = await expectProblem(await fire(t, w.users.W3, ticket.id, { event: 'accept' }), 404, 'ticket_not_found')
    const missing = await expectProblem(await fire(t, w.users.W3, '00000000-0000-4000-8000-000000000000', { event: 'accept' }), 404, 'ticket_not_found')
    expect(outOfScope.detail).toBe(missing.detail)
    await expectProblem(await fire(t, w.users.R2, ticket.id, { event: 'cancel' }), 404, 'ticket_not_found')
    expect((await row(ticket.id)).state).toBe('assigned')
  })

  it('returns 403 when another worker of the grid accepts a ticket assigned to a colleague', async () => {
    const { ticket, other } = await assignedTicket()
    await expectProblem(await fire(t, other, ticket.id, { event: 'accept' }), 403, 'forbidden')
  })

  it.each(['return', 'reject'] as const)('returns 400 reason_required for %s without a reason', async (event) => {
    const { ticket, worker } = await assignedTicket()
    const actor = event === 'return' ? worker : w.users.CSA
    const body = await expectProblem(await fire(t, actor, ticket.id, { event }), 400, 'reason_required')
    expect(body.errors).toEqual([expect.objectContaining({ path: 'note' })])
    expect((await row(ticket.id)).state).toBe('assigned')
  })

  it('returns 400 reply_required for resolving without any reply', async () => {
    const { ticket, worker } = await assignedTicket()
    await fireOk(t, worker, ticket.id, { event: 'accept' })
    await expectProblem(await fire(t, worker, ticket.id, { event: 'resolve' }), 400, 'reply_required')
  })

  it('lets only the reporter cancel, and only before acceptance', async () => {
    const first = await assignedTicket()
    expect((await fireOk(t, w.users.R1, first.ticket.id, { event: 'cancel' })).state).toBe('cancelled')
    const second = await assignedTicket()
    await fireOk(t, second.worker, second.ticket.id, { event: 'accept' })
    await expectProblem(await fire(t, w.users.R1, second.ticket.id, { event: 'cancel' }), 409, 'invalid_transition')
  })

  it('returns 409 for a second rating and keeps the first', async () => {
    const { ticket } = await resolvedTicket()
    await fireOk(t, w.users.R1, ticket.id, { event: 'rate', rating: { score: 4 } })
    await expectProblem(await fire(t, w.users.R1, ticket.id, { event: 'rate', rating: { score: 1 } }), 409, 'invalid_transition')
    expect((await row(ticket.id)).rating).toBe(4)
    expect((await events(ticket.id)).filter((e) => e.event === 'rate')).toHaveLength(1)
  })

  it('returns 400 for a rating outside 1–5', async () => {
    const { ticket } = await resolvedTicket()
    await expectProblem(await fire(t, w.users.R1, ticket.id, { event: 'rate', rating: { score: 6 } }), 400, 'validation_failed')
    await expectProblem(await fire(t, w.users.R1, ticket.id, { event: 'rate' }), 400, 'rating_required')
  })

  it('returns 400 for an unknown event and for a transfer without a target', async () => {
    const { ticket } = await assignedTicket()
    await expectProblem(await fire(t, w.users.CSA, ticket.id, { event: 'teleport' }), 400, 'validation_failed')
    await expectProblem(await fire(t, w.users.CSA, ticket.id, { event: 'transfer' }), 400, 'validation_failed')
  })
})

describe('reopening', () => {
  it('reopens within 7 days: back to assigned, clocks restarted, the old rating gone', async () => {
    const { ticket, worker } = await resolvedTicket()
    await fireOk(t, w.users.R1, ticket.id, { event: 'rate', rating: { score: 1, comment: '没解决' } })
    t.setNow(new Date(MONDAY_MORNING.getTime() + 6 * DAY))
    const reopened = await fireOk(t, w.users.R1, ticket.id, { event: 'reopen', note: '垃圾又堆起来了' })
    expect(reopened.state).toBe('assigned')
    expect(reopened.reopenCount).toBe(1)
    expect(reopened.rating).toBeNull()
    expect(reopened.assignee?.id).toBe(worker.id)
    expect(new Date(reopened.acceptDueAt).getTime()).toBeGreaterThan(MONDAY_MORNING.getTime() + 6 * DAY)
  })

  it('returns 409 reopen_window_closed after 7 days', async () => {
    const { ticket } = await resolvedTicket()
    t.setNow(new Date(MONDAY_MORNING.getTime() + 7 * DAY + 60_000))
    await expectProblem(await fire(t, w.users.R1, ticket.id, { event: 'reopen', note: '还是没解决' }), 409, 'reopen_window_closed')
    expect((await row(ticket.id)).state).toBe('resolved')
  })

  it('returns 400 reason_required for a reopening without a reason', async () => {
    const { ticket } = await resolvedTicket()
    await expectProblem(await fire(t, w.users.R1, ticket.id, { event: 'reopen' }), 400, 'reason_required')
  })
})

describe('moving a ticket', () => {
  it('re-routes a return one level up with the reason, keeping the clock', async () => {
    const { ticket, worker } = await assignedTicket()
    const returned = await fireOk(t, worker, ticket.id, { event: 'return', note: '不属于本网格' })
    expect(returned.state).toBe('returned')
    expect(returned.level).toBe('community')
    expect(returned.assignee).toBeUndefined()
    expect(returned.routing.reason).toContain('不属于本网格')
    expect(returned.dueAt).toBe(ticket.dueAt)
    expect(returned.grid?.code).toBe('066-012')
    const escalated = await fireOk(t, w.users.CSA, ticket.id, { event: 'escalate', note: '需街道协调' })
    expect(escalated.state).toBe('assigned')
    expect(escalated.level).toBe('street')
    await expectProblem(await fire(t, w.users.CSA, ticket.id, { event: 'accept' }), 403, 'forbidden')
  })

  it('transfers within the community, but not to a grid of another community (404) or to a department (403)', async () => {
    const { ticket } = await assignedTicket()
    await expectProblem(await fire(t, w.users.CSA, ticket.id, { event: 'transfer', target: { gridCode: w.g3.code } }), 404, 'not_found')
    await expectProblem(await fire(t, w.users.CSA, ticket.id, { event: 'transfer', target: { departmentCode: 'housing_bureau' } }), 403, 'forbidden')
    await expectProblem(await fire(t, w.users.CSA, ticket.id, { event: 'transfer', target: { assigneeId: w.users.W3.id } }), 404, 'not_found')
    expect((await row(ticket.id)).gridCode).toBe('066-012')
    const moved = await fireOk(t, w.users.CSA, ticket.id, { event: 'transfer', target: { gridCode: w.g2.code }, note: '属二网格' })
    expect(moved.grid?.code).toBe(w.g2.code)
    expect(moved.level).toBe('grid')
    expect(moved.assignee).toBeUndefined()
    expect((await fireOk(t, w.users.W2, ticket.id, { event: 'accept' })).assignee?.id).toBe(w.users.W2.id)
  })

  it('lets a street admin dispatch to a department, whose staff then see and accept it', async () => {
    const { ticket } = await assignedTicket()
    await expectProblem(await getTicket(t, w.users.DEP, ticket.id), 404, 'ticket_not_found')
    const moved = await fireOk(t, w.users.SA1, ticket.id, { event: 'transfer', target: { departmentCode: 'housing_bureau' } })
    expect(moved.level).toBe('department')
    expect(moved.department).toEqual({ code: 'housing_bureau', name: '区住建局' })
    expect((await fireOk(t, w.users.DEP, ticket.id, { event: 'accept' })).state).toBe('accepted')
  })

  it('keeps the state on an urge and records it', async () => {
    const { ticket } = await assignedTicket()
    const urged = await fireOk(t, w.users.SA1, ticket.id, { event: 'urge', note: '请尽快处理' })
    expect(urged.state).toBe('assigned')
    expect(urged.timeline.at(-1)).toMatchObject({ event: 'urge', fromState: 'assigned', toState: 'assigned', note: '请尽快处理' })
  })

  it('lets exactly one of two workers accepting at once win', async () => {
    const { ticket } = await assignedTicket()
    await fireOk(t, w.users.CSA, ticket.id, { event: 'transfer', target: { gridCode: w.g1.code } })
    const results = await Promise.all([fire(t, w.users.W1, ticket.id, { event: 'accept' }), fire(t, w.users.W1b, ticket.id, { event: 'accept' })])
    const statuses = results.map((r) => r.status).sort()
    expect(statuses).toEqual([200, 409])
    const winner = results.find((r) => r.status === 200)
    const stored = await row(ticket.id)
    expect(stored.state).toBe('accepted')
    expect(stored.assigneeId).toBe(TicketViewSchema.parse(winner?.body).assignee?.id)
    expect((await events(ticket.id)).filter((e) => e.event === 'accept')).toHaveLength(1)
  })
})

describe('an optional Idempotency-Key on transitions', () => {
  it('turns a retried tap into one event with the first response', async () => {
    const { ticket } = await assignedTicket()
    const send = () =>
      request(t.server)
        .post(`/api/tickets/${ticket.id}/transitions`)
        .set('Authorization', bearer(t.deps.config, w.users.SA1))
        .set('Idempotency-Key', `urge-${ticket.id}`)
        .send({ event: 'urge', note: '请尽快处理' })
    const first = await send()
    const second = await send()
    expect([first.status, second.status]).toEqual([200, 200])
    expect(second.headers['idempotent-replayed']).toBe('true')
    expect((await events(ticket.id)).filter((e) => e.event === 'urge')).toHaveLength(1)
  })
})

describe('ticket event hooks', () => {
  it("are the modules' list, registered once when the app starts (not by importing a module)", () => {
    expect(registeredTicketEventHooks()).toEqual(TICKET_EVENT_HOOKS)
  })

  it('run inside the transaction after the event row: a failing hook undoes the whole transition', async () => {
    const { ticket, worker } = await assignedTicket()
    const seen: Array<[string, number, number]> = []
    const hook: TicketEventHook = async (em, _deps, changed, event) => {
      const rows = await em.getRepository(TicketEventRow).countBy({ ticketId: changed.id })
      seen.push([event.event, event.seq, rows])
      if (event.event === 'accept') throw new Error('outbox unavailable')
    }
    const atStartUp = registeredTicketEventHooks()
    registerTicketEventHooks([...atStartUp, hook])
    try {
      const res = await fire(t, worker, ticket.id, { event: 'accept' })
      expect(res.status).toBe(500)
    } finally {
      registerTicketEventHooks(atStartUp)
    }
    expect(seen).toEqual([['accept', 3, 3]])
    expect((await row(ticket.id)).state).toBe('assigned')
    expect((await events(ticket.id)).length).toBe(2)
  })
})
