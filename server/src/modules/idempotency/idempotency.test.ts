import { randomUUID } from 'node:crypto'
import { ProblemSchema } from '@palm/shared'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { withWrite } from '../../db/tx'
import { createTestContext, type TestContext } from '../../../test/test-app'
import { MONDAY_MORNING, createTicketWorld, reportBody, submitTicket, type TicketWorld } from '../../../test/tickets-factories'
import { CLAIM_HEARTBEAT_MS, CLAIM_LEASE_MS, requestHash, runIdempotent, runIdempotentWrites } from './idempotency'
import { Ticket } from '../tickets/index'
import { IdempotencyKey } from './idempotency-key.entity'
import { PendingWrites, insertRows } from '../../db/write-batch'
import { TEST_DB_KIND } from '../../../test/db'

let t: TestContext
let world: TicketWorld
let clock: Date

beforeAll(async () => {
  t = await createTestContext()
  world = await createTicketWorld(t.db.ds)
})
afterAll(async () => {
  await t.close()
})
beforeEach(() => {
  clock = MONDAY_MORNING
  t.setNow(clock)
})

const advance = (ms: number) => {
  clock = new Date(clock.getTime() + ms)
  t.setNow(clock)
}

/** The row a request that died mid-way leaves behind: its claim, in flight, last renewed `ageMs` ago. */
async function abandonedClaim(userId: string, key: string, body: unknown, ageMs: number): Promise<void> {
  await withWrite(t.db.ds, (em) =>
    em.getRepository(IdempotencyKey).insert({
      id: randomUUID(),
      userId,
      key,
      requestHash: requestHash('POST /api/tickets', body),
      status: 'in_flight',
      responseStatus: null,
      responseBody: null,
      createdAt: new Date(clock.getTime() - ageMs),
      completedAt: null
    })
  )
}

const ticketsOf = (userId: string) => t.db.ds.getRepository(Ticket).countBy({ reporterId: userId })

describe('an Idempotency-Key whose request died', () => {
  it(`lets the phone's retry succeed once the claim went ${CLAIM_LEASE_MS / 1000} s without renewal`, async () => {
    const key = randomUUID()
    const body = reportBody(world, { description: '崩溃后重试：路灯不亮' })
    await abandonedClaim(world.users.R1.id, key, body, CLAIM_LEASE_MS + 1_000)
    const before = await ticketsOf(world.users.R1.id)
    const res = await submitTicket(t, world.users.R1, body, key)
    expect(res.status).toBe(201)
    expect(await ticketsOf(world.users.R1.id)).toBe(before + 1)
    const again = await submitTicket(t, world.users.R1, body, key)
    expect(again.status).toBe(201)
    expect(again.headers['idempotent-replayed']).toBe('true')
    expect(again.body).toEqual(res.body)
    expect(await ticketsOf(world.users.R1.id)).toBe(before + 1)
  })

  it('answers 409 idempotency_in_flight, creating nothing, while the claim is younger than its lease', async () => {
    const key = randomUUID()
    const body = reportBody(world, { description: '仍在处理：井盖松动' })
    await abandonedClaim(world.users.R2.id, key, body, CLAIM_LEASE_MS - 4_000)
    const before = await ticketsOf(world.users.R2.id)
    const res = await submitTicket(t, world.users.R2, body, key)
    expect(res.status).toBe(409)
    expect(ProblemSchema.parse(res.body).code).toBe('idempotency_in_flight')
    expect(await ticketsOf(world.users.R2.id)).toBe(before)
    const row = await t.db.ds.getRepository(IdempotencyKey).findOneByOrFail({ userId: world.users.R2.id, key })
    expect(row.status).toBe('in_flight')
  })
})

/** A row standing for what a request's work creates: one more (user, key) row of its own, so it can be counted. */
function madeBy(userId: string, key: string, who: string): IdempotencyKey {
  return Object.assign(new IdempotencyKey(), {
    id: randomUUID(),
    userId,
    key: `${key.slice(0, 40)}-${who}`,
    requestHash: 'made',
    status: 'done',
    responseStatus: 201,
    responseBody: '{}',
    createdAt: clock,
    completedAt: clock
  })
}

/**
 * The submission's shape (runIdempotentWrites): the work reads first, outside any transaction, then
 * writes once, the key's claim first; `wait` holds it in its reads, as a slow request would be.
 */
function idempotent(userId: string, key: string, scope: string, body: unknown, who: string, wait: Promise<void> | null, prepared: string[]) {
  return runIdempotentWrites(t.deps, userId, key, scope, body, async () => {
    if (wait) await wait
    prepared.push(who)
    const writes = new PendingWrites()
    writes.insert(IdempotencyKey, [madeBy(userId, key, who)])
    return { status: 201, body: { by: who }, writes }
  })
}

const made = (userId: string, key: string) =>
  t.db.ds
    .getRepository(IdempotencyKey)
    .createQueryBuilder('k')
    .where('k.user_id = :userId AND k.idem_key LIKE :made', { userId, made: `${key.slice(0, 40)}-%` })
    .getCount()

describe('two requests with one key', () => {
  it('both preparing at once: the first to write is the answer, the other replays it, and only one writes', async () => {
    const userId = world.users.R3.id
    const key = randomUUID()
    let finish: () => void = () => undefined
    const held = new Promise<void>((resolve) => (finish = resolve))
    const prepared: string[] = []
    const first = idempotent(userId, key, 'POST /test/race', { n: 1 }, 'first', held, prepared)
    const duplicate = await idempotent(userId, key, 'POST /test/race', { n: 1 }, 'duplicate', null, prepared)
    expect(duplicate).toMatchObject({ status: 201, body: { by: 'duplicate' }, replayed: false })
    finish()
    expect(await first).toMatchObject({ status: 201, body: { by: 'duplicate' }, replayed: true })
    expect(prepared).toEqual(['duplicate', 'first'])
    expect(await made(userId, key)).toBe(1)
    const row = await t.db.ds.getRepository(IdempotencyKey).findOneByOrFail({ userId, key })
    expect(row.status).toBe('done')
  })

  it('another body while the first one prepares: 422 for whichever writes second, nothing of it written', async () => {
    const userId = world.users.R2.id
    const key = randomUUID()
    let finish: () => void = () => undefined
    const held = new Promise<void>((resolve) => (finish = resolve))
    const first = idempotent(userId, key, 'POST /test/race', { n: 1 }, 'first', held, [])
    expect(await idempotent(userId, key, 'POST /test/race', { n: 2 }, 'other', null, [])).toMatchObject({ body: { by: 'other' }, replayed: false })
    finish()
    await expect(first).rejects.toMatchObject({ code: 'idempotency_key_reused' })
    expect(await made(userId, key)).toBe(1)
  })

  it('a failing attempt still replays a stored answer (the replay does not depend on what the reads find now)', async () => {
    const userId = world.users.R1.id
    const key = randomUUID()
    expect(await idempotent(userId, key, 'POST /test/replay', { n: 3 }, 'first', null, [])).toMatchObject({ replayed: false })
    const failing = runIdempotentWrites(t.deps, userId, key, 'POST /test/replay', { n: 3 }, () => Promise.reject(new Error('the reads refuse now')))
    expect(await failing).toMatchObject({ status: 201, body: { by: 'first' }, replayed: true })
    const fresh = runIdempotentWrites(t.deps, userId, randomUUID(), 'POST /test/replay', { n: 3 }, () => Promise.reject(new Error('the reads refuse now')))
    await expect(fresh).rejects.toThrow('the reads refuse now')
  })
})

describe.skipIf(TEST_DB_KIND !== 'mariadb')('a key being written right now (MariaDB: transactions overlap)', () => {
  it('is 409 idempotency_in_flight at once for the duplicate, which writes nothing; after a rollback the key is free', async () => {
    const userId = world.users.R3.id
    const key = randomUUID()
    const runner = t.db.ds.createQueryRunner()
    await runner.startTransaction()
    try {
      await insertRows(runner.manager, IdempotencyKey, [{ ...madeBy(userId, key, 'x'), key, requestHash: requestHash('POST /test/busy', { n: 4 }) }])
      const started = Date.now()
      await expect(idempotent(userId, key, 'POST /test/busy', { n: 4 }, 'duplicate', null, [])).rejects.toMatchObject({ code: 'idempotency_in_flight' })
      expect(Date.now() - started).toBeLessThan(2_000) // no lock wait (innodb_lock_wait_timeout is 50 s)
    } finally {
      await runner.rollbackTransaction()
      await runner.release()
    }
    expect(await made(userId, key)).toBe(0)
    expect(await idempotent(userId, key, 'POST /test/busy', { n: 4 }, 'later', null, [])).toMatchObject({ body: { by: 'later' }, replayed: false })
  })
})

/**
 * runIdempotent (bookings, sign-ups): the claim is committed before the work, whose transaction
 * stays open while `wait` holds it. MariaDB only: SQLite runs one write transaction at a time, so a
 * second request could not even claim while the first one's work is open.
 */
function claimed(userId: string, key: string, scope: string, body: unknown, who: string, wait: Promise<void> | null, created: string[]) {
  return runIdempotent(t.deps, userId, key, scope, body, async () => {
    if (wait) await wait
    created.push(who)
    return { status: 201, body: { by: who } }
  })
}

describe.skipIf(TEST_DB_KIND !== 'mariadb')('a claimed request that is still running (runIdempotent)', () => {
  it('keeps its claim past the lease by renewing it, so a duplicate still gets 409', { timeout: 20_000 }, async () => {
    const userId = world.users.R3.id
    const key = randomUUID()
    let finish: () => void = () => undefined
    const held = new Promise<void>((resolve) => (finish = resolve))
    const created: string[] = []
    const first = claimed(userId, key, 'POST /test/slow', { n: 1 }, 'first', held, created)
    await new Promise((r) => setTimeout(r, 100))
    advance(CLAIM_LEASE_MS + 5_000) // the work runs "long"; its heartbeat renews the claim at this time
    await new Promise((r) => setTimeout(r, CLAIM_HEARTBEAT_MS + 700))
    await expect(claimed(userId, key, 'POST /test/slow', { n: 1 }, 'duplicate', null, created)).rejects.toMatchObject({ code: 'idempotency_in_flight' })
    finish()
    expect(await first).toMatchObject({ status: 201, body: { by: 'first' }, replayed: false })
    expect(await claimed(userId, key, 'POST /test/slow', { n: 1 }, 'later', null, created)).toMatchObject({ body: { by: 'first' }, replayed: true })
    expect(created).toEqual(['first'])
  })

  it('cannot complete once a retry took its stale claim over: only the retry creates', async () => {
    const userId = world.users.R1.id
    const key = randomUUID()
    let finish: () => void = () => undefined
    const held = new Promise<void>((resolve) => (finish = resolve))
    const created: string[] = []
    const stalled = claimed(userId, key, 'POST /test/takeover', { n: 2 }, 'stalled', held, created)
    await new Promise((r) => setTimeout(r, 100))
    // The first request's process stops renewing (stalled): its claim ages past the lease.
    await withWrite(t.db.ds, (em) => em.getRepository(IdempotencyKey).update({ userId, key }, { createdAt: new Date(clock.getTime() - CLAIM_LEASE_MS - 1_000) }))
    const retry = await claimed(userId, key, 'POST /test/takeover', { n: 2 }, 'retry', null, created)
    expect(retry).toMatchObject({ status: 201, body: { by: 'retry' }, replayed: false })
    finish()
    await expect(stalled).rejects.toMatchObject({ code: 'idempotency_in_flight' })
    const row = await t.db.ds.getRepository(IdempotencyKey).findOneByOrFail({ userId, key })
    expect(row.status).toBe('done')
    expect(JSON.parse(row.responseBody ?? '{}')).toEqual({ by: 'retry' })
  })
})
