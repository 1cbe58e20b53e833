import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SEED_PLACES, SupportViewSchema, TestingPointRequestViewSchema, TestingPointViewSchema, TicketViewSchema } from '@palm/shared'
import { createTestContext, type TestContext } from '../../../test/test-app'
import { bearer, createGrid, createUser } from '../../../test/factories'
import { createServiceStaff, createServiceTerritory, idemKey, type ServiceTerritory } from '../../../test/services-factories'
import type { User } from '../auth/user.entity'
import { Message } from '../notifications/index'
import { Ticket } from '../tickets/index'
import { TestingPoint, TestingPointSupport } from './testing-point.entity'

/**
 * The seed's story (docs/domain.md "The services"): residents of 绿地世纪城 asked for a testing point in
 * the afternoon, neighbours backed them, and the point opened the next evening.
 */
const AFTERNOON = new Date('2026-12-01T07:00:00Z') // Tuesday 15:00 in Pingcheng
const NEXT_EVENING = new Date('2026-12-02T11:30:00Z') // Wednesday 19:30
const LVDI = SEED_PLACES.lvdiShijicheng
const EVENINGS = { weekly: [1, 2, 3, 4, 5, 6, 7].map((day) => ({ day, open: '17:00', close: '21:00' })), note: '每晚开放' }

let t: TestContext
let territory: ServiceTerritory
let staff: Awaited<ReturnType<typeof createServiceStaff>>
let requester: User
let neighbours: User[]
const auth = (u: Pick<User, 'id' | 'role'>) => bearer(t.deps.config, u)

beforeAll(async () => {
  t = await createTestContext()
  territory = await createServiceTerritory(t.db.ds)
  staff = await createServiceStaff(t.db.ds, territory)
  // The grid of 绿地世纪城 in 永和社区 (the fixture's community A has the real code 140213066001).
  await createGrid(t.db.ds, { code: '140213066001-09', communityCode: LVDI.communityCode, streetCode: LVDI.streetCode, lat: 40.05, lng: 113.29 })
  requester = await createUser(t.db.ds, 'resident', { displayName: '刘阿姨' })
  neighbours = await Promise.all(['张大爷', '王女士', '李先生'].map((displayName) => createUser(t.db.ds, 'resident', { displayName })))
})
afterAll(async () => {
  await t.close()
})

async function fileRequest(user: User, place = '绿地世纪城小区') {
  return request(t.server)
    .post('/api/tickets')
    .set('Authorization', auth(user))
    .set('Idempotency-Key', idemKey())
    .send({
      kind: 'testing_point_request',
      category: 'testing_point_request',
      description: '小区老人多，最近的检测点要排队两个小时，希望在小区里增设一个检测点。',
      location: LVDI.point,
      address: `${place}东门`,
      details: { place, reason: '老人多，排队久', peopleServed: 3000 }
    })
}

const support = (user: User, ticketId: string) => request(t.server).post(`/api/tickets/${ticketId}/support`).set('Authorization', auth(user))

describe('the seed story: a testing point for 绿地世纪城, asked in the afternoon, open the next evening', () => {
  it('runs from request to published point with every supporter told', async () => {
    t.setNow(AFTERNOON)
    const filed = await fileRequest(requester)
    expect(filed.status).toBe(201)
    const ticket = TicketViewSchema.parse(filed.body)
    expect(ticket).toMatchObject({ kind: 'testing_point_request', state: 'assigned', community: { code: LVDI.communityCode } })

    for (const [i, neighbour] of neighbours.entries()) {
      t.setNow(new Date(AFTERNOON.getTime() + (i + 1) * 20 * 60_000))
      const res = await support(neighbour, ticket.id)
      expect(res.status).toBe(201)
      expect(SupportViewSchema.parse(res.body)).toEqual({ ticketId: ticket.id, supportCount: i + 1, supportedByMe: true })
    }
    const nearby = await request(t.server)
      .get('/api/testing-points/requests')
      .query(LVDI.point)
      .set('Authorization', auth(neighbours[0] as User))
    const open = TestingPointRequestViewSchema.array().parse(nearby.body.items)
    expect(open[0]).toMatchObject({ ticketId: ticket.id, place: '绿地世纪城小区', supportCount: 3, supportedByMe: true, peopleServed: 3000 })
    expect(JSON.stringify(nearby.body)).not.toContain('刘阿姨')

    t.setNow(NEXT_EVENING)
    const approved = await request(t.server)
      .post(`/api/testing-points/requests/${ticket.id}/approve`)
      .set('Authorization', auth(staff.csA))
      .send({ name: '绿地世纪城临时检测点', address: '绿地世纪城小区东门广场', openingHours: EVENINGS })
    expect(approved.status).toBe(201)
    expect(approved.body.notifiedSupporters).toBe(3)
    const point = TestingPointViewSchema.parse(approved.body.point)
    expect(point).toMatchObject({ requestTicketId: ticket.id, openNow: true, location: LVDI.point, community: { code: LVDI.communityCode } })
    expect(NEXT_EVENING.getTime() - AFTERNOON.getTime()).toBeLessThan(36 * 3600_000)

    const found = await request(t.server)
      .get('/api/testing-points')
      .query({ ...LVDI.point, openNow: 'true' })
    expect(found.body.items[0]).toMatchObject({ id: point.id, name: '绿地世纪城临时检测点', distance: 0 })

    const theirs = await request(t.server).get(`/api/tickets/${ticket.id}`).set('Authorization', auth(requester))
    const view = TicketViewSchema.parse(theirs.body)
    expect(view.state).toBe('resolved')
    expect(view.resolution).toContain('绿地世纪城临时检测点')
    expect(view.timeline.map((e) => e.event)).toEqual(['submit', 'assign', 'accept', 'resolve'])

    for (const neighbour of neighbours) {
      const notices = await t.db.ds.getRepository(Message).findBy({ userId: neighbour.id, title: '您附议的检测点已开放' })
      expect(notices).toHaveLength(1)
      expect(notices[0]?.ticketId).toBe(ticket.id)
      expect(notices[0]?.body).toContain(point.name)
    }
    expect(await t.db.ds.getRepository(TestingPointSupport).countBy({ ticketId: ticket.id })).toBe(3)
  })
})

describe('supporting and approving requests', () => {
  it('returns 409 already_supported when a resident supports twice, keeping one support', async () => {
    t.setNow(AFTERNOON)
    const ticket = (await fileRequest(requester, '永和社区南区')).body.id as string
    const neighbour = neighbours[0] as User
    expect((await support(neighbour, ticket)).status).toBe(201)
    const again = await support(neighbour, ticket)
    expect(again.status).toBe(409)
    expect(again.body.code).toBe('already_supported')
    expect(await t.db.ds.getRepository(TestingPointSupport).countBy({ ticketId: ticket })).toBe(1)
  })

  it('returns 409 already_supported to the requester, whose request already counts', async () => {
    const ticket = (await fileRequest(requester, '永和社区北区')).body.id as string
    const res = await support(requester, ticket)
    expect(res.status).toBe(409)
    expect(res.body.code).toBe('already_supported')
  })

  it('returns 404 for support of a ticket that is no testing-point request', async () => {
    const report = await request(t.server)
      .post('/api/tickets')
      .set('Authorization', auth(requester))
      .set('Idempotency-Key', idemKey())
      .send({ kind: 'report', category: 'sanitation', description: '垃圾没人清运', location: LVDI.point })
    expect(report.status).toBe(201)
    const res = await support(neighbours[1] as User, report.body.id)
    expect(res.status).toBe(404)
    expect(await t.db.ds.getRepository(TestingPointSupport).countBy({ ticketId: report.body.id })).toBe(0)
  })

  it('returns 409 request_closed when supporting a decided request', async () => {
    const ticket = (await fileRequest(requester, '永和社区西区')).body.id as string
    await request(t.server).post(`/api/testing-points/requests/${ticket}/approve`).set('Authorization', auth(staff.csA)).send({ name: '西区检测点', openingHours: EVENINGS })
    const res = await support(neighbours[2] as User, ticket)
    expect(res.status).toBe(409)
    expect(res.body.code).toBe('request_closed')
  })

  it('returns 404 to the staff of another community approving, and publishes nothing', async () => {
    const ticket = (await fileRequest(requester, '永和社区东区')).body.id as string
    const res = await request(t.server).post(`/api/testing-points/requests/${ticket}/approve`).set('Authorization', auth(staff.csB)).send({ name: '越权', openingHours: EVENINGS })
    expect(res.status).toBe(404)
    expect(await t.db.ds.getRepository(TestingPoint).countBy({ requestTicketId: ticket })).toBe(0)
    expect((await t.db.ds.getRepository(Ticket).findOneByOrFail({ id: ticket })).state).toBe('assigned')
  })

  it('takes the request over from the grid worker who accepted it, then publishes', async () => {
    const ticket = (await fileRequest(requester, '永和社区中区')).body.id as string
    const worker = await createUser(t.db.ds, 'grid_worker', { gridCode: '140213066001-09', communityCode: LVDI.communityCode, streetCode: LVDI.streetCode, onDuty: true })
    await t.db.ds.getRepository(Ticket).update({ id: ticket }, { level: 'grid', gridCode: '140213066001-09' })
    const accepted = await request(t.server).post(`/api/tickets/${ticket}/transitions`).set('Authorization', auth(worker)).send({ event: 'accept' })
    expect(accepted.status).toBe(200)
    const res = await request(t.server).post(`/api/testing-points/requests/${ticket}/approve`).set('Authorization', auth(staff.csA)).send({ name: '中区检测点', openingHours: EVENINGS })
    expect(res.status).toBe(201)
    const row = await t.db.ds.getRepository(Ticket).findOneByOrFail({ id: ticket })
    expect(row).toMatchObject({ state: 'resolved', assigneeId: staff.csA.id })
  })

  it('refuses a second approval of the same request (409)', async () => {
    const ticket = (await fileRequest(requester, '永和社区老区')).body.id as string
    const first = await request(t.server).post(`/api/testing-points/requests/${ticket}/approve`).set('Authorization', auth(staff.csA)).send({ name: '老区检测点', openingHours: EVENINGS })
    expect(first.status).toBe(201)
    const second = await request(t.server).post(`/api/testing-points/requests/${ticket}/approve`).set('Authorization', auth(staff.csA)).send({ name: '老区检测点', openingHours: EVENINGS })
    expect(second.status).toBe(409)
    expect(await t.db.ds.getRepository(TestingPoint).countBy({ requestTicketId: ticket })).toBe(1)
  })

  it('returns 400 with details.place when a request names no place', async () => {
    const res = await request(t.server)
      .post('/api/tickets')
      .set('Authorization', auth(requester))
      .set('Idempotency-Key', idemKey())
      .send({ kind: 'testing_point_request', category: 'testing_point_request', description: '希望增设检测点', location: LVDI.point, details: { reason: '人多' } })
    expect(res.status).toBe(400)
    expect(res.body.errors[0].path).toBe('details.place')
  })

  it.each([-3, 0, 2.5, '3000'])('returns 400 with details.peopleServed for %j people served, and files nothing', async (peopleServed) => {
    const before = await t.db.ds.getRepository(Ticket).countBy({ kind: 'testing_point_request' })
    const res = await request(t.server)
      .post('/api/tickets')
      .set('Authorization', auth(requester))
      .set('Idempotency-Key', idemKey())
      .send({ kind: 'testing_point_request', category: 'testing_point_request', description: '希望增设检测点', location: LVDI.point, details: { place: '永和社区', reason: '人多', peopleServed } })
    expect(res.status).toBe(400)
    expect(res.body.code).toBe('validation_failed')
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain('details.peopleServed')
    expect(await t.db.ds.getRepository(Ticket).countBy({ kind: 'testing_point_request' })).toBe(before)
  })
})

describe('what a supporter and the open-requests list show of someone else’s request', () => {
  it('masks the requester’s name, phone and ID number in the reason, and support answers with counts only', async () => {
    t.setNow(AFTERNOON)
    const filed = await request(t.server)
      .post('/api/tickets')
      .set('Authorization', auth(requester))
      .set('Idempotency-Key', idemKey())
      .send({
        kind: 'testing_point_request',
        category: 'testing_point_request',
        description: '小区老人多，希望增设检测点，联系刘阿姨 13912345678',
        location: LVDI.point,
        address: '绿地世纪城12号楼',
        details: { place: '绿地世纪城南门', reason: '我是刘阿姨，电话13912345678，身份证140202195001011234，老人排队久' }
      })
    expect(filed.status).toBe(201)
    const supported = await support(neighbours[1] as User, filed.body.id)
    expect(supported.status).toBe(201)
    expect(Object.keys(supported.body).sort()).toEqual(['supportCount', 'supportedByMe', 'ticketId'])
    const list = await request(t.server)
      .get('/api/testing-points/requests')
      .query(LVDI.point)
      .set('Authorization', auth(neighbours[1] as User))
    const row = TestingPointRequestViewSchema.array()
      .parse(list.body.items)
      .find((r) => r.ticketId === filed.body.id)
    expect(row?.reason).toBe('我是刘*，电话139****5678，身份证1402**********1234，老人排队久')
    const text = JSON.stringify(list.body)
    for (const trace of ['刘阿姨', '13912345678', '140202195001011234', '12号楼']) expect(text).not.toContain(trace)
  })
})
