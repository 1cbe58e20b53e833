import { randomUUID } from 'node:crypto'
import { ProblemSchema, TicketLimits, TicketViewSchema } from '@palm/shared'
import request from 'supertest'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createTestContext, type TestContext } from '../../../test/test-app'
import { RoutingRule, invalidateRoutingReference } from '../routing/index'
import { MONDAY_MORNING, createTicketWorld, getTicket, reportBody, submitTicket, uploadPhoto, type TicketWorld } from '../../../test/tickets-factories'
import { IDEMPOTENCY_RETENTION_MS, IdempotencyKey, idempotencyPruneJob, requestHash } from '../idempotency/index'
import { Ticket, TicketAttachment, TicketEventRow } from './ticket.entity'

let t: TestContext
let w: TicketWorld

beforeAll(async () => {
  t = await createTestContext()
  w = await createTicketWorld(t.db.ds)
})
afterAll(async () => {
  await t.close()
})
beforeEach(() => {
  t.setNow(MONDAY_MORNING)
})

const count = () => t.db.ds.getRepository(Ticket).count()

async function expectProblem(res: request.Response, status: number, code: string, path?: string) {
  expect(res.status).toBe(status)
  const problem = ProblemSchema.parse(res.body)
  expect(problem.code).toBe(code)
  if (path !== undefined) expect(problem.errors?.map((e) => e.path)).toContain(path)
  return problem
}

describe('POST /api/tickets: a report in 永和社区', () => {
  it('is routed to the grid’s on-duty worker with the reason, both clocks started at dispatch', async () => {
    const res = await submitTicket(t, w.users.R1, reportBody(w))
    expect(res.status).toBe(201)
    const view = TicketViewSchema.parse(res.body)
    expect(view.state).toBe('assigned')
    expect(view.level).toBe('grid')
    expect(view.grid).toEqual({ code: '066-012', name: '永和一网格' })
    expect(view.community).toEqual({ code: w.ca.code, name: '永和社区' })
    expect(view.street?.code).toBe(w.s1.code)
    expect([w.users.W1.id, w.users.W1b.id]).toContain(view.assignee?.id)
    // The routing reason (who is on duty, their load) is for staff; the reporter reads a plain sentence.
    expect(view.routing.reason).toBe('已分派给网格员')
    const staffView = TicketViewSchema.parse((await getTicket(t, w.users.DA, view.id)).body)
    expect(staffView.routing.reason).toContain('066-012')
    expect(view.number).toMatch(/^PC20261130-[0-9A-HJKMNP-TV-Z]{6}$/)
    // sanitation: accept within 2 working hours, from Monday 10:00 Beijing → 12:00 (04:00Z).
    expect(view.dueAt).toBe('2026-11-30T04:00:00.000Z')
    expect(view.acceptDueAt).toBe(view.dueAt)
    expect(view.timeline.map((e) => [e.event, e.fromState, e.toState, e.actor.role])).toEqual([
      ['submit', null, 'submitted', 'resident'],
      ['assign', 'submitted', 'assigned', 'system']
    ])
    expect(view.timeline[1]?.note).toBe(view.routing.reason)
    expect(view.viewer).toEqual({ isReporter: true, isFollower: false })
    expect(view.actions).toEqual(['cancel'])
    const row = await t.db.ds.getRepository(Ticket).findOneByOrFail({ id: view.id })
    expect(row.reporterId).toBe(w.users.R1.id)
    expect(JSON.parse(row.routingInputs)).toMatchObject({ category: 'sanitation', gridCode: '066-012' })
    expect(await t.db.ds.getRepository(TicketEventRow).countBy({ ticketId: view.id })).toBe(2)
  })

  it('gives consecutive tickets unrelated random ids and numbers', async () => {
    const a = TicketViewSchema.parse((await submitTicket(t, w.users.R1, reportBody(w))).body)
    const b = TicketViewSchema.parse((await submitTicket(t, w.users.R1, reportBody(w))).body)
    expect(a.id).not.toBe(b.id)
    expect(a.number).not.toBe(b.number)
    expect(a.id).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('sends a ticket with only a community to that community’s queue', async () => {
    const body = reportBody(w, { location: undefined, communityCode: w.ca.code })
    const view = TicketViewSchema.parse((await submitTicket(t, w.users.R1, body)).body)
    expect(view.level).toBe('community')
    expect(view.assignee).toBeUndefined()
    expect(view.queue).toEqual({ level: 'community', code: w.ca.code, name: '永和社区' })
  })

  it('attaches the reporter’s photos and shows them as signed URLs', async () => {
    const photo = await uploadPhoto(t, w.users.R1)
    const view = TicketViewSchema.parse((await submitTicket(t, w.users.R1, reportBody(w, { attachmentIds: [photo] }))).body)
    expect(view.attachments).toHaveLength(1)
    expect(view.attachments[0]?.url).toMatch(new RegExp(`^/api/uploads/${photo}/content\\?exp=\\d+&sig=`))
    const content = await request(t.server).get(view.attachments[0]?.url ?? '')
    expect(content.status).toBe(200)
  })
})

describe('POST /api/tickets: Idempotency-Key', () => {
  it('returns 400 idempotency_key_required without the header and creates nothing', async () => {
    const before = await count()
    await expectProblem(await submitTicket(t, w.users.R1, reportBody(w), null), 400, 'idempotency_key_required')
    expect(await count()).toBe(before)
  })

  it('replays the first response for the same key and body, creating nothing more', async () => {
    const key = randomUUID()
    const first = await submitTicket(t, w.users.R1, reportBody(w), key)
    expect(first.status).toBe(201)
    const before = await count()
    const again = await submitTicket(t, w.users.R1, reportBody(w), key)
    expect(again.status).toBe(201)
    expect(again.headers['idempotent-replayed']).toBe('true')
    expect(again.body).toEqual(first.body)
    expect(await count()).toBe(before)
  })

  it('replays a report with photos, though its photos are on the first ticket now (a new report with them is refused)', async () => {
    const key = randomUUID()
    const body = reportBody(w, { attachmentIds: [await uploadPhoto(t, w.users.R1)] })
    const first = await submitTicket(t, w.users.R1, body, key)
    expect(first.status).toBe(201)
    const before = await count()
    const again = await submitTicket(t, w.users.R1, body, key)
    expect(again.status).toBe(201)
    expect(again.headers['idempotent-replayed']).toBe('true')
    expect(again.body).toEqual(first.body)
    await expectProblem(await submitTicket(t, w.users.R1, body), 400, 'validation_failed', 'attachmentIds.0')
    expect(await count()).toBe(before)
  })

  it('returns 422 idempotency_key_reused for the same key with another body', async () => {
    const key = randomUUID()
    expect((await submitTicket(t, w.users.R1, reportBody(w), key)).status).toBe(201)
    const before = await count()
    await expectProblem(await submitTicket(t, w.users.R1, reportBody(w, { description: '另一件事' }), key), 422, 'idempotency_key_reused')
    expect(await count()).toBe(before)
  })

  it('keeps keys per user: another resident’s same key is a new request', async () => {
    const key = randomUUID()
    expect((await submitTicket(t, w.users.R1, reportBody(w), key)).status).toBe(201)
    const res = await submitTicket(t, w.users.R2, reportBody(w), key)
    expect(res.status).toBe(201)
    expect(res.headers['idempotent-replayed']).toBeUndefined()
  })

  it('returns 409 idempotency_in_flight while the first request with the key is still running', async () => {
    const key = randomUUID()
    const body = reportBody(w)
    await t.db.ds.getRepository(IdempotencyKey).insert({
      id: randomUUID(),
      userId: w.users.R1.id,
      key,
      requestHash: requestHash('POST /api/tickets', body),
      status: 'in_flight',
      responseStatus: null,
      responseBody: null,
      createdAt: MONDAY_MORNING,
      completedAt: null
    })
    const before = await count()
    await expectProblem(await submitTicket(t, w.users.R1, body, key), 409, 'idempotency_in_flight')
    expect(await count()).toBe(before)
  })

  it('lets a retry take over a claim whose request died long ago', async () => {
    const key = randomUUID()
    const body = reportBody(w)
    await t.db.ds.getRepository(IdempotencyKey).insert({
      id: randomUUID(),
      userId: w.users.R1.id,
      key,
      requestHash: requestHash('POST /api/tickets', body),
      status: 'in_flight',
      responseStatus: null,
      responseBody: null,
      createdAt: new Date(MONDAY_MORNING.getTime() - 10 * 60_000),
      completedAt: null
    })
    expect((await submitTicket(t, w.users.R1, body, key)).status).toBe(201)
  })

  it('creates one ticket for two identical requests sent at once', async () => {
    const key = randomUUID()
    const before = await count()
    const results = await Promise.all([submitTicket(t, w.users.R3, reportBody(w), key), submitTicket(t, w.users.R3, reportBody(w), key)])
    const statuses = results.map((r) => r.status).sort()
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true)
    expect(statuses).toContain(201)
    expect(await count()).toBe(before + 1)
  })

  it('forgets keys after the retention period (the prune job), not before', async () => {
    const key = randomUUID()
    expect((await submitTicket(t, w.users.R1, reportBody(w), key)).status).toBe(201)
    t.setNow(new Date(MONDAY_MORNING.getTime() + IDEMPOTENCY_RETENTION_MS - 60_000))
    await idempotencyPruneJob.run(t.deps)
    expect(await t.db.ds.getRepository(IdempotencyKey).countBy({ key })).toBe(1)
    t.setNow(new Date(MONDAY_MORNING.getTime() + IDEMPOTENCY_RETENTION_MS + 60_000))
    await idempotencyPruneJob.run(t.deps)
    expect(await t.db.ds.getRepository(IdempotencyKey).countBy({ key })).toBe(0)
  })

  it('releases the key when the request fails, so the corrected retry goes through', async () => {
    const key = randomUUID()
    await expectProblem(await submitTicket(t, w.users.R1, reportBody(w, { location: { lat: 39.9, lng: 116.4 } }), key), 400, 'out_of_district')
    expect(await t.db.ds.getRepository(IdempotencyKey).countBy({ key })).toBe(0)
    expect((await submitTicket(t, w.users.R1, reportBody(w), key)).status).toBe(201)
  })
})

describe('POST /api/tickets: bad input changes nothing', () => {
  const cases: Array<[string, (w: TicketWorld) => Record<string, unknown>, number, string, string?]> = [
    ['a location outside the district box', (w) => reportBody(w, { location: { lat: 39.9, lng: 116.4 } }), 400, 'out_of_district', 'location'],
    ['a location in the box but in no grid', (w) => reportBody(w, { location: { lat: 40.135, lng: 113.315 } }), 400, 'out_of_district', 'location'],
    ['an empty description', (w) => reportBody(w, { description: '' }), 400, 'validation_failed', 'description'],
    ['a blank description', (w) => reportBody(w, { description: '   \n ' }), 400, 'validation_failed', 'description'],
    ['a description over 2,000 characters', (w) => reportBody(w, { description: '脏'.repeat(TicketLimits.descriptionMax + 1) }), 400, 'validation_failed', 'description'],
    ['an address over 200 characters', (w) => reportBody(w, { address: '路'.repeat(201) }), 400, 'validation_failed', 'address'],
    ['more than 3 photos', (w) => reportBody(w, { attachmentIds: [1, 2, 3, 4].map(() => randomUUID()) }), 400, 'validation_failed', 'attachmentIds'],
    ['an unknown category', (w) => reportBody(w, { category: 'flying_saucers' }), 400, 'unknown_category', 'category'],
    ['a category of another kind', (w) => reportBody(w, { category: 'telecom_fraud' }), 400, 'unknown_category', 'category'],
    ['an unknown kind', (w) => reportBody(w, { kind: 'complaint' }), 400, 'validation_failed', 'kind'],
    ['an anonymous report (only tips may be)', (w) => reportBody(w, { anonymous: true }), 400, 'validation_failed', 'anonymous'],
    ['fields a resident may not set', (w) => reportBody(w, { state: 'closed', assigneeId: randomUUID() }), 400, 'validation_failed'],
    ['coordinates as strings', (w) => reportBody(w, { location: { lat: '40.05', lng: '113.25' } }), 400, 'validation_failed', 'location.lat'],
    ['an unknown community', (w) => reportBody(w, { location: undefined, communityCode: '999999999999' }), 400, 'validation_failed', 'communityCode'],
    ['details over 2 KB', (w) => reportBody(w, { details: { note: 'x'.repeat(2100) } }), 400, 'validation_failed', 'details']
  ]

  it.each(cases)('refuses %s', async (_name, body, status, code, path) => {
    const before = await count()
    const events = await t.db.ds.getRepository(TicketEventRow).count()
    await expectProblem(await submitTicket(t, w.users.R1, body(w)), status, code, path)
    expect(await count()).toBe(before)
    expect(await t.db.ds.getRepository(TicketEventRow).count()).toBe(events)
  })

  it('accepts exactly 2,000 characters', async () => {
    expect((await submitTicket(t, w.users.R1, reportBody(w, { description: '脏'.repeat(TicketLimits.descriptionMax) }))).status).toBe(201)
  })

  it('refuses another resident’s photo, and a photo already on a ticket', async () => {
    const theirs = await uploadPhoto(t, w.users.R2)
    await expectProblem(await submitTicket(t, w.users.R1, reportBody(w, { attachmentIds: [theirs] })), 400, 'validation_failed', 'attachmentIds.0')
    const mine = await uploadPhoto(t, w.users.R1)
    expect((await submitTicket(t, w.users.R1, reportBody(w, { attachmentIds: [mine] }))).status).toBe(201)
    const before = await count()
    await expectProblem(await submitTicket(t, w.users.R1, reportBody(w, { attachmentIds: [mine] })), 400, 'validation_failed', 'attachmentIds.0')
    expect(await count()).toBe(before)
    expect(await t.db.ds.getRepository(TicketAttachment).countBy({ uploadId: mine })).toBe(1)
  })

  it('answers 500 routing_failed for a ticket that would go nowhere, keeps nothing half-made and frees the key', async () => {
    // A category rule naming a department that does not exist: routing fails loudly instead of dropping the ticket.
    await t.db.ds.getRepository(RoutingRule).update({ category: 'self_built_house' }, { departmentCode: 'dissolved_bureau' })
    invalidateRoutingReference(t.db.ds) // written past the API, which would drop the cached rules itself
    const key = randomUUID()
    const body = { kind: 'hazard_tip', category: 'self_built_house', description: '自建房墙体开裂', location: w.g1.center }
    const before = await count()
    try {
      await expectProblem(await submitTicket(t, w.users.R1, body, key), 500, 'routing_failed')
      expect(await count()).toBe(before)
      expect(await t.db.ds.getRepository(IdempotencyKey).countBy({ key })).toBe(0)
    } finally {
      await t.db.ds.getRepository(RoutingRule).update({ category: 'self_built_house' }, { departmentCode: 'housing_bureau' })
      invalidateRoutingReference(t.db.ds)
    }
    expect((await submitTicket(t, w.users.R1, body, key)).status).toBe(201)
  })

  it('returns 401 without sign-in', async () => {
    const res = await request(t.server).post('/api/tickets').set('Idempotency-Key', randomUUID()).send(reportBody(w))
    expect(res.status).toBe(401)
  })
})
