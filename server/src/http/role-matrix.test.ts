import { randomUUID } from 'node:crypto'
import { ActivityViewSchema, HazardViewSchema, ProblemSchema, TicketViewSchema, type TicketView } from '@palm/shared'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bearer, createUser } from '../../test/factories'
import { createProviderRow, createSlotRow, createStationRow, idemKey } from '../../test/services-factories'
import { createTestContext, type TestContext } from '../../test/test-app'
import { MONDAY_MORNING, createTicketWorld, fileTicket, fireOk, reportBody, type TicketWorld } from '../../test/tickets-factories'
import { User } from '../modules/auth/user.entity'
import { RosterEntry, StaffLeave } from '../modules/duty/index'
import { HazardEntry } from '../modules/hazards/index'
import { LegalBooking, LegalProvider, LegalSchedule, LegalStation, type LegalSlot } from '../modules/legal/index'
import { TestingPoint } from '../modules/testing-points/index'
import { Ticket } from '../modules/tickets/index'
import { RoutingRule } from '../modules/routing/index'
import { TicketCategory } from '../modules/sla/index'
import { Department } from '../modules/territory/index'
import { Volunteer, VolunteerActivity } from '../modules/volunteers/index'

/*
 * docs/security.md API1-2 / API5 across the modules besides tickets (tickets.access.routes.test.ts holds
 * the ticket table; this file adds the ticket gaps): for every staff-only write, a resident gets 403
 * (function level); for every object, staff of another grid, community, street or department get
 * 404, exactly as if it did not exist, and nothing changes. The world is docs/security.md "The test world" on real codes
 * (tickets-factories): S1 ⊃ CA ⊃ {G1, G2}; S2 ⊃ CB ⊃ G3; W1/W1b (G1), W2 (G2), W3 (G3), CSA, CSB,
 * SA1, SA2, DA, DEP (housing bureau), DEPF (anti-fraud centre), plus JUS (justice bureau).
 */
type Who = keyof TicketWorld['users'] | 'JUS'
type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'

interface Case {
  who: Who
  method: Method
  path: () => string
  body?: () => object
  status: 403 | 404 | 405
}

let t: TestContext
let w: TicketWorld
const people = {} as Record<Who, User>
const fx = {} as {
  report: TicketView
  hazardTip: TicketView
  tpRequest: TicketView
  point: { id: string }
  station: LegalStation
  provider: LegalProvider
  scheduleId: string
  slot: LegalSlot
  bookingId: string
  fireHazard: { id: string; number: string }
  houseHazard: { id: string; number: string }
  activity: { id: string; checkinCode: string }
  volunteerId: string
}

const auth = (who: Who) => bearer(t.deps.config, people[who])
const DAY = 86_400_000

function call(who: Who | null, method: Method, path: string, body?: object) {
  const agent = request(t.server)
  const req = method === 'GET' ? agent.get(path) : method === 'POST' ? agent.post(path) : method === 'PATCH' ? agent.patch(path) : method === 'PUT' ? agent.put(path) : agent.delete(path)
  if (who) req.set('Authorization', auth(who))
  if (method === 'POST' && path.endsWith('/signups')) req.set('Idempotency-Key', idemKey())
  return body === undefined || method === 'GET' || method === 'DELETE' ? req : req.send(body)
}

beforeAll(async () => {
  t = await createTestContext()
  t.setNow(MONDAY_MORNING)
  const now = MONDAY_MORNING.getTime()
  w = await createTicketWorld(t.db.ds)
  Object.assign(people, w.users, { JUS: await createUser(t.db.ds, 'department_staff', { departmentCode: 'justice_bureau', displayName: '司法局值班' }) })

  // Tickets: a report in G1, an anonymous self-built-house tip in G1 accepted by its worker, a testing-point request in G1.
  fx.report = await fileTicket(t, w.users.R1, reportBody(w))
  const tip = await fileTicket(t, w.users.R1, {
    kind: 'hazard_tip',
    category: 'self_built_house',
    description: '邻居违规加盖三层，墙体开裂',
    location: w.g1.center,
    anonymous: true,
    details: { hazardKind: 'self_built_house', place: '永和小区北侧平房' }
  })
  const tipWorker = [w.users.W1, w.users.W1b].find((u) => u.id === tip.assignee?.id)
  if (!tipWorker) throw new Error('the tip was not assigned to a worker of G1')
  fx.hazardTip = await fireOk(t, tipWorker, tip.id, { event: 'accept' })
  fx.tpRequest = await fileTicket(t, w.users.R2, {
    kind: 'testing_point_request',
    category: 'testing_point_request',
    description: '小区老人多，希望增设检测点',
    location: w.g1.center,
    details: { place: '永和小区东门', reason: '老人多，排队久' }
  })

  // Testing point in CA.
  const hours = { weekly: [1, 2, 3, 4, 5, 6, 7].map((day) => ({ day, open: '08:00', close: '12:00' })) }
  const point = await call('CSA', 'POST', '/api/testing-points', {
    name: '永和社区检测点',
    address: '永和社区服务中心',
    location: w.g1.center,
    communityCode: w.ca.code,
    openingHours: hours
  })
  expect(point.status).toBe(201)
  fx.point = { id: String(point.body.id) }

  // Legal: a station of CA with a provider, a schedule, a slot in two days and R1's booking.
  fx.station = await createStationRow(t.db.ds, { communityCode: w.ca.code, streetCode: w.s1.code })
  fx.provider = await createProviderRow(t.db.ds, fx.station.id)
  const schedule = await call('CSA', 'POST', `/api/legal/providers/${fx.provider.id}/schedules`, { weekday: 3, startTime: '09:00', endTime: '11:00', slotMinutes: 30, capacity: 1 })
  expect(schedule.status).toBe(201)
  fx.scheduleId = String(schedule.body.id)
  fx.slot = await createSlotRow(t.db.ds, fx.station, fx.provider, new Date(now + 2 * DAY), 2)
  const booking = await request(t.server)
    .post('/api/legal/bookings')
    .set('Authorization', auth('R1'))
    .set('Idempotency-Key', idemKey())
    .send({ slotId: fx.slot.id, topic: '婚姻家庭', description: '子女抚养费问题' })
  expect(booking.status).toBe(201)
  fx.bookingId = String(booking.body.id)

  // Hazard ledger: W1's fire hazard in G1 (no department) and a self-built house in G1 (housing bureau too).
  const fire = await call('W1', 'POST', '/api/hazards', { place: '永和小区3号楼', kind: 'fire', riskLevel: 'high', description: '楼道堆放杂物' })
  const house = await call('W1', 'POST', '/api/hazards', { place: '永和小区北侧', kind: 'self_built_house', riskLevel: 'medium' })
  expect([fire.status, house.status]).toEqual([201, 201])
  fx.fireHazard = HazardViewSchema.parse(fire.body)
  fx.houseHazard = HazardViewSchema.parse(house.body)

  // An alliance activity of CA, and R3's pending registration with CA.
  const activity = await call('CSA', 'POST', '/api/activities', {
    title: '反诈宣传进小区',
    place: '永和社区广场',
    communityCode: w.ca.code,
    startsAt: new Date(now + 3 * DAY).toISOString(),
    endsAt: new Date(now + 3 * DAY + 3 * 3600_000).toISOString(),
    signupDeadline: new Date(now + 2 * DAY).toISOString(),
    capacity: 20
  })
  expect(activity.status).toBe(201)
  const view = ActivityViewSchema.parse(activity.body)
  fx.activity = { id: view.id, checkinCode: view.checkinCode ?? '' }
  const registration = await call('R3', 'POST', '/api/volunteers', { name: '赵强', phone: '13912345678', communityCode: w.ca.code })
  expect(registration.status).toBe(201)
  fx.volunteerId = String(registration.body.id)
})
afterAll(async () => {
  await t.close()
})

/** A snapshot of every row the denied calls could have touched, compared before and after. */
async function snapshot() {
  const ds = t.db.ds
  return JSON.stringify(
    await Promise.all([
      ds.getRepository(TestingPoint).find({ order: { id: 'ASC' } }),
      ds.getRepository(LegalStation).find({ order: { id: 'ASC' } }),
      ds.getRepository(LegalProvider).find({ order: { id: 'ASC' } }),
      ds.getRepository(LegalSchedule).find({ order: { id: 'ASC' } }),
      ds.getRepository(LegalBooking).find({ order: { id: 'ASC' } }),
      ds.getRepository(HazardEntry).find({ order: { id: 'ASC' } }),
      ds.getRepository(VolunteerActivity).find({ order: { id: 'ASC' } }),
      ds.getRepository(Volunteer).find({ order: { id: 'ASC' } }),
      ds.getRepository(Ticket).find({ order: { id: 'ASC' } }),
      ds.getRepository(TicketCategory).find({ order: { code: 'ASC' } }),
      ds.getRepository(Department).find({ order: { code: 'ASC' } }),
      ds.getRepository(RoutingRule).find({ order: { id: 'ASC' } }),
      ds.getRepository(User).find({ order: { id: 'ASC' } }),
      ds.getRepository(RosterEntry).find({ order: { id: 'ASC' } }),
      ds.getRepository(StaffLeave).find({ order: { id: 'ASC' } })
    ])
  )
}

const RESIDENTS_FORBIDDEN: Case[] = [
  // Function level (403): the role may never do this, whatever the object.
  {
    who: 'R1',
    method: 'POST',
    path: () => '/api/testing-points',
    body: () => ({ name: 'x', address: 'x', location: w.g1.center, communityCode: w.ca.code, openingHours: { weekly: [] } }),
    status: 403
  },
  { who: 'R1', method: 'PATCH', path: () => `/api/testing-points/${fx.point.id}`, body: () => ({ status: 'closed' }), status: 403 },
  { who: 'R1', method: 'POST', path: () => `/api/testing-points/requests/${fx.tpRequest.id}/approve`, body: () => ({ name: '新检测点', openingHours: { weekly: [] } }), status: 403 },
  {
    who: 'R1',
    method: 'POST',
    path: () => '/api/legal/stations',
    body: () => ({ name: '站', level: 'community', kind: 'legal_service_room', communityCode: w.ca.code, address: '地址' }),
    status: 403
  },
  { who: 'R1', method: 'PATCH', path: () => `/api/legal/stations/${fx.station.id}`, body: () => ({ name: '改名' }), status: 403 },
  { who: 'R1', method: 'POST', path: () => `/api/legal/stations/${fx.station.id}/providers`, body: () => ({ name: '律师', kind: 'lawyer' }), status: 403 },
  { who: 'R1', method: 'POST', path: () => `/api/legal/stations/${fx.station.id}/slots/generate`, body: () => ({ days: 1 }), status: 403 },
  { who: 'R1', method: 'PATCH', path: () => `/api/legal/providers/${fx.provider.id}`, body: () => ({ bio: '改' }), status: 403 },
  { who: 'R1', method: 'GET', path: () => `/api/legal/providers/${fx.provider.id}/schedules`, status: 403 },
  {
    who: 'R1',
    method: 'POST',
    path: () => `/api/legal/providers/${fx.provider.id}/schedules`,
    body: () => ({ weekday: 1, startTime: '09:00', endTime: '10:00', slotMinutes: 30, capacity: 1 }),
    status: 403
  },
  { who: 'R1', method: 'PATCH', path: () => `/api/legal/schedules/${fx.scheduleId}`, body: () => ({ active: false }), status: 403 },
  { who: 'R1', method: 'GET', path: () => '/api/hazards', status: 403 },
  { who: 'R1', method: 'GET', path: () => '/api/hazards/export.csv', status: 403 },
  { who: 'R1', method: 'GET', path: () => `/api/hazards/${fx.fireHazard.id}`, status: 403 },
  { who: 'R1', method: 'POST', path: () => '/api/hazards', body: () => ({ place: 'x', kind: 'fire', riskLevel: 'low', gridCode: w.g1.code }), status: 403 },
  { who: 'R1', method: 'POST', path: () => `/api/hazards/${fx.fireHazard.id}/transitions`, body: () => ({ event: 'dismiss' }), status: 403 },
  { who: 'R1', method: 'POST', path: () => `/api/hazards/from-ticket/${fx.hazardTip.id}`, body: () => ({}), status: 403 },
  {
    who: 'R1',
    method: 'POST',
    path: () => '/api/activities',
    body: () => ({ title: 'x', place: 'x', startsAt: '2027-01-01T10:00:00+08:00', endsAt: '2027-01-01T11:00:00+08:00', signupDeadline: '2027-01-01T09:00:00+08:00', capacity: 1 }),
    status: 403
  },
  { who: 'R1', method: 'PATCH', path: () => `/api/activities/${fx.activity.id}`, body: () => ({ title: '改掉' }), status: 403 },
  { who: 'R1', method: 'GET', path: () => `/api/activities/${fx.activity.id}/signups`, status: 403 },
  { who: 'R1', method: 'GET', path: () => '/api/volunteers', status: 403 },
  { who: 'R1', method: 'POST', path: () => `/api/volunteers/${fx.volunteerId}/approve`, status: 403 },
  { who: 'R1', method: 'POST', path: () => `/api/volunteers/${fx.volunteerId}/reject`, body: () => ({ reason: '不符合' }), status: 403 },
  { who: 'R1', method: 'POST', path: () => `/api/volunteers/${fx.volunteerId}/awards`, body: () => ({ title: '奖', issuer: '区', awardedAt: '2026-11-01T00:00:00+08:00' }), status: 403 },
  { who: 'R1', method: 'POST', path: () => '/api/anti-fraud/alerts', body: () => ({ title: '假警报', body: '假' }), status: 403 },
  { who: 'R1', method: 'GET', path: () => `/api/stats?level=community&code=${w.ca.code}`, status: 403 },
  { who: 'R1', method: 'POST', path: () => '/api/routing/explain', body: () => ({ category: 'sanitation', communityCode: w.ca.code }), status: 403 },
  { who: 'R1', method: 'GET', path: () => '/api/routing/rules', status: 403 },
  { who: 'R1', method: 'POST', path: () => '/api/routing/rules', body: () => ({ category: 'sanitation', departmentCode: 'housing_bureau', mode: 'instead' }), status: 403 },
  { who: 'R1', method: 'PATCH', path: () => `/api/routing/rules/${randomUUID()}`, body: () => ({ active: false }), status: 403 },
  { who: 'R1', method: 'PATCH', path: () => '/api/tickets/categories/sanitation', body: () => ({ acceptWithinMinutes: 1 }), status: 403 },
  { who: 'R1', method: 'POST', path: () => '/api/routing/rules/preview', body: () => ({ action: 'deactivate', ruleId: 'default-telecom_fraud' }), status: 403 },
  { who: 'R1', method: 'DELETE', path: () => '/api/routing/rules/default-telecom_fraud', status: 403 },
  { who: 'R1', method: 'GET', path: () => '/api/admin/categories', status: 403 },
  { who: 'R1', method: 'POST', path: () => '/api/admin/categories', body: () => ({ code: 'noise', name: '噪音', kind: 'report', acceptWithin: 60, resolveWithin: 900 }), status: 403 },
  { who: 'R1', method: 'PATCH', path: () => '/api/admin/categories/sanitation', body: () => ({ active: false }), status: 403 },
  { who: 'R1', method: 'GET', path: () => '/api/admin/departments', status: 403 },
  { who: 'R1', method: 'POST', path: () => '/api/admin/departments', body: () => ({ code: 'tax_bureau', name: '税务局' }), status: 403 },
  { who: 'R1', method: 'PATCH', path: () => '/api/admin/departments/housing_bureau', body: () => ({ active: false }), status: 403 },
  // Accounts and duty (docs/accounts-and-duty.md).
  { who: 'R1', method: 'GET', path: () => '/api/admin/accounts', status: 403 },
  { who: 'R1', method: 'GET', path: () => `/api/admin/accounts/${w.users.W1.id}`, status: 403 },
  { who: 'R1', method: 'POST', path: () => '/api/admin/accounts', body: () => ({ role: 'grid_worker', username: 'by.resident', displayName: '居民建', gridCodes: [w.g1.code] }), status: 403 },
  { who: 'R1', method: 'PATCH', path: () => `/api/admin/accounts/${w.users.W1.id}`, body: () => ({ displayName: '改' }), status: 403 },
  { who: 'R1', method: 'POST', path: () => `/api/admin/accounts/${w.users.W1.id}/disable`, status: 403 },
  { who: 'R1', method: 'POST', path: () => `/api/admin/accounts/${w.users.W1.id}/reset-password`, status: 403 },
  { who: 'R1', method: 'PUT', path: () => '/api/me/duty', body: () => ({ onDuty: true }), status: 403 },
  { who: 'R1', method: 'POST', path: () => '/api/me/wechat', body: () => ({ code: 'resident-code' }), status: 403 },
  { who: 'R1', method: 'GET', path: () => `/api/admin/rosters/${w.g1.code}`, status: 403 },
  { who: 'R1', method: 'PUT', path: () => `/api/admin/rosters/${w.g1.code}`, body: () => ({ entries: [] }), status: 403 },
  { who: 'R1', method: 'GET', path: () => '/api/admin/duty', status: 403 },
  // Object level (404): a resident is no handler of the booking they made.
  { who: 'R1', method: 'POST', path: () => `/api/legal/bookings/${fx.bookingId}/no-show`, status: 404 },
  { who: 'R1', method: 'POST', path: () => `/api/legal/bookings/${fx.bookingId}/record`, body: () => ({ summary: '自己写的记录' }), status: 404 },
  { who: 'R2', method: 'GET', path: () => `/api/legal/bookings/${fx.bookingId}`, status: 404 },
  { who: 'R2', method: 'POST', path: () => `/api/legal/bookings/${fx.bookingId}/cancel`, status: 404 },
  { who: 'R2', method: 'POST', path: () => `/api/legal/bookings/${fx.bookingId}/reschedule`, body: () => ({ slotId: fx.slot.id }), status: 404 },
  // Method tampering (API5-2): a ticket has no PATCH, PUT or DELETE at all.
  { who: 'R1', method: 'PATCH', path: () => `/api/tickets/${fx.report.id}`, body: () => ({ state: 'closed', gridCode: w.g3.code }), status: 405 },
  { who: 'R1', method: 'PUT', path: () => `/api/tickets/${fx.report.id}`, body: () => ({ state: 'closed' }), status: 405 },
  { who: 'R1', method: 'DELETE', path: () => `/api/tickets/${fx.report.id}`, status: 405 }
]

/** Staff with the wrong role for the function: grid workers run no stations or activities, approve nobody. */
const WRONG_STAFF_ROLE: Case[] = [
  { who: 'W1', method: 'PATCH', path: () => `/api/testing-points/${fx.point.id}`, body: () => ({ status: 'closed' }), status: 403 },
  { who: 'W1', method: 'POST', path: () => `/api/testing-points/requests/${fx.tpRequest.id}/approve`, body: () => ({ name: '新检测点', openingHours: { weekly: [] } }), status: 403 },
  { who: 'SA1', method: 'POST', path: () => `/api/testing-points/requests/${fx.tpRequest.id}/approve`, body: () => ({ name: '新检测点', openingHours: { weekly: [] } }), status: 403 },
  { who: 'W1', method: 'PATCH', path: () => `/api/legal/stations/${fx.station.id}`, body: () => ({ name: '改名' }), status: 403 },
  { who: 'W1', method: 'PATCH', path: () => `/api/activities/${fx.activity.id}`, body: () => ({ title: '改掉' }), status: 403 },
  { who: 'W1', method: 'POST', path: () => `/api/volunteers/${fx.volunteerId}/approve`, status: 403 },
  { who: 'DEP', method: 'POST', path: () => `/api/volunteers/${fx.volunteerId}/approve`, status: 403 },
  { who: 'W1', method: 'POST', path: () => '/api/anti-fraud/alerts', body: () => ({ title: '警报', body: '内容' }), status: 403 },
  { who: 'CSA', method: 'POST', path: () => `/api/activities/${fx.activity.id}/checkin`, body: () => ({ code: fx.activity.checkinCode }), status: 403 },
  { who: 'CSA', method: 'POST', path: () => '/api/legal/bookings', body: () => ({ slotId: fx.slot.id, topic: '婚姻家庭', description: '代约' }), status: 403 },
  // The admin console (docs/console.md): a street admin reads categories, departments and rules, writes none; community staff see none.
  { who: 'SA1', method: 'POST', path: () => '/api/routing/rules/preview', body: () => ({ action: 'deactivate', ruleId: 'default-telecom_fraud' }), status: 403 },
  { who: 'SA1', method: 'DELETE', path: () => '/api/routing/rules/default-telecom_fraud', status: 403 },
  { who: 'SA1', method: 'POST', path: () => '/api/admin/categories', body: () => ({ code: 'noise', name: '噪音', kind: 'report', acceptWithin: 60, resolveWithin: 900 }), status: 403 },
  { who: 'SA1', method: 'PATCH', path: () => '/api/admin/categories/sanitation', body: () => ({ acceptWithin: 1 }), status: 403 },
  { who: 'SA1', method: 'POST', path: () => '/api/admin/departments', body: () => ({ code: 'tax_bureau', name: '税务局' }), status: 403 },
  { who: 'SA1', method: 'PATCH', path: () => '/api/admin/departments/housing_bureau', body: () => ({ active: false }), status: 403 },
  { who: 'CSA', method: 'GET', path: () => '/api/admin/categories', status: 403 },
  { who: 'CSA', method: 'GET', path: () => '/api/admin/departments', status: 403 },
  { who: 'DEP', method: 'GET', path: () => '/api/routing/rules', status: 403 },
  { who: 'CSA', method: 'POST', path: () => '/api/routing/rules', body: () => ({ category: 'sanitation', departmentCode: 'housing_bureau', mode: 'instead' }), status: 403 },
  { who: 'SA1', method: 'PATCH', path: () => '/api/tickets/categories/sanitation', body: () => ({ acceptWithinMinutes: 1 }), status: 403 },
  // Accounts and duty: grid workers and departments manage no accounts or rosters; community staff only read accounts.
  { who: 'W1', method: 'GET', path: () => '/api/admin/accounts', status: 403 },
  { who: 'DEP', method: 'GET', path: () => `/api/admin/accounts/${w.users.W1.id}`, status: 403 },
  { who: 'CSA', method: 'POST', path: () => '/api/admin/accounts', body: () => ({ role: 'grid_worker', username: 'by.cs', displayName: '专干建', gridCodes: [w.g1.code] }), status: 403 },
  { who: 'CSA', method: 'POST', path: () => `/api/admin/accounts/${w.users.W1.id}/disable`, status: 403 },
  { who: 'SA1', method: 'POST', path: () => '/api/admin/accounts', body: () => ({ role: 'street_admin', username: 'by.sa', displayName: '街道建', streetCode: w.s1.code }), status: 403 },
  { who: 'W1', method: 'PUT', path: () => `/api/admin/rosters/${w.g1.code}`, body: () => ({ entries: [] }), status: 403 },
  { who: 'DEP', method: 'GET', path: () => '/api/admin/duty', status: 403 },
  { who: 'CSA', method: 'PUT', path: () => '/api/me/duty', body: () => ({ onDuty: true }), status: 403 },
  // The audit trail: district admins only (docs/audit.md).
  { who: 'SA1', method: 'GET', path: () => '/api/admin/audit', status: 403 },
  { who: 'CSA', method: 'GET', path: () => '/api/admin/audit/export.csv', status: 403 },
  { who: 'R1', method: 'GET', path: () => '/api/admin/audit', status: 403 }
]

/** Staff of the right role but another grid, community, street or department: 404, as if absent. */
const OUT_OF_SCOPE: Case[] = [
  // Testing points of CA.
  ...(['CSB', 'SA2'] as const).map((who): Case => ({ who, method: 'PATCH', path: () => `/api/testing-points/${fx.point.id}`, body: () => ({ status: 'closed' }), status: 404 })),
  { who: 'CSB', method: 'POST', path: () => `/api/testing-points/requests/${fx.tpRequest.id}/approve`, body: () => ({ name: '新检测点', openingHours: { weekly: [] } }), status: 404 },
  // The legal station of CA (justice bureau): CB's staff, S2's admin, the housing bureau.
  ...(['CSB', 'SA2', 'DEP'] as const).flatMap((who): Case[] => [
    { who, method: 'PATCH', path: () => `/api/legal/stations/${fx.station.id}`, body: () => ({ name: '改名' }), status: 404 },
    { who, method: 'POST', path: () => `/api/legal/stations/${fx.station.id}/providers`, body: () => ({ name: '律师', kind: 'lawyer' }), status: 404 },
    { who, method: 'POST', path: () => `/api/legal/stations/${fx.station.id}/slots/generate`, body: () => ({ days: 1 }), status: 404 },
    { who, method: 'PATCH', path: () => `/api/legal/providers/${fx.provider.id}`, body: () => ({ bio: '改' }), status: 404 },
    { who, method: 'GET', path: () => `/api/legal/providers/${fx.provider.id}/schedules`, status: 404 },
    {
      who,
      method: 'POST',
      path: () => `/api/legal/providers/${fx.provider.id}/schedules`,
      body: () => ({ weekday: 1, startTime: '09:00', endTime: '10:00', slotMinutes: 30, capacity: 1 }),
      status: 404
    },
    { who, method: 'PATCH', path: () => `/api/legal/schedules/${fx.scheduleId}`, body: () => ({ active: false }), status: 404 },
    { who, method: 'GET', path: () => `/api/legal/bookings/${fx.bookingId}`, status: 404 },
    { who, method: 'GET', path: () => `/api/legal/bookings?view=station&stationId=${fx.station.id}`, status: 404 },
    { who, method: 'POST', path: () => `/api/legal/bookings/${fx.bookingId}/no-show`, status: 404 },
    { who, method: 'POST', path: () => `/api/legal/bookings/${fx.bookingId}/record`, body: () => ({ summary: '越权记录' }), status: 404 }
  ]),
  { who: 'W1', method: 'GET', path: () => `/api/legal/bookings/${fx.bookingId}`, status: 404 },
  // The hazard ledger of G1: the other grid of the same community, the other street, the other department.
  ...(['W2', 'W3', 'CSB', 'SA2', 'DEPF', 'DEP'] as const).flatMap((who): Case[] => [
    { who, method: 'GET', path: () => `/api/hazards/${fx.fireHazard.id}`, status: 404 },
    { who, method: 'POST', path: () => `/api/hazards/${fx.fireHazard.id}/transitions`, body: () => ({ event: 'dismiss', note: '越权销账' }), status: 404 }
  ]),
  ...(['W2', 'W3', 'CSB', 'SA2', 'DEPF'] as const).map((who): Case => ({ who, method: 'GET', path: () => `/api/hazards/${fx.houseHazard.id}`, status: 404 })),
  ...(['W2', 'W3', 'CSB', 'SA2'] as const).map((who): Case => ({ who, method: 'POST', path: () => `/api/hazards/from-ticket/${fx.hazardTip.id}`, body: () => ({ riskLevel: 'high' }), status: 404 })),
  { who: 'W3', method: 'POST', path: () => '/api/hazards', body: () => ({ place: '别人的网格', kind: 'fire', riskLevel: 'low', gridCode: w.g1.code }), status: 404 },
  { who: 'SA2', method: 'POST', path: () => '/api/hazards', body: () => ({ place: '别人的街道', kind: 'gas', riskLevel: 'low', communityCode: w.ca.code }), status: 404 },
  // The activity of CA: CB's staff, S2's admin, a department; and its venue code's sign-up list.
  ...(['CSB', 'SA2', 'DEP'] as const).flatMap((who): Case[] => [
    { who, method: 'PATCH', path: () => `/api/activities/${fx.activity.id}`, body: () => ({ title: '改掉', cancelled: true }), status: 404 },
    { who, method: 'GET', path: () => `/api/activities/${fx.activity.id}/signups`, status: 404 }
  ]),
  // R3's registration with CA.
  ...(['CSB', 'SA2'] as const).flatMap((who): Case[] => [
    { who, method: 'POST', path: () => `/api/volunteers/${fx.volunteerId}/approve`, status: 404 },
    { who, method: 'POST', path: () => `/api/volunteers/${fx.volunteerId}/reject`, body: () => ({ reason: '越权' }), status: 404 },
    { who, method: 'POST', path: () => `/api/volunteers/${fx.volunteerId}/awards`, body: () => ({ title: '奖', issuer: '区', awardedAt: '2026-11-01T00:00:00+08:00' }), status: 404 }
  ]),
  // Statistics of units outside the caller's scope.
  { who: 'CSB', method: 'GET', path: () => `/api/stats?level=community&code=${w.ca.code}`, status: 404 },
  { who: 'SA2', method: 'GET', path: () => `/api/stats?level=street&code=${w.s1.code}`, status: 404 },
  { who: 'W2', method: 'GET', path: () => `/api/stats?level=grid&code=${w.g1.code}`, status: 404 },
  { who: 'W3', method: 'GET', path: () => `/api/stats?level=grid&code=${w.g1.code}`, status: 404 },
  { who: 'DEP', method: 'GET', path: () => `/api/stats?level=community&code=${w.ca.code}`, status: 404 },
  { who: 'SA1', method: 'GET', path: () => '/api/stats?level=district', status: 404 },
  // Ticket gaps: handling events on T1 (G1) by staff of elsewhere; the id in the body (API1-3).
  ...(['W2', 'W3', 'CSB', 'SA2', 'DEPF'] as const).flatMap((who): Case[] => [
    { who, method: 'POST', path: () => `/api/tickets/${fx.report.id}/transitions`, body: () => ({ event: 'accept' }), status: 404 },
    { who, method: 'POST', path: () => `/api/tickets/${fx.report.id}/transitions`, body: () => ({ event: 'reject', note: '越权驳回' }), status: 404 },
    { who, method: 'POST', path: () => `/api/tickets/${fx.report.id}/transitions`, body: () => ({ event: 'transfer', target: { gridCode: w.g3.code } }), status: 404 }
  ]),
  { who: 'CSA', method: 'POST', path: () => `/api/tickets/${fx.report.id}/transitions`, body: () => ({ event: 'transfer', target: { assigneeId: w.users.W3.id } }), status: 404 },
  // Codes in the body are checked like ids in the path (API1-3): moving or placing things out of scope.
  { who: 'CSA', method: 'PATCH', path: () => `/api/testing-points/${fx.point.id}`, body: () => ({ communityCode: w.cb.code }), status: 404 },
  {
    who: 'CSA',
    method: 'POST',
    path: () => '/api/testing-points',
    body: () => ({ name: '越界检测点', address: '永泰', location: w.g3.center, communityCode: w.cb.code, openingHours: { weekly: [] } }),
    status: 404
  },
  { who: 'CSA', method: 'POST', path: () => '/api/hazards', body: () => ({ place: '越界', kind: 'fire', riskLevel: 'low', gridCode: w.g3.code }), status: 404 },
  {
    who: 'CSA',
    method: 'POST',
    path: () => '/api/activities',
    body: () => ({
      title: '越界活动',
      place: '永泰',
      communityCode: w.cb.code,
      startsAt: '2027-01-01T10:00:00+08:00',
      endsAt: '2027-01-01T11:00:00+08:00',
      signupDeadline: '2027-01-01T09:00:00+08:00',
      capacity: 5
    }),
    status: 404
  },
  {
    who: 'SA1',
    method: 'POST',
    path: () => '/api/legal/stations',
    body: () => ({ name: '越界工作站', level: 'street', kind: 'legal_service_station', streetCode: w.s2.code, address: '永泰' }),
    status: 404
  },
  { who: 'SA1', method: 'POST', path: () => `/api/tickets/${fx.report.id}/transitions`, body: () => ({ event: 'transfer', target: { communityCode: w.cb.code } }), status: 404 },
  // Accounts of S1 / CA, and rosters of G1, for the street and community next door.
  { who: 'SA2', method: 'GET', path: () => `/api/admin/accounts/${w.users.W1.id}`, status: 404 },
  { who: 'CSB', method: 'GET', path: () => `/api/admin/accounts/${w.users.W1.id}`, status: 404 },
  { who: 'SA2', method: 'PATCH', path: () => `/api/admin/accounts/${w.users.W1.id}`, body: () => ({ displayName: '改' }), status: 404 },
  { who: 'SA2', method: 'POST', path: () => `/api/admin/accounts/${w.users.W1.id}/disable`, status: 404 },
  { who: 'SA2', method: 'POST', path: () => `/api/admin/accounts/${w.users.W1.id}/reset-password`, status: 404 },
  { who: 'SA2', method: 'POST', path: () => `/api/admin/accounts/${w.users.W1.id}/reset-totp`, status: 404 },
  { who: 'SA1', method: 'POST', path: () => '/api/admin/accounts', body: () => ({ role: 'grid_worker', username: 'sa1.far', displayName: '越界', gridCodes: [w.g3.code] }), status: 404 },
  { who: 'SA1', method: 'PATCH', path: () => `/api/admin/accounts/${w.users.W1.id}`, body: () => ({ gridCodes: [w.g3.code] }), status: 404 },
  { who: 'CSB', method: 'PUT', path: () => `/api/admin/rosters/${w.g1.code}`, body: () => ({ entries: [] }), status: 404 },
  { who: 'SA2', method: 'GET', path: () => `/api/admin/rosters/${w.g1.code}`, status: 404 },
  {
    who: 'CSB',
    method: 'POST',
    path: () => `/api/admin/rosters/${w.g1.code}/leaves`,
    body: () => ({ workerId: w.users.W1.id, from: '2026-12-01T08:00:00+08:00', to: '2026-12-02T08:00:00+08:00' }),
    status: 404
  },
  { who: 'CSB', method: 'GET', path: () => `/api/admin/duty?communityCode=${w.ca.code}`, status: 404 }
]

const label = (c: Case) =>
  `${c.who} ${c.method} ${c.path
    .toString()
    .replace(/^\(\) => /, '')
    .replace(/[`$]/g, '')}`

describe.each([
  ['residents on staff functions and others’ objects', RESIDENTS_FORBIDDEN],
  ['staff whose role lacks the function', WRONG_STAFF_ROLE],
  ['staff out of scope', OUT_OF_SCOPE]
] as const)('%s', (_name, cases) => {
  it.each(cases.map((c) => [label(c), c] as const))('%s', async (_label, c) => {
    const before = await snapshot()
    const res = await call(c.who, c.method, c.path(), c.body?.())
    expect(res.status).toBe(c.status)
    if (c.status !== 405 || res.body.code) expect(ProblemSchema.parse(res.body).status).toBe(c.status)
    expect(await snapshot()).toBe(before)
  })
})

describe('lists and exports carry nothing out of scope', () => {
  it('shows the ledger of G1 to no other grid, community, street or department', async () => {
    const expected: Partial<Record<Who, string[]>> = {
      W1: [fx.fireHazard.number, fx.houseHazard.number],
      CSA: [fx.fireHazard.number, fx.houseHazard.number],
      SA1: [fx.fireHazard.number, fx.houseHazard.number],
      DA: [fx.fireHazard.number, fx.houseHazard.number],
      DEP: [fx.houseHazard.number],
      W2: [],
      W3: [],
      CSB: [],
      SA2: [],
      DEPF: []
    }
    for (const [who, numbers] of Object.entries(expected) as Array<[Who, string[]]>) {
      // Asking for G1's street by name changes nothing for those outside it.
      const list = await call(who, 'GET', `/api/hazards?streetCode=${w.s1.code}&limit=50`)
      expect(list.status, who).toBe(200)
      const listed = (list.body.items as Array<{ number: string }>).map((i) => i.number).filter((n) => n === fx.fireHazard.number || n === fx.houseHazard.number)
      expect(listed.sort(), who).toEqual([...numbers].sort())
      const csv = await call(who, 'GET', `/api/hazards/export.csv?streetCode=${w.s1.code}`)
      expect(csv.status, who).toBe(200)
      for (const n of [fx.fireHazard.number, fx.houseHazard.number]) expect(csv.text.includes(n), `${who} CSV ${n}`).toBe(numbers.includes(n))
    }
  })

  it('lists R3’s registration to CA’s staff and street only', async () => {
    for (const [who, sees] of [
      ['CSA', true],
      ['SA1', true],
      ['DA', true],
      ['CSB', false],
      ['SA2', false]
    ] as const) {
      const res = await call(who, 'GET', `/api/volunteers?communityCode=${w.ca.code}`)
      expect(res.status, who).toBe(200)
      expect(
        (res.body.items as Array<{ id: string }>).some((v) => v.id === fx.volunteerId),
        who
      ).toBe(sees)
    }
  })

  it('shows the venue (check-in) code of the activity only to the staff who run it', async () => {
    const managers: Who[] = ['CSA', 'SA1', 'DA']
    const others: Array<Who | null> = [null, 'R1', 'W1', 'CSB', 'SA2', 'DEP', 'DEPF']
    for (const who of [...managers, ...others]) {
      const one = await call(who, 'GET', `/api/activities/${fx.activity.id}`)
      const list = await call(who, 'GET', '/api/activities?limit=50')
      expect([one.status, list.status], String(who)).toEqual([200, 200])
      const listed = (list.body.items as Array<{ id: string; checkinCode?: string }>).find((a) => a.id === fx.activity.id)
      const shown = who !== null && managers.includes(who)
      expect(one.body.checkinCode, String(who)).toBe(shown ? fx.activity.checkinCode : undefined)
      expect(listed?.checkinCode, String(who)).toBe(shown ? fx.activity.checkinCode : undefined)
      if (!shown) expect(JSON.stringify([one.body, list.body]), String(who)).not.toContain(`"${fx.activity.checkinCode}"`)
    }
  })

  it('refuses a provider account in the body that is no active staff account (API1-3: every id in the body)', async () => {
    // A resident named as the provider's account would become a handler of the station's bookings.
    const disabled = await createUser(t.db.ds, 'department_staff', { departmentCode: 'lawyers_office', disabled: true })
    for (const userId of [w.users.R2.id, disabled.id, randomUUID()]) {
      const before = await t.db.ds.getRepository(LegalProvider).count()
      const res = await call('CSA', 'POST', `/api/legal/stations/${fx.station.id}/providers`, { name: '冒名律师', kind: 'lawyer', userId })
      expect(res.status, userId).toBe(404)
      expect(await t.db.ds.getRepository(LegalProvider).count()).toBe(before)
    }
    const lawyer = await createUser(t.db.ds, 'department_staff', { departmentCode: 'lawyers_office', displayName: '李律师' })
    const ok = await call('CSA', 'POST', `/api/legal/stations/${fx.station.id}/providers`, { name: '李律师', kind: 'lawyer', userId: lawyer.id })
    expect(ok.status).toBe(201)
  })

  it('never lets a ticket id that is no testing-point request answer as one', async () => {
    for (const who of ['R1', 'CSA', 'DA'] as const) {
      const res = await call(who, 'GET', `/api/tickets/${fx.report.id}/support`)
      expect(res.status, who).toBe(404)
    }
  })
})

describe('the same calls in scope are allowed (the denials above are about scope, not broken fixtures)', () => {
  it('lets CA’s staff and the justice bureau run the station, and CA’s staff handle the booking', async () => {
    expect((await call('CSA', 'PATCH', `/api/legal/stations/${fx.station.id}`, { phone: '0352-1234567' })).status).toBe(200)
    expect((await call('JUS', 'PATCH', `/api/legal/providers/${fx.provider.id}`, { bio: '婚姻家庭' })).status).toBe(200)
    expect((await call('SA1', 'GET', `/api/legal/providers/${fx.provider.id}/schedules`)).status).toBe(200)
    expect((await call('CSA', 'GET', `/api/legal/bookings/${fx.bookingId}`)).status).toBe(200)
    expect((await call('R1', 'GET', `/api/legal/bookings/${fx.bookingId}`)).status).toBe(200)
    // In scope, the booking is found; only its time is wrong.
    const early = await call('CSA', 'POST', `/api/legal/bookings/${fx.bookingId}/no-show`)
    expect([early.status, early.body.code]).toEqual([409, 'consultation_not_started'])
  })

  it('lets the grid’s worker, the community and the housing bureau read the ledger entries', async () => {
    for (const who of ['W1', 'CSA', 'SA1', 'DA'] as const) expect((await call(who, 'GET', `/api/hazards/${fx.fireHazard.id}`)).status, who).toBe(200)
    expect((await call('DEP', 'GET', `/api/hazards/${fx.houseHazard.id}`)).status).toBe(200)
  })

  it('lets CA’s staff edit the point and the activity and approve R3, and the stats of CA answer them', async () => {
    expect((await call('CSA', 'PATCH', `/api/testing-points/${fx.point.id}`, { queueLevel: 'long' })).status).toBe(200)
    expect((await call('CSA', 'PATCH', `/api/activities/${fx.activity.id}`, { capacity: 25 })).status).toBe(200)
    expect((await call('CSA', 'GET', `/api/stats?level=community&code=${w.ca.code}`)).status).toBe(200)
    expect((await call('W1', 'GET', `/api/stats?level=grid&code=${w.g1.code}`)).status).toBe(200)
    const approved = await call('CSA', 'POST', `/api/volunteers/${fx.volunteerId}/approve`)
    expect([approved.status, approved.body.status]).toEqual([200, 'approved'])
  })

  it('keeps the ticket where it was after every denied transition', async () => {
    const view = TicketViewSchema.parse((await call('R1', 'GET', `/api/tickets/${fx.report.id}`)).body)
    expect(view.state).toBe(fx.report.state)
    expect(view.grid?.code).toBe(w.g1.code)
  })
})
