import request from 'supertest'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { BookingViewSchema, ProblemSchema, SlotViewSchema, StationViewSchema } from '@palm/shared'
import { createTestContext, type TestContext } from '../../../test/test-app'
import { bearer, createUser } from '../../../test/factories'
import { createProviderRow, createServiceStaff, createServiceTerritory, createSlotRow, createStationRow, idemKey, type ServiceTerritory } from '../../../test/services-factories'
import type { User } from '../auth/user.entity'
import { Ticket } from '../tickets/index'
import { LegalBooking, LegalSlot, LegalStation, type LegalProvider } from './legal.entity'

/** Tuesday 1 December 2026, 10:00 in Pingcheng. */
const NOW = new Date('2026-12-01T02:00:00Z')
const HOUR = 3600_000

let t: TestContext
let territory: ServiceTerritory
let staff: Awaited<ReturnType<typeof createServiceStaff>>
let station: LegalStation
let provider: LegalProvider
let providerUser: User
let r1: User
let r2: User
const auth = (u: Pick<User, 'id' | 'role'>) => bearer(t.deps.config, u)

beforeAll(async () => {
  t = await createTestContext()
  t.setNow(NOW)
  territory = await createServiceTerritory(t.db.ds)
  staff = await createServiceStaff(t.db.ds, territory)
  station = await createStationRow(t.db.ds, { communityCode: territory.ca.code, streetCode: territory.s1.code })
  providerUser = await createUser(t.db.ds, 'department_staff', { displayName: '王律师', departmentCode: 'lawyers_office' })
  provider = await createProviderRow(t.db.ds, station.id, { userId: providerUser.id })
  r1 = await createUser(t.db.ds, 'resident', { displayName: '张三' })
  r2 = await createUser(t.db.ds, 'resident', { displayName: '李四' })
})
afterAll(async () => {
  await t.close()
})
beforeEach(() => {
  t.setNow(NOW)
})

async function book(user: User, slotId: string, key = idemKey(), body: Record<string, unknown> = {}) {
  return request(t.server)
    .post('/api/legal/bookings')
    .set('Authorization', auth(user))
    .set('Idempotency-Key', key)
    .send({ slotId, topic: '婚姻家庭', description: '离婚后子女抚养费问题', ...body })
}

let slotSeq = 0
/** A slot `ms` after NOW, nudged by a second per call so (provider, start) stays unique. */
const slotIn = (ms: number, capacity: number, st = station, pv = provider) => createSlotRow(t.db.ds, st, pv, new Date(NOW.getTime() + ms + ++slotSeq * 1000), capacity)

const slotRow = (id: string) => t.db.ds.getRepository(LegalSlot).findOneByOrFail({ id })
const bookingsOf = (slotId: string) => t.db.ds.getRepository(LegalBooking).countBy({ slotId })

describe('stations and slots', () => {
  it('lists the stations to anyone, parsed with the shared view', async () => {
    const res = await request(t.server).get('/api/legal/stations')
    expect(res.status).toBe(200)
    const items = StationViewSchema.array().parse(res.body.items)
    expect(items.map((s) => s.id)).toContain(station.id)
    expect(items.find((s) => s.id === station.id)?.community?.name).toBe('永和社区')
  })

  it('generates slots from a weekly schedule, and generating again adds nothing', async () => {
    const st = await createStationRow(t.db.ds, { name: '水泊寺街道法律服务站', level: 'street', kind: 'legal_service_station', streetCode: territory.s1.code })
    const pv = await createProviderRow(t.db.ds, st.id, { name: '赵调解员', kind: 'mediator' })
    const schedule = await request(t.server)
      .post(`/api/legal/providers/${pv.id}/schedules`)
      .set('Authorization', auth(staff.sa1))
      .send({ weekday: 3, startTime: '09:00', endTime: '11:00', slotMinutes: 30, capacity: 2 })
    expect(schedule.status).toBe(201)
    const first = await request(t.server).post(`/api/legal/stations/${st.id}/slots/generate`).set('Authorization', auth(staff.sa1)).send({ days: 14 })
    expect(first.status).toBe(200)
    const count = () => t.db.ds.getRepository(LegalSlot).countBy({ stationId: st.id })
    // Two Wednesdays in the next 14 days (2 and 9 December), four 30-minute slots each.
    expect(await count()).toBe(8)
    await request(t.server).post(`/api/legal/stations/${st.id}/slots/generate`).set('Authorization', auth(staff.sa1)).send({ days: 14 })
    expect(await count()).toBe(8)
    const slots = await request(t.server).get('/api/legal/slots').query({ stationId: st.id })
    const items = SlotViewSchema.array().parse(slots.body.items)
    expect(items[0]).toMatchObject({ startsAt: '2026-12-02T01:00:00.000Z', capacity: 2, booked: 0, remaining: 2, bookable: true })
  })

  it('returns 404 when staff edit a station out of their scope, and changes nothing', async () => {
    const res = await request(t.server).patch(`/api/legal/stations/${station.id}`).set('Authorization', auth(staff.csB)).send({ name: '改名' })
    expect(res.status).toBe(404)
    expect(ProblemSchema.parse(res.body).code).toBe('not_found')
    const again = await request(t.server).get(`/api/legal/stations/${station.id}`)
    expect(again.body.name).toBe('永和社区法律服务室')
  })

  it('lets the community staff of the station edit it', async () => {
    const res = await request(t.server).patch(`/api/legal/stations/${station.id}`).set('Authorization', auth(staff.csA)).send({ phone: '0352-1234567' })
    expect(res.status).toBe(200)
    expect(res.body.phone).toBe('0352-1234567')
  })

  it('returns 404 when staff create a station in a community out of their scope', async () => {
    const res = await request(t.server)
      .post('/api/legal/stations')
      .set('Authorization', auth(staff.csA))
      .send({ name: '越权服务室', level: 'community', kind: 'legal_service_room', communityCode: territory.cb.code, address: '某地' })
    expect(res.status).toBe(404)
  })

  it('returns 400 on departmentCode when a station names a department that does not exist, and creates nothing', async () => {
    const before = await t.db.ds.getRepository(LegalStation).count()
    const res = await request(t.server)
      .post('/api/legal/stations')
      .set('Authorization', auth(staff.csA))
      .send({ name: '错部门服务室', level: 'community', kind: 'legal_service_room', communityCode: territory.ca.code, address: '某地', departmentCode: 'no_such_bureau' })
    expect(res.status).toBe(400)
    expect(res.body.errors[0].path).toBe('departmentCode')
    expect(await t.db.ds.getRepository(LegalStation).count()).toBe(before)
  })

  it('refuses a resident creating a station (403)', async () => {
    const res = await request(t.server)
      .post('/api/legal/stations')
      .set('Authorization', auth(r1))
      .send({ name: 'x', level: 'community', kind: 'legal_service_room', communityCode: territory.ca.code, address: '某地' })
    expect(res.status).toBe(403)
  })
})

describe('booking', () => {
  it('books a seat: 201 with the booking, the slot counts it', async () => {
    const slot = await slotIn(24 * HOUR, 3)
    const res = await book(r1, slot.id)
    expect(res.status).toBe(201)
    const view = BookingViewSchema.parse(res.body)
    expect(view).toMatchObject({ slotId: slot.id, status: 'booked', topic: '婚姻家庭' })
    expect(view.changeableUntil).toBe(new Date(slot.startsAt.getTime() - 2 * HOUR).toISOString())
    expect((await slotRow(slot.id)).booked).toBe(1)
    const ticket = await t.db.ds.getRepository(Ticket).findOneByOrFail({ id: view.ticketId ?? '' })
    expect(ticket).toMatchObject({
      kind: 'legal_consultation',
      category: 'legal_consultation',
      reporterId: r1.id,
      state: 'assigned',
      departmentCode: 'justice_bureau',
      communityCode: territory.ca.code
    })
    expect(JSON.parse(ticket.details ?? '{}')).toMatchObject({ bookingId: view.id, slotId: slot.id, stationId: station.id })
    const mine = await request(t.server).get(`/api/tickets/${ticket.id}`).set('Authorization', auth(r1))
    expect(mine.status).toBe(200)
  })

  it('returns 409 already_booked for the same resident and slot twice, keeping one seat taken', async () => {
    const slot = await slotIn(24 * HOUR, 3)
    expect((await book(r1, slot.id)).status).toBe(201)
    const again = await book(r1, slot.id)
    expect(again.status).toBe(409)
    expect(ProblemSchema.parse(again.body).code).toBe('already_booked')
    expect((await slotRow(slot.id)).booked).toBe(1)
    expect(await bookingsOf(slot.id)).toBe(1)
  })

  it('returns 409 slot_full for a full slot and changes nothing', async () => {
    const slot = await slotIn(24 * HOUR, 1)
    expect((await book(r1, slot.id)).status).toBe(201)
    const res = await book(r2, slot.id)
    expect(res.status).toBe(409)
    expect(res.body.code).toBe('slot_full')
    expect((await slotRow(slot.id)).booked).toBe(1)
    expect(await bookingsOf(slot.id)).toBe(1)
  })

  it('returns 409 slot_in_past for a slot that has started', async () => {
    const slot = await slotIn(-3 * HOUR, 2)
    const res = await book(r1, slot.id)
    expect(res.status).toBe(409)
    expect(res.body.code).toBe('slot_in_past')
    expect(await bookingsOf(slot.id)).toBe(0)
  })

  it('returns 409 slot_too_soon less than 2 hours ahead, and accepts it where the station allows', async () => {
    const slot = await slotIn(90 * 60_000, 2)
    const res = await book(r1, slot.id)
    expect(res.status).toBe(409)
    expect(res.body.code).toBe('slot_too_soon')
    expect(await bookingsOf(slot.id)).toBe(0)
    const quick = await createStationRow(t.db.ds, { name: '1826婚姻家庭辅导站', level: 'special', kind: 'marriage_family_1826', departmentCode: 'justice_bureau', minLeadMinutes: 30 })
    const counsellor = await createProviderRow(t.db.ds, quick.id, { name: '刘老师', kind: 'counsellor' })
    const soon = await createSlotRow(t.db.ds, quick, counsellor, new Date(NOW.getTime() + 90 * 60_000), 2)
    expect((await book(r1, soon.id)).status).toBe(201)
  })

  it('returns 400 validation_failed with the field path for an empty topic', async () => {
    const slot = await slotIn(24 * HOUR, 2)
    const res = await book(r1, slot.id, idemKey(), { topic: '' })
    expect(res.status).toBe(400)
    expect(ProblemSchema.parse(res.body).errors?.[0]?.path).toBe('topic')
  })

  it('returns 404 for an unknown slot', async () => {
    const res = await book(r1, '00000000-0000-4000-8000-000000000000')
    expect(res.status).toBe(404)
  })

  it('replays the first response for a repeated Idempotency-Key and books once', async () => {
    const slot = await slotIn(24 * HOUR, 3)
    const key = idemKey()
    const first = await book(r1, slot.id, key)
    const second = await book(r1, slot.id, key)
    expect(second.status).toBe(201)
    expect(second.body.id).toBe(first.body.id)
    expect(await bookingsOf(slot.id)).toBe(1)
    const other = await book(r1, slot.id, key, { topic: '劳动争议' })
    expect(other.status).toBe(422)
    expect(other.body.code).toBe('idempotency_key_reused')
  })

  it('returns 400 idempotency_key_required without the header', async () => {
    const slot = await slotIn(24 * HOUR, 3)
    const res = await request(t.server).post('/api/legal/bookings').set('Authorization', auth(r1)).send({ slotId: slot.id, topic: 'x', description: 'y' })
    expect(res.status).toBe(400)
    expect(res.body.code).toBe('idempotency_key_required')
    expect(await bookingsOf(slot.id)).toBe(0)
  })

  it('refuses staff booking (403) and anonymous callers (401)', async () => {
    const slot = await slotIn(24 * HOUR, 3)
    expect((await book(staff.csA, slot.id)).status).toBe(403)
    const anon = await request(t.server).post('/api/legal/bookings').set('Idempotency-Key', idemKey()).send({ slotId: slot.id, topic: 'x', description: 'y' })
    expect(anon.status).toBe(401)
  })
})

describe('cancel and reschedule', () => {
  it('cancels before the cut-off and gives the seat back; the resident may book again', async () => {
    const slot = await slotIn(24 * HOUR, 1)
    const booked = await book(r1, slot.id)
    const res = await request(t.server).post(`/api/legal/bookings/${booked.body.id}/cancel`).set('Authorization', auth(r1))
    expect(res.status).toBe(200)
    expect(BookingViewSchema.parse(res.body).status).toBe('cancelled')
    expect((await slotRow(slot.id)).booked).toBe(0)
    expect((await t.db.ds.getRepository(Ticket).findOneByOrFail({ id: booked.body.ticketId })).state).toBe('cancelled')
    expect((await book(r1, slot.id)).status).toBe(201)
  })

  it('returns 409 change_cutoff_passed after the cut-off and keeps the booking', async () => {
    const slot = await slotIn(24 * HOUR, 1)
    const booked = await book(r1, slot.id)
    t.setNow(new Date(slot.startsAt.getTime() - 90 * 60_000))
    const res = await request(t.server).post(`/api/legal/bookings/${booked.body.id}/cancel`).set('Authorization', auth(r1))
    expect(res.status).toBe(409)
    expect(res.body.code).toBe('change_cutoff_passed')
    expect((await t.db.ds.getRepository(LegalBooking).findOneByOrFail({ id: booked.body.id })).status).toBe('booked')
    expect((await slotRow(slot.id)).booked).toBe(1)
  })

  it("returns 404 when a resident cancels someone else's booking", async () => {
    const slot = await slotIn(24 * HOUR, 1)
    const booked = await book(r1, slot.id)
    const res = await request(t.server).post(`/api/legal/bookings/${booked.body.id}/cancel`).set('Authorization', auth(r2))
    expect(res.status).toBe(404)
  })

  it('returns 409 booking_not_active when cancelling twice', async () => {
    const slot = await slotIn(24 * HOUR, 2)
    const booked = await book(r1, slot.id)
    await request(t.server).post(`/api/legal/bookings/${booked.body.id}/cancel`).set('Authorization', auth(r1))
    const again = await request(t.server).post(`/api/legal/bookings/${booked.body.id}/cancel`).set('Authorization', auth(r1))
    expect(again.status).toBe(409)
    expect(again.body.code).toBe('booking_not_active')
    expect((await slotRow(slot.id)).booked).toBe(0)
  })

  it('reschedules to another slot of the station, moving the seat', async () => {
    const from = await slotIn(24 * HOUR, 1)
    const to = await slotIn(48 * HOUR, 1)
    const booked = await book(r1, from.id)
    const res = await request(t.server).post(`/api/legal/bookings/${booked.body.id}/reschedule`).set('Authorization', auth(r1)).send({ slotId: to.id })
    expect(res.status).toBe(200)
    expect(BookingViewSchema.parse(res.body)).toMatchObject({ slotId: to.id, status: 'booked' })
    expect((await slotRow(from.id)).booked).toBe(0)
    expect((await slotRow(to.id)).booked).toBe(1)
  })

  it('returns 409 slot_full when rescheduling into a full slot, and keeps the old seat', async () => {
    const from = await slotIn(24 * HOUR, 1)
    const to = await slotIn(50 * HOUR, 1)
    const mine = await book(r1, from.id)
    expect((await book(r2, to.id)).status).toBe(201)
    const res = await request(t.server).post(`/api/legal/bookings/${mine.body.id}/reschedule`).set('Authorization', auth(r1)).send({ slotId: to.id })
    expect(res.status).toBe(409)
    expect(res.body.code).toBe('slot_full')
    const row = await t.db.ds.getRepository(LegalBooking).findOneByOrFail({ id: mine.body.id })
    expect(row.slotId).toBe(from.id)
    expect((await slotRow(from.id)).booked).toBe(1)
    expect((await slotRow(to.id)).booked).toBe(1)
  })

  it('returns 409 change_cutoff_passed when rescheduling after the cut-off', async () => {
    const from = await slotIn(24 * HOUR, 1)
    const to = await slotIn(72 * HOUR, 1)
    const booked = await book(r1, from.id)
    t.setNow(new Date(from.startsAt.getTime() - HOUR))
    const res = await request(t.server).post(`/api/legal/bookings/${booked.body.id}/reschedule`).set('Authorization', auth(r1)).send({ slotId: to.id })
    expect(res.status).toBe(409)
    expect(res.body.code).toBe('change_cutoff_passed')
    expect((await slotRow(to.id)).booked).toBe(0)
  })
})

describe('no-shows and consultation records', () => {
  it('lets the provider mark a no-show once the slot has started, not before', async () => {
    const slot = await slotIn(24 * HOUR, 2)
    const booked = await book(r1, slot.id)
    const early = await request(t.server).post(`/api/legal/bookings/${booked.body.id}/no-show`).set('Authorization', auth(providerUser))
    expect(early.status).toBe(409)
    expect(early.body.code).toBe('consultation_not_started')
    t.setNow(new Date(slot.startsAt.getTime() + 20 * 60_000))
    const res = await request(t.server).post(`/api/legal/bookings/${booked.body.id}/no-show`).set('Authorization', auth(providerUser))
    expect(res.status).toBe(200)
    expect(res.body.status).toBe('no_show')
  })

  it('returns 404 to staff of another community marking a no-show', async () => {
    const slot = await slotIn(24 * HOUR, 2)
    const booked = await book(r1, slot.id)
    t.setNow(new Date(slot.startsAt.getTime() + 20 * 60_000))
    const res = await request(t.server).post(`/api/legal/bookings/${booked.body.id}/no-show`).set('Authorization', auth(staff.csB))
    expect(res.status).toBe(404)
  })

  it('lets the provider write a record that the resident reads, and no other resident', async () => {
    const slot = await slotIn(24 * HOUR, 2)
    const booked = await book(r1, slot.id)
    t.setNow(new Date(slot.startsAt.getTime() + 30 * 60_000))
    const written = await request(t.server)
      .post(`/api/legal/bookings/${booked.body.id}/record`)
      .set('Authorization', auth(providerUser))
      .send({ summary: '咨询抚养费标准', advice: '可向法院起诉变更抚养费' })
    expect(written.status).toBe(200)
    expect(written.body.resident.displayName).toBe('张三')
    const mine = await request(t.server).get(`/api/legal/bookings/${booked.body.id}`).set('Authorization', auth(r1))
    const view = BookingViewSchema.parse(mine.body)
    expect(view.status).toBe('completed')
    expect(view.record).toMatchObject({ summary: '咨询抚养费标准', advice: '可向法院起诉变更抚养费', writtenBy: '王律师' })
    expect(view.resident).toBeUndefined()
    const other = await request(t.server).get(`/api/legal/bookings/${booked.body.id}`).set('Authorization', auth(r2))
    expect(other.status).toBe(404)
  })

  it('resolves the consultation ticket when the justice bureau writes the record', async () => {
    const slot = await slotIn(24 * HOUR, 2)
    const booked = await book(r2, slot.id)
    t.setNow(new Date(slot.startsAt.getTime() + 30 * 60_000))
    const written = await request(t.server).post(`/api/legal/bookings/${booked.body.id}/record`).set('Authorization', auth(staff.justice)).send({ summary: '劳动合同解除', advice: '申请劳动仲裁' })
    expect(written.status).toBe(200)
    const ticket = await t.db.ds.getRepository(Ticket).findOneByOrFail({ id: booked.body.ticketId })
    expect(ticket.state).toBe('resolved')
    expect(ticket.resolution).not.toContain('劳动仲裁')
  })

  it("lists a resident's own bookings and a station's bookings for its staff", async () => {
    const mine = await request(t.server).get('/api/legal/bookings').query({ view: 'mine' }).set('Authorization', auth(r2))
    expect(mine.status).toBe(200)
    expect(BookingViewSchema.array().parse(mine.body.items).length).toBeGreaterThan(0)
    const staffView = await request(t.server).get('/api/legal/bookings').query({ view: 'station', stationId: station.id }).set('Authorization', auth(staff.csA))
    expect(staffView.status).toBe(200)
    expect(staffView.body.items.length).toBeGreaterThan(0)
    const outside = await request(t.server).get('/api/legal/bookings').query({ view: 'station', stationId: station.id }).set('Authorization', auth(staff.csB))
    expect(outside.status).toBe(404)
  })
  it("names the resident to the station's staff, never in the resident's own view", async () => {
    const mine = await request(t.server).get('/api/legal/bookings').query({ view: 'mine' }).set('Authorization', auth(r2))
    const own = BookingViewSchema.array().parse(mine.body.items)
    expect(own.every((b) => b.resident === undefined)).toBe(true)
    const staffView = await request(t.server).get('/api/legal/bookings').query({ view: 'station', stationId: station.id }).set('Authorization', auth(staff.csA))
    const seen = BookingViewSchema.array().parse(staffView.body.items)
    expect(seen.find((b) => b.id === own[0]?.id)?.resident).toEqual({ displayName: '李四' })
    const detail = await request(t.server)
      .get(`/api/legal/bookings/${own[0]?.id ?? ''}`)
      .set('Authorization', auth(staff.csA))
    expect(BookingViewSchema.parse(detail.body).resident).toEqual({ displayName: '李四' })
    const ownDetail = await request(t.server)
      .get(`/api/legal/bookings/${own[0]?.id ?? ''}`)
      .set('Authorization', auth(r2))
    expect(BookingViewSchema.parse(ownDetail.body).resident).toBeUndefined()
  })
})
