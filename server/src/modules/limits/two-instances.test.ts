import { randomUUID } from 'node:crypto'
import type { DataSource } from 'typeorm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { nextIp } from '../../../test/auth-factories'
import { TEST_DB_KIND } from '../../../test/db'
import { bearer } from '../../../test/factories'
import { createManyUsers, createProviderRow, createSlotRow, createStationRow, fireAtOnce, idemKey, listenOnLoopback, summariseFired, type FiredRequest } from '../../../test/services-factories'
import { createTestContext, type TestContext } from '../../../test/test-app'
import { MONDAY_MORNING, createTicketWorld, reportBody, type TicketWorld } from '../../../test/tickets-factories'
import { createApp } from '../../app'
import { createDataSource } from '../../db/data-source'
import { lockConflictStats } from '../../db/tx'
import { createLogger } from '../../logger'
import { LegalBooking, LegalSlot } from '../legal/legal.entity'
import { Ticket } from '../tickets/ticket.entity'
import { limitOf } from './rate-limits'
import { makeKey } from '../open311/open311.test-helpers'

/**
 * Two app instances (two createApp, two DataSources and pools) on one MariaDB database: what one
 * instance allows, two allow together. `TEST_MARIADB_URL_B` (host:port) points instance B at another
 * server of the same cluster: the Galera run (scripts/galera.sh, docs/operations.md "Galera") gives
 * node 1 to A and node 2 to B. Figures go to the console (`GALERA_FIGURES`-style lines).
 */
const SCALE = 0.1
const onMariaDb = TEST_DB_KIND === 'mariadb'

function urlOfB(urlA: string): string {
  const other = process.env.TEST_MARIADB_URL_B
  if (!other) return urlA
  const a = new URL(urlA)
  const b = new URL(other)
  a.host = b.host
  return a.toString()
}

describe.skipIf(!onMariaDb)('two instances on one MariaDB', () => {
  let t: TestContext
  let w: TicketWorld
  let dsB: DataSource
  let urls: [string, string]
  const closers: Array<() => Promise<void>> = []

  beforeAll(async () => {
    t = await createTestContext({ rateLimitScale: SCALE, trustProxy: true })
    t.setNow(MONDAY_MORNING)
    w = await createTicketWorld(t.db.ds)
    if (!t.db.url) throw new Error('no MariaDB url')
    dsB = createDataSource({ kind: 'mariadb', url: urlOfB(t.db.url), pool: 20 })
    await dsB.initialize()
    const appB = createApp({ config: t.deps.config, ds: dsB, log: createLogger('silent'), now: t.deps.now })
    const a = await listenOnLoopback(t.app.callback())
    const b = await listenOnLoopback(appB.callback())
    closers.push(a.close, b.close)
    urls = [a.url, b.url]
  }, 120_000)
  afterAll(async () => {
    for (const close of closers) await close()
    if (dsB?.isInitialized) await dsB.destroy()
    await t?.close()
  })

  /** Sends each request to A or B alternately, all at once. */
  async function fireAlternately(requests: readonly FiredRequest[]) {
    const started = performance.now()
    const results = await Promise.all(requests.map((r, i) => fireAtOnce(urls[i % 2] ?? '', [r]).then((x) => x[0])))
    const elapsedMs = performance.now() - started
    return { results: results.flatMap((r) => (r ? [r] : [])), elapsedMs }
  }

  it('shares the sign-in limit: one address’s attempts through A and B together are refused past the limit', async () => {
    const { max } = limitOf(t.deps.config, 'sign_in')
    const ip = nextIp()
    const statuses: number[] = []
    for (let i = 0; i < max * 2 + 2; i++) {
      const [res] = await fireAtOnce(urls[i % 2] ?? '', [
        { method: 'POST', path: '/api/auth/staff', headers: { 'X-Forwarded-For': ip }, body: { username: 'spray-both', password: `Spray#Pass-${i}x` } }
      ])
      statuses.push(res?.status ?? 0)
    }
    expect(statuses.slice(0, max)).toEqual(Array.from({ length: max }, () => 401))
    expect(statuses.slice(max)).toEqual(Array.from({ length: max + 2 }, () => 429))
  })

  it('shares an Open311 key’s limit: its calls through A and B together are refused past the limit (429)', async () => {
    const { max } = limitOf(t.deps.config, 'open311_key')
    const { key } = await makeKey(t, w.users.DA, '两实例客户端')
    const statuses: number[] = []
    for (let i = 0; i < max * 2 + 2; i++) {
      const [res] = await fireAtOnce(urls[i % 2] ?? '', [{ method: 'GET', path: `/open311/v2/requests/PC00000000-NONE.json?api_key=${encodeURIComponent(key)}`, headers: {} }])
      statuses.push(res?.status ?? 0)
    }
    expect(statuses.slice(0, max)).toEqual(Array.from({ length: max }, () => 404))
    expect(statuses.slice(max)).toEqual(Array.from({ length: max + 2 }, () => 429))
  })

  it('shares a resident’s report limit: concurrent reports through A and B store exactly the maximum', async () => {
    const { max } = limitOf(t.deps.config, 'submission')
    const auth = bearer(t.deps.config, w.users.R1)
    const { results } = await fireAlternately(
      Array.from({ length: max * 4 }, () => ({ method: 'POST' as const, path: '/api/tickets', headers: { Authorization: auth, 'Idempotency-Key': randomUUID() }, body: reportBody(w) }))
    )
    const { counts } = summariseFired(results)
    expect(counts).toEqual({ '201': max, '429 rate_limited': max * 3 })
    expect(await t.db.ds.getRepository(Ticket).countBy({ reporterId: w.users.R1.id })).toBe(max)
  })

  it('takes concurrent reports of many residents through both instances with no error (lock conflicts retried)', async () => {
    // MULTI_INSTANCE_REPORTS raises the count for the figures of docs/operations.md (default 60).
    const residents = await createManyUsers(t.db.ds, 'resident', Number(process.env.MULTI_INSTANCE_REPORTS ?? 60), `two-inst-${randomUUID().slice(0, 6)}`)
    const before = { ...lockConflictStats }
    const { results, elapsedMs } = await fireAlternately(
      residents.map((r) => ({
        method: 'POST' as const,
        path: '/api/tickets',
        headers: { Authorization: bearer(t.deps.config, r), 'Idempotency-Key': randomUUID() },
        body: reportBody(w)
      }))
    )
    const summary = summariseFired(results)
    console.info(
      `[figures] ${residents.length} concurrent reports through 2 instances: ${JSON.stringify(summary.counts)} in ${Math.round(elapsedMs)} ms ` +
        `(${Math.round((residents.length * 1000) / elapsedMs)} req/s), p50 ${Math.round(summary.p50)} ms, p99 ${Math.round(summary.p99)} ms; ` +
        `lock conflicts ${lockConflictStats.conflicts - before.conflicts}, retried ${lockConflictStats.retried - before.retried}, gave up ${lockConflictStats.exhausted - before.exhausted}`
    )
    expect(summary.counts).toEqual({ '201': residents.length })
    expect(await t.db.ds.getRepository(Ticket).countBy({ reporterId: residents[0]?.id ?? '' })).toBe(1)
  })

  it('never overbooks: concurrent bookings for one slot through A and B give exactly its capacity', async () => {
    t.setNow(new Date('2026-12-01T02:00:00Z'))
    const station = await createStationRow(t.db.ds, { communityCode: w.ca.code, streetCode: w.s1.code })
    const provider = await createProviderRow(t.db.ds, station.id)
    const slot = await createSlotRow(t.db.ds, station, provider, new Date('2026-12-03T02:00:00Z'), 3)
    const residents = await createManyUsers(t.db.ds, 'resident', 30, `two-book-${randomUUID().slice(0, 6)}`)
    const before = { ...lockConflictStats }
    const { results, elapsedMs } = await fireAlternately(
      residents.map((r) => ({
        method: 'POST' as const,
        path: '/api/legal/bookings',
        headers: { Authorization: bearer(t.deps.config, r), 'Idempotency-Key': idemKey() },
        body: { slotId: slot.id, topic: '婚姻家庭', description: '离婚后子女抚养费问题' }
      }))
    )
    const summary = summariseFired(results)
    console.info(
      `[figures] ${residents.length} concurrent bookings for a 3-seat slot through 2 instances: ${JSON.stringify(summary.counts)} in ${Math.round(elapsedMs)} ms; ` +
        `lock conflicts ${lockConflictStats.conflicts - before.conflicts}, retried ${lockConflictStats.retried - before.retried}, gave up ${lockConflictStats.exhausted - before.exhausted}`
    )
    expect(summary.counts['201']).toBe(3)
    expect(Object.keys(summary.counts).every((k) => k === '201' || k.startsWith('409'))).toBe(true)
    expect((await t.db.ds.getRepository(LegalSlot).findOneByOrFail({ id: slot.id })).booked).toBe(3)
    expect(await t.db.ds.getRepository(LegalBooking).countBy({ slotId: slot.id })).toBe(3)
  })
})
