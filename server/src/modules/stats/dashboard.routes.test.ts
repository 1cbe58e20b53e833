import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DashboardViewSchema, ProblemSchema, RankingViewSchema, RankingWeightsSchema } from '@palm/shared'
import { createTestContext, type TestContext } from '../../../test/test-app'
import { bearer } from '../../../test/factories'
import { createTicketWorld, fileTicket, fireOk, MONDAY_MORNING, reportBody, type TicketWorld } from '../../../test/tickets-factories'
import { withTx } from '../../db/tx'
import type { User } from '../auth/user.entity'
import { Street } from '../territory/territory.entity'
import { refreshPassedDeadlines } from './deadlines.job'
import { rebuildStats } from './rebuild'
import { StatsDaily, StatsRollup } from './stats.entity'

let t: TestContext
let w: TicketWorld
const DAY = 86_400_000
const today = '2026-11-30' // MONDAY_MORNING in Beijing

beforeAll(async () => {
  t = await createTestContext({ rateLimitScale: 1000 })
  w = await createTicketWorld(t.db.ds)
  t.setNow(MONDAY_MORNING)
})
afterAll(async () => {
  await t.close()
})

const get = (user: Pick<User, 'id' | 'role'>, path: string) => request(t.server).get(path).set('Authorization', bearer(t.deps.config, user))
async function dashboard(user: Pick<User, 'id' | 'role'>, query: string) {
  const res = await get(user, `/api/stats/dashboard?${query}`)
  if (res.status !== 200) throw new Error(`dashboard ${res.status} ${JSON.stringify(res.body)}`)
  return DashboardViewSchema.parse(res.body)
}
async function expectProblem(res: request.Response, status: number, code: string, path?: string) {
  expect(res.status).toBe(status)
  const problem = ProblemSchema.parse(res.body)
  expect(problem.code).toBe(code)
  if (path) expect(problem.errors?.[0]?.path).toBe(path)
}
async function dailyRows() {
  const rows = await t.db.ds.getRepository(StatsDaily).find({ order: { day: 'ASC', gridCode: 'ASC', category: 'ASC', source: 'ASC' } })
  const rollup = await t.db.ds.getRepository(StatsRollup).find({ order: { dim: 'ASC', scope: 'ASC', day: 'ASC', item: 'ASC', source: 'ASC' } })
  const counted = (r: { received: number; overdue: number }) => r.received !== 0 || r.overdue !== 0
  return { daily: rows.filter(counted).map((r) => ({ ...r })), rollup: rollup.filter(counted).map((r) => ({ ...r })) }
}

describe('figures kept by the ticket transitions', () => {
  let worker: User
  it('counts a ticket inside its accept limit as neither success nor failure', async () => {
    const a = await fileTicket(t, w.users.R1, reportBody(w))
    worker = (a.assignee?.id === w.users.W1.id ? w.users.W1 : w.users.W1b) as User
    await fireOk(t, worker, a.id, { event: 'accept' })
    await fireOk(t, worker, a.id, { event: 'reply', note: '已清运' })
    await fireOk(t, worker, a.id, { event: 'resolve' })
    await fireOk(t, w.users.R1, a.id, { event: 'rate', rating: { score: 5 } })
    await fileTicket(t, w.users.R2, reportBody(w)) // B: waits in G1
    await fileTicket(t, w.users.R3, reportBody(w, { location: w.g3.center, address: '永泰小区' })) // C: another street
    const d = await fileTicket(t, w.users.R2, reportBody(w, { description: '楼下路灯不亮已经一周了' }))
    await fireOk(t, w.users.R2, d.id, { event: 'cancel' }) // withdrawn: counts nowhere

    const view = await dashboard(w.users.DA, `level=district&from=${today}&to=${today}`)
    expect(view.unit).toMatchObject({ received: 3, acceptedOnTime: 1, acceptMissed: 0, resolved: 1, rated: 1, satisfied: 1, overdue: 0 })
    expect(view.unit).toMatchObject({ responseRate: 1, resolutionRate: 1, satisfactionRate: 1 })
  })

  it('counts the misses once the limits pass, through the stats-deadlines job', async () => {
    t.setNow(new Date(MONDAY_MORNING.getTime() + 10 * DAY))
    expect(await refreshPassedDeadlines(t.deps)).toBe(2)
    expect(await refreshPassedDeadlines(t.deps)).toBe(0) // settled: nothing is claimed twice
    const view = await dashboard(w.users.DA, `level=district&from=${today}&to=${today}`)
    expect(view.unit).toMatchObject({ received: 3, acceptedOnTime: 1, acceptMissed: 2, resolved: 1, openPastResolve: 2, overdue: 2 })
    expect(view.unit.responseRate).toBeCloseTo(1 / 3)
    expect(view.unit.resolutionRate).toBeCloseTo(1 / 3)
  })

  it('keeps the same daily and rollup rows as a rebuild from the tickets table', async () => {
    const live = await dailyRows()
    expect(live.rollup.filter((r) => r.dim === 'street').map((r) => [r.item, r.received])).toEqual(
      [
        [w.s2.code, 1],
        [w.s1.code, 2]
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0])))
    )
    await withTx(t.db.ds, (em) => rebuildStats(em, t.deps.now()))
    await refreshPassedDeadlines(t.deps)
    expect(await dailyRows()).toEqual(live)
  })
})

describe('patrol finds (巡查发现) and reports filed for a resident (代报)', () => {
  it('are received like any ticket and counted apart', async () => {
    const day = new Date(t.deps.now().getTime() + 8 * 3_600_000).toISOString().slice(0, 10)
    const before = (await dashboard(w.users.DA, `level=district&from=${day}&to=${day}`)).unit
    await fileTicket(t, w.users.W1, reportBody(w, { source: 'patrol', description: '巡查发现：楼道堆放杂物' }))
    await fileTicket(t, w.users.W1, reportBody(w, { source: 'on_behalf', onBehalf: { phone: '13800138000' }, description: '代居民上报：路灯不亮' }))
    const after = (await dashboard(w.users.DA, `level=district&from=${day}&to=${day}`)).unit
    expect(after.received - before.received).toBe(2)
    expect([after.patrol - before.patrol, after.onBehalf - before.onBehalf]).toEqual([1, 1])
    const grid = await dashboard(w.users.W1, `level=grid&code=${w.g1.code}&from=${day}&to=${day}`)
    expect(grid.unit).toMatchObject({ patrol: 1, onBehalf: 1 })
  })
})

describe('GET /api/stats/dashboard', () => {
  it('lists every street of the district side by side, a day per trend point and the categories', async () => {
    const view = await dashboard(w.users.DA, `level=district&from=2026-11-24&to=${today}`)
    expect(view.childLevel).toBe('street')
    expect(view.children.map((c) => c.code)).toEqual((await t.db.ds.getRepository(Street).find({ order: { code: 'ASC' } })).map((s) => s.code))
    expect(view.children.find((c) => c.code === w.s1.code)).toMatchObject({ level: 'street', received: 2, acceptedOnTime: 1, acceptMissed: 1 })
    expect(view.children.find((c) => c.code === w.s2.code)).toMatchObject({ received: 1, acceptMissed: 1, responseRate: 0 })
    expect(view.trend.map((p) => p.period)).toEqual(['2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29', '2026-11-30'])
    expect(view.trend.at(-1)).toMatchObject({ received: 3 })
    expect(view.categories).toEqual([expect.objectContaining({ category: 'sanitation', received: 3 })])
  })

  it('goes down to communities and grids, and groups the trend by week (Monday first)', async () => {
    const street = await dashboard(w.users.SA1, `level=street&code=${w.s1.code}&from=2026-11-17&to=${today}&granularity=week`)
    expect(street.childLevel).toBe('community')
    expect(street.children.find((c) => c.code === w.ca.code)).toMatchObject({ received: 2 })
    // 2026-11-17 is a Tuesday: each point is named by the Monday of its week.
    expect(street.trend.map((p) => [p.period, p.received])).toEqual([
      ['2026-11-16', 0],
      ['2026-11-23', 0],
      ['2026-11-30', 2]
    ])
    const community = await dashboard(w.users.CSA, `level=community&code=${w.ca.code}&from=${today}&to=${today}`)
    expect(community.children.map((c) => [c.code, c.received])).toEqual([
      [w.g1.code, 2],
      [w.g2.code, 0]
    ])
    const grid = await dashboard(w.users.W1, `level=grid&code=${w.g1.code}&from=${today}&to=${today}`)
    expect(grid).toMatchObject({ childLevel: null, children: [] })
  })

  it('exports the side-by-side table as CSV', async () => {
    const res = await get(w.users.DA, `/api/stats/dashboard.csv?level=district&from=${today}&to=${today}`)
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toContain('text/csv')
    const lines = res.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n')
    expect(lines[0]).toContain('响应率%')
    expect(lines[1]).toMatch(/^140213,平城区,3,0,0,1,2,1,2,2,1,1,33\.3,33\.3,100\.0$/)
    expect(lines.some((l) => l.startsWith(`${w.s1.code},`))).toBe(true)
  })

  it.each([
    ['SA1', () => `level=street&code=${w.s2.code}`],
    ['CSA', () => `level=community&code=${w.cb.code}`],
    ['W1', () => `level=grid&code=${w.g3.code}`],
    ['SA1', () => 'level=district'],
    ['DEP', () => 'level=district']
  ])('answers 404 to %s for a unit outside their scope', async (who, query) => {
    await expectProblem(await get(w.users[who as keyof TicketWorld['users']], `/api/stats/dashboard?${query()}`), 404, 'not_found')
    await expectProblem(await get(w.users[who as keyof TicketWorld['users']], `/api/stats/dashboard.csv?${query()}`), 404, 'not_found')
  })

  it.each([
    ['level=district&from=2026-11-30&to=2026-11-01', 'to'],
    ['level=district&from=2020-01-01&to=2026-11-01', 'from'],
    ['level=district&granularity=month', 'granularity'],
    ['level=district&from=2026-11-31', 'from']
  ])('answers 400 to “%s” at %s', async (query, path) => {
    await expectProblem(await get(w.users.DA, `/api/stats/dashboard?${query}`), 400, 'validation_failed', path)
  })
})

describe('GET /api/stats/ranking and the weights', () => {
  it('ranks all streets by the weighted rates, best first, with the quiet ones unranked at the end', async () => {
    const res = await get(w.users.DA, '/api/stats/ranking?level=street&from=2026-11')
    expect(res.status).toBe(200)
    const view = RankingViewSchema.parse(res.body)
    expect(view.weights).toEqual({ response: 30, resolution: 35, satisfaction: 35 })
    const streets = await t.db.ds.getRepository(Street).count()
    expect(view.rows).toHaveLength(streets)
    // S1: response 1/2, resolution 1/2, satisfaction 1/1 → (30·0.5 + 35·0.5 + 35·1) / 100 = 67.5
    expect(view.rows[0]).toMatchObject({ code: w.s1.code, rank: 1, score: 67.5 })
    // S2: response 0, resolution 0, nothing rated → 0 (satisfaction's weight shared by the other two)
    expect(view.rows[1]).toMatchObject({ code: w.s2.code, rank: 2, score: 0 })
    expect(view.rows.slice(2).every((r) => r.rank === null && r.score === null)).toBe(true)
  })

  it('ranks the communities of a street for its street admin, and exports the ranking as CSV', async () => {
    const view = RankingViewSchema.parse((await get(w.users.SA1, `/api/stats/ranking?level=community&within=${w.s1.code}&from=2026-10&to=2026-11`)).body)
    expect(view.rows[0]).toMatchObject({ code: w.ca.code, rank: 1 })
    const csv = await get(w.users.DA, '/api/stats/ranking.csv?level=street&from=2026-11')
    expect(csv.status).toBe(200)
    expect(csv.text).toContain('得分(响应30%/解决35%/满意35%)')
    expect(csv.text).toContain(`1,${w.s1.code},`)
  })

  it('lets the district admin change the weighting, audited; the ranking follows', async () => {
    const res = await request(t.server).put('/api/stats/ranking-weights').set('Authorization', bearer(t.deps.config, w.users.DA)).send({ response: 50, resolution: 25, satisfaction: 25 })
    expect(res.status).toBe(200)
    expect(RankingWeightsSchema.parse(res.body)).toEqual({ response: 50, resolution: 25, satisfaction: 25 })
    const audit = (await t.db.ds.query("SELECT actor_id, detail FROM audit_events WHERE action = 'stats.weights_update'")) as Array<{ actor_id: string; detail: string }>
    expect(audit).toHaveLength(1)
    expect(audit[0]?.actor_id).toBe(w.users.DA.id)
    expect(JSON.parse(audit[0]?.detail ?? 'null')).toEqual({ before: { response: 30, resolution: 35, satisfaction: 35 }, after: { response: 50, resolution: 25, satisfaction: 25 } })
    const view = RankingViewSchema.parse((await get(w.users.DA, '/api/stats/ranking?level=street&from=2026-11')).body)
    expect(view.rows[0]).toMatchObject({ code: w.s1.code, score: 62.5 })
    expect(RankingWeightsSchema.parse((await get(w.users.W1, '/api/stats/ranking-weights')).body)).toEqual({ response: 50, resolution: 25, satisfaction: 25 })
  })

  it('refuses weights from anyone else, and weights that do not add up to 100, changing nothing', async () => {
    const put = (u: Pick<User, 'id' | 'role'>, body: object) => request(t.server).put('/api/stats/ranking-weights').set('Authorization', bearer(t.deps.config, u)).send(body)
    await expectProblem(await put(w.users.SA1, { response: 40, resolution: 30, satisfaction: 30 }), 403, 'forbidden')
    await expectProblem(await put(w.users.DA, { response: 40, resolution: 40, satisfaction: 40 }), 400, 'validation_failed', 'satisfaction')
    await expectProblem(await put(w.users.DA, { response: -10, resolution: 60, satisfaction: 50 }), 400, 'validation_failed', 'response')
    await expectProblem(await put(w.users.DA, { response: 50, resolution: 25, satisfaction: 25, bonus: 5 }), 400, 'validation_failed')
    expect(RankingWeightsSchema.parse((await get(w.users.DA, '/api/stats/ranking-weights')).body)).toEqual({ response: 50, resolution: 25, satisfaction: 25 })
    const counted = (await t.db.ds.query("SELECT COUNT(*) AS n FROM audit_events WHERE action = 'stats.weights_update'")) as Array<{ n: number | string }>
    expect(Number(counted[0]?.n)).toBe(1)
  })

  it.each([
    ['level=street&from=2027-01', 'from'], // in the future (now is December 2026)
    ['level=street&from=2026-12&to=2027-02', 'to'], // ends in the future
    ['level=street&from=2026-11&to=2026-10', 'to'], // reversed
    ['level=street&from=2026-13', 'from'],
    ['level=street', 'from'],
    ['level=grid&from=2026-11', 'level']
  ])('answers 400 to “%s” at %s', async (query, path) => {
    await expectProblem(await get(w.users.DA, `/api/stats/ranking?${query}`), 400, 'validation_failed', path)
  })

  it.each([
    ['SA1', 'level=street&from=2026-11'],
    ['SA1', 'level=community&from=2026-11'],
    ['SA1', () => `level=community&within=${w.s2.code}&from=2026-11`],
    ['CSA', () => `level=community&within=${w.s1.code}&from=2026-11`],
    ['DA', 'level=community&within=999999999&from=2026-11']
  ])('answers 404 to %s for a ranking outside their scope (%s)', async (who, query) => {
    const q = typeof query === 'function' ? query() : query
    await expectProblem(await get(w.users[who as keyof TicketWorld['users']], `/api/stats/ranking?${q}`), 404, 'not_found')
  })
})
