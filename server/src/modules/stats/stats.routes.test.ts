import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ProblemSchema, StatsViewSchema } from '@palm/shared'
import { createTestContext, type TestContext } from '../../../test/test-app'
import { bearer, createUser } from '../../../test/factories'
import { createGridWorker, createRoutingTerritory, insertTicketRow, type RoutingTerritory } from '../../../test/routing-factories'
import type { User } from '../auth/user.entity'
import { withTx } from '../../db/tx'
import { rebuildStats } from './rebuild'
import { refreshPassedDeadlines } from './deadlines.job'

let t: TestContext
let territory: RoutingTerritory
const users: Record<string, User> = {}

/** Beijing wall-clock time → Date. */
const bj = (isoLocal: string) => new Date(`${isoLocal}+08:00`)
const HOUR = 3_600_000
const NOW = bj('2026-11-30T10:00')

/** A ticket received at `at` in `place`, with its deadlines 2 hours and 3 days later. */
function ticketIn(place: { code: string; communityCode: string; streetCode: string }, at: Date, fields: Parameters<typeof insertTicketRow>[1] = {}) {
  return insertTicketRow(t.db.ds, {
    gridCode: place.code,
    communityCode: place.communityCode,
    streetCode: place.streetCode,
    createdAt: at,
    acceptDueAt: new Date(at.getTime() + 2 * HOUR),
    resolveDueAt: new Date(at.getTime() + 72 * HOUR),
    dueAt: new Date(at.getTime() + 2 * HOUR),
    ...fields
  })
}

beforeAll(async () => {
  t = await createTestContext()
  t.setNow(NOW)
  territory = await createRoutingTerritory(t.db.ds)
  const { g12, g13, g21, g50, yonghe, street, otherStreet } = territory
  users.admin = await createUser(t.db.ds, 'district_admin')
  users.streetAdmin = await createUser(t.db.ds, 'street_admin', { streetCode: street.code })
  users.otherStreetAdmin = await createUser(t.db.ds, 'street_admin', { streetCode: otherStreet.code })
  users.communityStaff = await createUser(t.db.ds, 'community_staff', { communityCode: yonghe.code, streetCode: street.code })
  users.worker = await createGridWorker(t.db.ds, g12.code, yonghe.code, street.code)
  users.department = await createUser(t.db.ds, 'department_staff', { departmentCode: 'housing_bureau' })
  users.resident = await createUser(t.db.ds, 'resident')

  const day = bj('2026-11-10T09:30')
  const at = (hours: number) => new Date(day.getTime() + hours * HOUR)
  // 066-012: on time and satisfied; accepted late and rated 3; waiting past its accept limit; accepted, still in time.
  await ticketIn(g12, day, { state: 'closed', acceptedAt: at(1), resolvedAt: at(20), rating: 5 })
  await ticketIn(g12, day, { state: 'closed', acceptedAt: at(3), resolvedAt: at(30), rating: 3 })
  await ticketIn(g12, bj('2026-11-30T07:00'), { state: 'assigned' })
  await ticketIn(g12, bj('2026-11-30T09:00'), { state: 'accepted', acceptedAt: bj('2026-11-30T09:30') })
  // Withdrawn, and received before the range: neither counts.
  await ticketIn(g12, day, { state: 'cancelled' })
  await ticketIn(g12, bj('2026-10-31T23:00'), { state: 'closed', acceptedAt: bj('2026-10-31T23:30'), resolvedAt: bj('2026-11-01T10:00'), rating: 5 })
  // 066-013 (same community): resolved after its limit, rated 4.
  await ticketIn(g13, day, { state: 'resolved', acceptedAt: at(1), resolvedAt: at(80), rating: 4 })
  // 066-021 (another community of the street): resolved in time, not rated.
  await ticketIn(g21, day, { state: 'resolved', acceptedAt: at(1), resolvedAt: at(5) })
  // Another street: open and in time.
  await ticketIn(g50, bj('2026-11-30T09:00'), { state: 'assigned' })
  // Written around the ticket hook: the figures are rebuilt from the tickets, then the deadlines that passed are settled.
  await withTx(t.db.ds, (em) => rebuildStats(em, NOW))
  await refreshPassedDeadlines(t.deps)
})
afterAll(async () => {
  await t.close()
})

const auth = (u: User | undefined) => bearer(t.deps.config, u ?? missingUser())
function missingUser(): never {
  throw new Error('missing user')
}
const range = 'from=2026-11-01&to=2026-11-30'

async function stats(user: User | undefined, query: string) {
  return request(t.server).get(`/api/stats?${query}`).set('Authorization', auth(user))
}

describe('GET /api/stats', () => {
  it('counts a grid: received, on-time acceptance, resolution, satisfaction and overdue', async () => {
    const res = await stats(users.worker, `level=grid&code=066-012&${range}`)
    expect(res.status).toBe(200)
    expect(StatsViewSchema.parse(res.body)).toEqual({
      level: 'grid',
      code: '066-012',
      name: '永和一网格',
      from: '2026-10-31T16:00:00.000Z',
      to: '2026-11-30T16:00:00.000Z',
      received: 4,
      acceptedOnTime: 2,
      resolved: 2,
      rated: 2,
      satisfied: 1,
      overdue: 2,
      // On time 2 of the 4 whose accept limit has come; resolved 2 of the 2 resolved or past their resolve limit.
      responseRate: 0.5,
      resolutionRate: 1,
      satisfactionRate: 0.5
    })
  })

  it('adds up a community, a street and the district', async () => {
    const community = StatsViewSchema.parse((await stats(users.communityStaff, `level=community&code=${territory.yonghe.code}&${range}`)).body)
    expect(community).toMatchObject({ name: '永和社区', received: 5, acceptedOnTime: 3, resolved: 3, rated: 3, satisfied: 2, overdue: 3, responseRate: 0.6, resolutionRate: 1 })
    const street = StatsViewSchema.parse((await stats(users.streetAdmin, `level=street&code=${territory.street.code}&${range}`)).body)
    expect(street).toMatchObject({ received: 6, acceptedOnTime: 4, resolved: 4, rated: 3, satisfied: 2, overdue: 3 })
    const district = StatsViewSchema.parse((await stats(users.admin, `level=district&${range}`)).body)
    expect(district).toMatchObject({ code: '140213', name: '平城区', received: 7, acceptedOnTime: 4, resolved: 4, overdue: 3 })
  })

  it('lets supervisors look down into the units of their scope', async () => {
    expect((await stats(users.communityStaff, `level=grid&code=066-013&${range}`)).status).toBe(200)
    expect((await stats(users.streetAdmin, `level=community&code=${territory.lvdi.code}&${range}`)).status).toBe(200)
    expect((await stats(users.admin, `level=grid&code=050-001&${range}`)).status).toBe(200)
  })

  it('answers null rates for a unit with nothing received, and the days of the last 30 days by default', async () => {
    const res = StatsViewSchema.parse((await stats(users.admin, 'level=grid&code=066-021&from=2025-01-01&to=2025-01-31')).body)
    expect(res).toMatchObject({ received: 0, responseRate: null, resolutionRate: null, satisfactionRate: null })
    const byDefault = StatsViewSchema.parse((await stats(users.admin, 'level=district')).body)
    // Whole Beijing days from 30 days ago up to today (the daily rows' grain).
    expect(byDefault.from).toBe(bj('2026-10-31T00:00').toISOString())
    expect(byDefault.to).toBe(bj('2026-12-01T00:00').toISOString())
  })

  it('does not count a ticket still inside its accept limit as a failure (day one)', async () => {
    const res = StatsViewSchema.parse((await stats(users.admin, `level=grid&code=050-001&from=2026-11-30&to=2026-11-30`)).body)
    expect(res).toMatchObject({ received: 1, acceptedOnTime: 0, responseRate: null, resolutionRate: null, overdue: 0 })
  })

  it.each([
    ['worker', 'level=grid&code=066-013'],
    ['worker', 'level=community&code=140213066001'],
    ['worker', 'level=district'],
    ['communityStaff', 'level=community&code=140213066002'],
    ['communityStaff', 'level=street&code=140213066'],
    ['otherStreetAdmin', 'level=street&code=140213066'],
    ['otherStreetAdmin', 'level=grid&code=066-012'],
    ['department', 'level=grid&code=066-012'],
    ['admin', 'level=grid&code=999-999'],
    ['admin', 'level=district&code=110101']
  ])('returns 404 to %s for %s (out of scope or unknown)', async (who, query) => {
    const res = await stats(users[who], query)
    expect(res.status).toBe(404)
    expect(ProblemSchema.parse(res.body).code).toBe('not_found')
  })

  it('returns 401 without sign-in and 403 to a resident', async () => {
    expect((await request(t.server).get('/api/stats?level=district')).status).toBe(401)
    const res = await stats(users.resident, 'level=district')
    expect(res.status).toBe(403)
    expect(ProblemSchema.parse(res.body).code).toBe('forbidden')
  })

  it.each([
    ['', 'level'],
    ['level=city', 'level'],
    ['level=grid', 'code'],
    ['level=district&from=yesterday', 'from'],
    ['level=district&to=2026-13-01', 'to'],
    ['level=district&from=2026-11-30&to=2026-11-01', 'to'],
    ['level=district&from=2020-01-01&to=2026-11-01', 'from']
  ])('returns 400 validation_failed for “%s” at %s', async (query, path) => {
    const res = await stats(users.admin, query)
    expect(res.status).toBe(400)
    const problem = ProblemSchema.parse(res.body)
    expect(problem.code).toBe('validation_failed')
    expect(problem.errors?.[0]?.path).toBe(path)
  })
})
