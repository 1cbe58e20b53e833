import { DutyBoardViewSchema, DutyViewSchema, ProblemSchema, RosterViewSchema, TicketPageSchema } from '@palm/shared'
import request from 'supertest'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { bearer, createUser } from '../../../test/factories'
import { createTicketWorld, fileTicket, MONDAY_MORNING, reportBody, type TicketWorld } from '../../../test/tickets-factories'
import { createTestContext, type TestContext } from '../../../test/test-app'
import { StaffGrid } from '../auth/staff-grid.entity'
import { User } from '../auth/user.entity'
import { pickOnDutyWorker } from '../routing/assignee'
import { RosterEntry, StaffLeave } from './duty.entity'

/*
 * Duty (docs/accounts-and-duty.md "Duty"): the worker's switch, weekly rosters and leaves, the
 * on-duty board, and routing handing a new ticket to exactly the worker who is on duty now.
 * MONDAY_MORNING is Monday 10:00 in China.
 */

let t: TestContext
let w: TicketWorld
const HOUR = 3_600_000

beforeAll(async () => {
  t = await createTestContext()
  w = await createTicketWorld(t.db.ds)
})
afterAll(async () => {
  await t.close()
})
beforeEach(async () => {
  t.setNow(MONDAY_MORNING)
  await t.db.ds.getRepository(RosterEntry).clear()
  await t.db.ds.getRepository(StaffLeave).clear()
  await t.db.ds.getRepository(User).update({ role: 'grid_worker' }, { onDuty: true })
})

const as = (user: Pick<User, 'id' | 'role'>) => bearer(t.deps.config, user)
const api = () => request(t.server)
const putRoster = (who: User, grid: string, entries: unknown[]) => api().put(`/api/admin/rosters/${grid}`).set('Authorization', as(who)).send({ entries })
const addLeave = (who: User, grid: string, body: Record<string, unknown>) => api().post(`/api/admin/rosters/${grid}/leaves`).set('Authorization', as(who)).send(body)
const rosterRows = () => t.db.ds.getRepository(RosterEntry).count()
const leaveRows = () => t.db.ds.getRepository(StaffLeave).count()

function problem(res: request.Response, status: number, code: string) {
  expect(res.status).toBe(status)
  const p = ProblemSchema.parse(res.body)
  expect(p.code).toBe(code)
  return p
}

/** The assignee routing picks for a new sanitation report in grid G1 now. */
async function routedInG1() {
  const ticket = await fileTicket(t, w.users.R1, reportBody(w))
  return { level: ticket.level, assigneeId: ticket.assignee?.id ?? null }
}

describe('PUT/GET /api/me/duty', () => {
  it('answers 401 without sign-in and 403 to anyone but grid workers', async () => {
    problem(await api().get('/api/me/duty'), 401, 'unauthenticated')
    problem(await api().put('/api/me/duty').set('Authorization', as(w.users.CSA)).send({ onDuty: true }), 403, 'forbidden')
    problem(await api().get('/api/me/duty').set('Authorization', as(w.users.R1)), 403, 'forbidden')
  })

  it('switches the worker off and on duty, saying why', async () => {
    const off = DutyViewSchema.parse((await api().put('/api/me/duty').set('Authorization', as(w.users.W2)).send({ onDuty: false })).body)
    expect(off).toMatchObject({ onDuty: false, onDutyNow: false, reason: 'switched_off', grids: [{ gridCode: w.g2.code, gridName: '永和二网格', onDutyNow: false }] })
    expect((await t.db.ds.getRepository(User).findOneByOrFail({ id: w.users.W2.id })).onDuty).toBe(false)
    const on = DutyViewSchema.parse((await api().put('/api/me/duty').set('Authorization', as(w.users.W2)).send({ onDuty: true })).body)
    expect(on).toMatchObject({ onDuty: true, onDutyNow: true, reason: 'no_roster' })
    expect(DutyViewSchema.parse((await api().get('/api/me/duty').set('Authorization', as(w.users.W2))).body).onDutyNow).toBe(true)
  })

  it('answers 400 for a body that is not {onDuty: boolean}, changing nothing', async () => {
    problem(await api().put('/api/me/duty').set('Authorization', as(w.users.W2)).send({ onDuty: 'yes' }), 400, 'validation_failed')
    expect((await t.db.ds.getRepository(User).findOneByOrFail({ id: w.users.W2.id })).onDuty).toBe(true)
  })
})

describe('rosters', () => {
  it('stores a weekly roster and answers it back, 24:00 included', async () => {
    const res = await putRoster(w.users.CSA, w.g1.code, [
      { workerId: w.users.W1.id, weekday: 1, start: '08:00', end: '12:00' },
      { workerId: w.users.W1.id, weekday: 2, start: '00:00', end: '24:00' },
      { workerId: w.users.W1b.id, weekday: 1, start: '13:00', end: '17:30' }
    ])
    expect(res.status).toBe(200)
    const view = RosterViewSchema.parse(res.body)
    expect(view.entries.map((e) => [e.workerName, e.weekday, e.start, e.end])).toEqual([
      ['张三', 1, '08:00', '12:00'],
      ['张四', 1, '13:00', '17:30'],
      ['张三', 2, '00:00', '24:00']
    ])
    const byName = new Map(view.workers.map((x) => [x.displayName, x]))
    expect(byName.get('张三')).toMatchObject({ onDutyNow: true, reason: 'in_roster' })
    expect(byName.get('张四')).toMatchObject({ onDutyNow: false, reason: 'outside_roster' })
    expect(RosterViewSchema.parse((await api().get(`/api/admin/rosters/${w.g1.code}`).set('Authorization', as(w.users.SA1))).body).entries).toHaveLength(3)
  })

  it('refuses inverted and overlapping periods and workers of another grid with field paths, changing nothing', async () => {
    await putRoster(w.users.CSA, w.g1.code, [{ workerId: w.users.W1.id, weekday: 3, start: '08:00', end: '12:00' }])
    const inverted = problem(await putRoster(w.users.CSA, w.g1.code, [{ workerId: w.users.W1.id, weekday: 1, start: '12:00', end: '08:00' }]), 400, 'validation_failed')
    expect(inverted.errors?.map((e) => e.path)).toEqual(['entries.0.end'])
    const empty = problem(await putRoster(w.users.CSA, w.g1.code, [{ workerId: w.users.W1.id, weekday: 1, start: '09:00', end: '09:00' }]), 400, 'validation_failed')
    expect(empty.errors?.map((e) => e.path)).toEqual(['entries.0.end'])
    const overlap = problem(
      await putRoster(w.users.CSA, w.g1.code, [
        { workerId: w.users.W1.id, weekday: 1, start: '08:00', end: '12:00' },
        { workerId: w.users.W1b.id, weekday: 1, start: '09:00', end: '10:00' },
        { workerId: w.users.W1.id, weekday: 1, start: '11:30', end: '14:00' }
      ]),
      400,
      'validation_failed'
    )
    expect(overlap.errors?.map((e) => e.path)).toEqual(['entries.2.start'])
    const stranger = problem(await putRoster(w.users.CSA, w.g1.code, [{ workerId: w.users.W2.id, weekday: 1, start: '08:00', end: '12:00' }]), 400, 'validation_failed')
    expect(stranger.errors?.map((e) => e.path)).toEqual(['entries.0.workerId'])
    const badTime = problem(await putRoster(w.users.CSA, w.g1.code, [{ workerId: w.users.W1.id, weekday: 8, start: '8:00', end: '25:00' }]), 400, 'validation_failed')
    expect(badTime.errors?.map((e) => e.path).sort()).toEqual(['entries.0.end', 'entries.0.start', 'entries.0.weekday'])
    const view = RosterViewSchema.parse((await api().get(`/api/admin/rosters/${w.g1.code}`).set('Authorization', as(w.users.CSA))).body)
    expect(view.entries.map((e) => [e.weekday, e.start])).toEqual([[3, '08:00']])
    expect(await rosterRows()).toBe(1)
  })

  it('answers 404 outside the caller’s area and 403 to grid workers and departments', async () => {
    problem(await putRoster(w.users.CSB, w.g1.code, []), 404, 'not_found')
    problem(await api().get(`/api/admin/rosters/${w.g1.code}`).set('Authorization', as(w.users.SA2)), 404, 'not_found')
    problem(await api().get('/api/admin/rosters/NO-SUCH-GRID').set('Authorization', as(w.users.DA)), 404, 'not_found')
    problem(await api().get(`/api/admin/rosters/${w.g1.code}`).set('Authorization', as(w.users.W1)), 403, 'forbidden')
    problem(await putRoster(w.users.DEP, w.g1.code, []), 403, 'forbidden')
    problem(await api().get(`/api/admin/rosters/${w.g1.code}`), 401, 'unauthenticated')
  })
})

describe('leaves', () => {
  it('records and deletes a leave; the worker is off duty while it lasts', async () => {
    const res = await addLeave(w.users.CSA, w.g1.code, {
      workerId: w.users.W1.id,
      from: new Date(MONDAY_MORNING.getTime() - HOUR).toISOString(),
      to: new Date(MONDAY_MORNING.getTime() + 48 * HOUR).toISOString(),
      reason: '病假'
    })
    expect(res.status).toBe(201)
    const view = RosterViewSchema.parse(res.body)
    expect(view.leaves).toMatchObject([{ workerId: w.users.W1.id, workerName: '张三', reason: '病假' }])
    expect(view.workers.find((x) => x.id === w.users.W1.id)).toMatchObject({ onDutyNow: false, reason: 'on_leave' })
    const leaveId = view.leaves[0]?.id ?? ''
    problem(await api().delete(`/api/admin/rosters/${w.g2.code}/leaves/${leaveId}`).set('Authorization', as(w.users.CSA)), 404, 'not_found')
    problem(await api().delete(`/api/admin/rosters/${w.g1.code}/leaves/${leaveId}`).set('Authorization', as(w.users.CSB)), 404, 'not_found')
    const deleted = await api().delete(`/api/admin/rosters/${w.g1.code}/leaves/${leaveId}`).set('Authorization', as(w.users.CSA))
    expect(RosterViewSchema.parse(deleted.body).leaves).toEqual([])
  })

  it('refuses a leave that ends before it starts, or of a worker of another grid, creating nothing', async () => {
    const at = MONDAY_MORNING.toISOString()
    const inverted = problem(await addLeave(w.users.CSA, w.g1.code, { workerId: w.users.W1.id, from: at, to: at }), 400, 'validation_failed')
    expect(inverted.errors?.map((e) => e.path)).toEqual(['to'])
    const stranger = problem(await addLeave(w.users.CSA, w.g1.code, { workerId: w.users.W2.id, from: at, to: new Date(MONDAY_MORNING.getTime() + HOUR).toISOString() }), 400, 'validation_failed')
    expect(stranger.errors?.map((e) => e.path)).toEqual(['workerId'])
    problem(await addLeave(w.users.CSA, w.g1.code, { workerId: w.users.W1.id, from: 'monday', to: at }), 400, 'validation_failed')
    expect(await leaveRows()).toBe(0)
  })
})

describe('routing uses "on duty now"', () => {
  it('hands the ticket to the worker whose roster holds now, whatever their load', async () => {
    await putRoster(w.users.CSA, w.g1.code, [
      { workerId: w.users.W1.id, weekday: 1, start: '08:00', end: '12:00' },
      { workerId: w.users.W1b.id, weekday: 1, start: '12:00', end: '18:00' }
    ])
    await routedInG1()
    await routedInG1()
    expect(await routedInG1()).toEqual({ level: 'grid', assigneeId: w.users.W1.id })
    t.setNow(new Date(MONDAY_MORNING.getTime() + 3 * HOUR)) // 13:00 in China
    expect(await routedInG1()).toEqual({ level: 'grid', assigneeId: w.users.W1b.id })
    t.setNow(new Date(MONDAY_MORNING.getTime() + 9 * HOUR)) // 19:00: nobody's roster holds
    expect(await routedInG1()).toEqual({ level: 'community', assigneeId: null })
  })

  it('skips a worker on leave, and queues at the community when nobody is on duty', async () => {
    await addLeave(w.users.CSA, w.g1.code, { workerId: w.users.W1.id, from: MONDAY_MORNING.toISOString(), to: new Date(MONDAY_MORNING.getTime() + HOUR).toISOString() })
    for (let i = 0; i < 2; i++) expect(await routedInG1()).toEqual({ level: 'grid', assigneeId: w.users.W1b.id })
    await t.db.ds.getRepository(User).update({ id: w.users.W1b.id }, { onDuty: false })
    expect(await routedInG1()).toEqual({ level: 'community', assigneeId: null })
    t.setNow(new Date(MONDAY_MORNING.getTime() + HOUR)) // the leave is over (its end is exclusive)
    expect(await routedInG1()).toEqual({ level: 'grid', assigneeId: w.users.W1.id })
  })

  it('agrees with the duty board at every hour of a rostered week (one rule, SQL and pages)', async () => {
    await putRoster(w.users.CSA, w.g1.code, [
      { workerId: w.users.W1.id, weekday: 1, start: '08:00', end: '12:00' },
      { workerId: w.users.W1.id, weekday: 7, start: '22:00', end: '24:00' }
    ])
    await addLeave(w.users.CSA, w.g1.code, {
      workerId: w.users.W1b.id,
      from: new Date(MONDAY_MORNING.getTime() + 2 * HOUR).toISOString(),
      to: new Date(MONDAY_MORNING.getTime() + 30 * HOUR).toISOString()
    })
    for (let h = -12; h < 7 * 24; h += 5) {
      const at = new Date(MONDAY_MORNING.getTime() + h * HOUR)
      t.setNow(at)
      const board = DutyBoardViewSchema.parse((await api().get('/api/admin/duty').set('Authorization', as(w.users.CSA))).body)
      const fromBoard = (board.grids.find((g) => g.gridCode === w.g1.code)?.workers ?? [])
        .filter((x) => x.onDutyNow)
        .map((x) => x.id)
        .sort()
      const fromRouting = (await pickOnDutyWorker(t.db.ds.manager, w.g1.code, at)).candidates.map((c) => c.id).sort()
      expect([h, fromRouting]).toEqual([h, fromBoard])
    }
  })
})

describe('GET /api/admin/duty', () => {
  it('shows community staff every grid of their community with who is on duty now', async () => {
    await t.db.ds.getRepository(User).update({ id: w.users.W2.id }, { onDuty: false })
    const board = DutyBoardViewSchema.parse((await api().get('/api/admin/duty').set('Authorization', as(w.users.CSA))).body)
    expect(board.communityCode).toBe(w.ca.code)
    expect(board.grids.map((g) => [g.gridCode, g.onDutyCount])).toEqual([
      [w.g1.code, 2],
      [w.g2.code, 0]
    ])
    expect(board.grids[1]?.workers).toMatchObject([{ id: w.users.W2.id, onDutyNow: false, reason: 'switched_off' }])
  })

  it('asks street admins to name a community of their street (400, 404 outside), and refuses grid workers (403)', async () => {
    problem(await api().get('/api/admin/duty').set('Authorization', as(w.users.SA1)), 400, 'validation_failed')
    expect((await api().get(`/api/admin/duty?communityCode=${w.ca.code}`).set('Authorization', as(w.users.SA1))).status).toBe(200)
    problem(await api().get(`/api/admin/duty?communityCode=${w.ca.code}`).set('Authorization', as(w.users.SA2)), 404, 'not_found')
    problem(await api().get(`/api/admin/duty?communityCode=${w.cb.code}`).set('Authorization', as(w.users.CSA)), 404, 'not_found')
    problem(await api().get('/api/admin/duty').set('Authorization', as(w.users.W1)), 403, 'forbidden')
  })
})

describe('a grid worker on several grids', () => {
  it('is routed tickets of each grid and sees all of them in the inbox; a one-grid worker does not', async () => {
    const both = await createUser(t.db.ds, 'grid_worker', { gridCode: w.g2.code, communityCode: w.ca.code, streetCode: w.s1.code, onDuty: true, displayName: '双格' })
    await t.db.ds.getRepository(StaffGrid).insert({ userId: both.id, gridCode: w.g1.code, isPrimary: false })
    await t.db.ds.getRepository(User).update({ id: w.users.W1.id }, { onDuty: false })
    await t.db.ds.getRepository(User).update({ id: w.users.W1b.id }, { onDuty: false })
    const inG1 = await routedInG1()
    expect(inG1).toEqual({ level: 'grid', assigneeId: both.id })
    const inbox = TicketPageSchema.parse((await api().get('/api/tickets?view=inbox&limit=50').set('Authorization', as(both))).body)
    const grids = new Set(inbox.items.map((i) => ('grid' in i ? i.grid?.code : undefined)))
    expect(grids.has(w.g1.code)).toBe(true)
    const w2Inbox = TicketPageSchema.parse((await api().get('/api/tickets?view=inbox&limit=50').set('Authorization', as(w.users.W2))).body)
    expect(w2Inbox.items.every((i) => !('grid' in i) || i.grid?.code !== w.g1.code)).toBe(true)
    const me = await api().get('/api/me').set('Authorization', as(both))
    expect(me.body.scope.gridCodes).toEqual([w.g2.code, w.g1.code])
  })
})
