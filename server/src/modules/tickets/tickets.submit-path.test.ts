import { randomUUID } from 'node:crypto'
import { ProblemSchema, TicketViewSchema } from '@palm/shared'
import request from 'supertest'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { ConflictError } from '../../errors'
import { bearer } from '../../../test/factories'
import { createTestContext, type TestContext } from '../../../test/test-app'
import { MONDAY_MORNING, createTicketWorld, getTicket, reportBody, submitTicket, uploadPhoto, type TicketWorld } from '../../../test/tickets-factories'
import { Message, NotificationOutbox } from '../notifications/index'
import { PerSourceCache } from '../sla/index'
import { isTicketNumberClash } from './commands/create-ticket'
import { FRESH_HANDLING } from './commands/filing-source'
import { IdempotencyKey } from '../idempotency/index'
import { Ticket, TicketAttachment, TicketEventRow } from './ticket.entity'
import { PendingWrites, insertRows } from '../../db/write-batch'

/**
 * The fast submission path (bench/README.md): the answer is built from what filing the ticket learned
 * instead of reading it back, reference data comes from a short-lived copy in memory, and the writes
 * go in one transaction (one round trip on MariaDB). These tests hold it to the slow path's results.
 */
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

function ticketRow(id: string, number: string): Ticket {
  return Object.assign(new Ticket(), {
    id,
    number,
    kind: 'report',
    category: 'sanitation',
    state: 'assigned',
    stateGroup: 'open',
    description: '测试',
    details: null,
    lat: null,
    lng: null,
    address: null,
    level: 'community',
    gridCode: null,
    communityCode: w.ca.code,
    streetCode: w.s1.code,
    departmentCode: null,
    assigneeId: null,
    reporterId: w.users.R1.id,
    anonymous: false,
    allowPublication: false,
    routingReason: '测试',
    routingInputs: '{}',
    dispatchedAt: MONDAY_MORNING,
    acceptDueAt: MONDAY_MORNING,
    resolveDueAt: MONDAY_MORNING,
    dueAt: MONDAY_MORNING,
    acceptedAt: null,
    resolvedAt: null,
    closedAt: null,
    lastReplyAt: null,
    resolution: null,
    rating: null,
    ratingComment: null,
    reopenCount: 0,
    source: 'resident',
    contactPhone: null,
    contactName: null,
    emergency: false,
    ...FRESH_HANDLING,
    version: 1,
    createdAt: MONDAY_MORNING,
    updatedAt: MONDAY_MORNING
  })
}

describe('POST /api/tickets answers with the view GET /api/tickets/:id gives for the stored ticket', () => {
  const cases: Array<[string, (w: TicketWorld) => Promise<Record<string, unknown>>]> = [
    ['a report routed to a grid worker, with two photos', async (w) => reportBody(w, { attachmentIds: [await uploadPhoto(t, w.users.R1), await uploadPhoto(t, w.users.R1)] })],
    ['a report with only a community (the community queue)', async (w) => reportBody(w, { location: undefined, communityCode: w.ca.code })],
    [
      'an anonymous fraud tip (a department instead of the grid)',
      async (w) => ({ kind: 'fraud_tip', category: 'telecom_fraud', description: '有人冒充客服要求转账', location: w.g1.center, anonymous: true })
    ],
    [
      'a self-built-house hazard (a department beside the grid)',
      async (w) => ({ kind: 'hazard_tip', category: 'self_built_house', description: '自建房墙体开裂', location: w.g3.center, allowPublication: true })
    ],
    // Text that would end or break a statement if it were not escaped inside the one batched statement.
    ['text with quotes, semicolons, backslashes and question marks', async (w) => reportBody(w, { description: `楼道'; END; COMMIT; -- 漏水?\\ "x" \\'; ?`, address: `3号楼?'\\` })]
  ]
  it.each(cases)('%s', async (_name, makeBody) => {
    const sent = await makeBody(w)
    const posted = await submitTicket(t, w.users.R1, sent)
    expect(posted.status).toBe(201)
    const view = TicketViewSchema.parse(posted.body)
    const got = await getTicket(t, w.users.R1, view.id)
    expect(got.status).toBe(200)
    expect(posted.body).toEqual(got.body)
    expect(view.description).toBe(String(sent.description).trim())
  })

  it('replays the same answer for the same key', async () => {
    const key = randomUUID()
    const first = await submitTicket(t, w.users.R2, reportBody(w), key)
    const again = await submitTicket(t, w.users.R2, reportBody(w), key)
    expect(again.headers['idempotent-replayed']).toBe('true')
    expect(again.body).toEqual(first.body)
    expect((await getTicket(t, w.users.R2, TicketViewSchema.parse(first.body).id)).body).toEqual(first.body)
  })

  it('writes the ticket, both events, the notices and the key’s completion together', async () => {
    const key = randomUUID()
    const view = TicketViewSchema.parse((await submitTicket(t, w.users.R3, reportBody(w), key)).body)
    expect(await t.db.ds.getRepository(TicketEventRow).countBy({ ticketId: view.id })).toBe(2)
    const messages = await t.db.ds.getRepository(Message).findBy({ ticketId: view.id })
    expect(messages.map((m) => m.userId).sort()).toEqual([w.users.R3.id, view.assignee?.id].sort())
    expect(await t.db.ds.getRepository(NotificationOutbox).countBy({ userId: view.assignee?.id ?? '', messageId: messages.find((m) => m.userId !== w.users.R3.id)?.id ?? '' })).toBe(
      Object.keys(t.deps.config.wechat.templateIds).length > 0 ? 1 : 0
    )
    const stored = await t.db.ds.getRepository(IdempotencyKey).findOneByOrFail({ userId: w.users.R3.id, key })
    expect(stored).toMatchObject({ status: 'done', responseStatus: 201 })
    expect(JSON.parse(stored.responseBody ?? 'null')).toEqual(JSON.parse(JSON.stringify(view)))
  })
})

describe('reference data kept in memory', () => {
  it('follows a category switched off through the API at once (this instance drops its copy)', async () => {
    const admin = bearer(t.deps.config, w.users.DA)
    expect((await submitTicket(t, w.users.R1, reportBody(w, { category: 'neighbour_dispute' }))).status).toBe(201)
    const off = await request(t.server).patch('/api/tickets/categories/neighbour_dispute').set('Authorization', admin).send({ active: false })
    expect(off.status).toBe(200)
    try {
      const refused = await submitTicket(t, w.users.R1, reportBody(w, { category: 'neighbour_dispute' }))
      expect(refused.status).toBe(400)
      expect(ProblemSchema.parse(refused.body).code).toBe('unknown_category')
    } finally {
      await request(t.server).patch('/api/tickets/categories/neighbour_dispute').set('Authorization', admin).send({ active: true })
    }
    expect((await submitTicket(t, w.users.R1, reportBody(w, { category: 'neighbour_dispute' }))).status).toBe(201)
  })

  it('keeps a copy for the time to live, shares one load, and reloads after it or when invalidated', async () => {
    let clock = 0
    let loads = 0
    const cache = new PerSourceCache(
      async () => ++loads,
      30_000,
      () => clock
    )
    const [a, b] = await Promise.all([cache.get(t.db.ds), cache.get(t.db.ds)])
    expect([a, b, loads]).toEqual([1, 1, 1])
    clock = 29_999
    expect(await cache.get(t.db.ds)).toBe(1)
    clock = 30_000
    expect(await cache.get(t.db.ds)).toBe(2)
    cache.invalidate(t.db.ds)
    expect(await cache.get(t.db.ds)).toBe(3)
  })

  it('forgets a failed load, so the next caller reads again', async () => {
    let calls = 0
    const cache = new PerSourceCache(async () => {
      calls++
      if (calls === 1) throw new Error('database away')
      return 'fresh'
    })
    await expect(cache.get(t.db.ds)).rejects.toThrow('database away')
    expect(await cache.get(t.db.ds)).toBe('fresh')
  })
})

describe('PendingWrites: all or nothing', () => {
  it('writes nothing when a later row breaks a unique index (the whole batch is one transaction)', async () => {
    const writes = new PendingWrites()
    const id = randomUUID()
    writes.insert(Ticket, [ticketRow(id, `PCTEST-${randomUUID().slice(0, 8)}`)])
    const upload = await uploadPhoto(t, w.users.R1)
    const attachment = { uploadId: upload, ticketId: id, role: 'report', eventSeq: 1, createdAt: MONDAY_MORNING }
    writes.insert(TicketAttachment, [attachment, { ...attachment }])
    await expect(writes.commit(t.db.ds)).rejects.toThrow()
    expect(await t.db.ds.getRepository(Ticket).countBy({ id })).toBe(0)
    expect(await t.db.ds.getRepository(TicketAttachment).countBy({ uploadId: upload })).toBe(0)
  })

  it('writes nothing and throws the guard’s error when a guarded update changes no row', async () => {
    const writes = new PendingWrites()
    const id = randomUUID()
    writes.insert(Ticket, [ticketRow(id, `PCTEST-${randomUUID().slice(0, 8)}`)])
    writes.guard("UPDATE idempotency_keys SET status = 'done' WHERE id = ? AND status = 'in_flight'", [randomUUID()], () => new ConflictError('idempotency_in_flight', 'taken over'))
    await expect(writes.commit(t.db.ds)).rejects.toMatchObject({ code: 'idempotency_in_flight' })
    expect(await t.db.ds.getRepository(Ticket).countBy({ id })).toBe(0)
  })

  it('tells a clash of ticket numbers (draw again) from other unique violations (refuse)', async () => {
    const number = `PCTEST-${randomUUID().slice(0, 8)}`
    await insertRows(t.db.ds.manager, Ticket, [ticketRow(randomUUID(), number)])
    const numberClash = await insertRows(t.db.ds.manager, Ticket, [ticketRow(randomUUID(), number)]).catch((e: unknown) => e)
    expect(isTicketNumberClash(numberClash)).toBe(true)
    const upload = await uploadPhoto(t, w.users.R1)
    const row = { uploadId: upload, ticketId: randomUUID(), role: 'report', eventSeq: 1, createdAt: MONDAY_MORNING }
    await insertRows(t.db.ds.manager, TicketAttachment, [row])
    const photoClash = await insertRows(t.db.ds.manager, TicketAttachment, [row]).catch((e: unknown) => e)
    expect(photoClash).toBeInstanceOf(Error)
    expect(isTicketNumberClash(photoClash)).toBe(false)
  })
})
