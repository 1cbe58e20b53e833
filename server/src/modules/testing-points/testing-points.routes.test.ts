import request from 'supertest'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { ProblemSchema, TestingPointViewSchema } from '@palm/shared'
import { createTestContext, type TestContext } from '../../../test/test-app'
import { bearer, createUser } from '../../../test/factories'
import { createServiceStaff, createServiceTerritory, type ServiceTerritory } from '../../../test/services-factories'
import type { User } from '../auth/user.entity'
import { TestingPoint } from './testing-point.entity'

/** Tuesday 1 December 2026, 10:00 in Pingcheng. */
const NOW = new Date('2026-12-01T02:00:00Z')
const EVERY_DAY_8_TO_12 = { weekly: [1, 2, 3, 4, 5, 6, 7].map((day) => ({ day, open: '08:00', close: '12:00' })) }

let t: TestContext
let territory: ServiceTerritory
let staff: Awaited<ReturnType<typeof createServiceStaff>>
const auth = (u: Pick<User, 'id' | 'role'>) => bearer(t.deps.config, u)

beforeAll(async () => {
  t = await createTestContext()
  territory = await createServiceTerritory(t.db.ds)
  staff = await createServiceStaff(t.db.ds, territory)
})
afterAll(async () => {
  await t.close()
})
beforeEach(() => {
  t.setNow(NOW)
})

const pointBody = (over: Record<string, unknown> = {}) => ({
  name: '永和社区核酸检测点',
  address: '永和社区服务中心门前',
  location: { lat: 40.085, lng: 113.305 },
  communityCode: territory.ca.code,
  openingHours: EVERY_DAY_8_TO_12,
  ...over
})

describe('staff write testing points in their scope', () => {
  it('creates a point for the community staff of that community', async () => {
    const res = await request(t.server).post('/api/testing-points').set('Authorization', auth(staff.csA)).send(pointBody())
    expect(res.status).toBe(201)
    const view = TestingPointViewSchema.parse(res.body)
    expect(view).toMatchObject({ status: 'open', queueLevel: 'none', openNow: true, community: { name: '永和社区' }, street: { code: territory.s1.code } })
  })

  it('returns 404 when community staff create a point in another community, and stores nothing', async () => {
    const before = await t.db.ds.getRepository(TestingPoint).count()
    const res = await request(t.server).post('/api/testing-points').set('Authorization', auth(staff.csB)).send(pointBody())
    expect(res.status).toBe(404)
    expect(await t.db.ds.getRepository(TestingPoint).count()).toBe(before)
  })

  it('returns 404 when staff edit a point out of their scope, and changes nothing', async () => {
    const created = await request(t.server)
      .post('/api/testing-points')
      .set('Authorization', auth(staff.sa1))
      .send(pointBody({ name: '街道检测点' }))
    for (const outsider of [staff.csB, staff.sa2]) {
      const res = await request(t.server).patch(`/api/testing-points/${created.body.id}`).set('Authorization', auth(outsider)).send({ status: 'closed' })
      expect(res.status).toBe(404)
      expect(ProblemSchema.parse(res.body).code).toBe('not_found')
    }
    expect((await t.db.ds.getRepository(TestingPoint).findOneByOrFail({ id: created.body.id })).status).toBe('open')
  })

  it('lets staff in scope report the queue and pause the point', async () => {
    const created = await request(t.server)
      .post('/api/testing-points')
      .set('Authorization', auth(staff.csA))
      .send(pointBody({ name: '排队点' }))
    const res = await request(t.server).patch(`/api/testing-points/${created.body.id}`).set('Authorization', auth(staff.da)).send({ queueLevel: 'long', status: 'paused' })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ queueLevel: 'long', status: 'paused', openNow: false })
  })

  it('refuses residents and grid workers (403)', async () => {
    const resident = await createUser(t.db.ds, 'resident')
    expect((await request(t.server).post('/api/testing-points').set('Authorization', auth(resident)).send(pointBody())).status).toBe(403)
    expect((await request(t.server).post('/api/testing-points').set('Authorization', auth(staff.w1)).send(pointBody())).status).toBe(403)
  })

  it('returns 400 with the field path for opening hours that close before they open', async () => {
    const res = await request(t.server)
      .post('/api/testing-points')
      .set('Authorization', auth(staff.csA))
      .send(pointBody({ openingHours: { weekly: [{ day: 1, open: '18:00', close: '09:00' }] } }))
    expect(res.status).toBe(400)
    expect(ProblemSchema.parse(res.body).errors?.[0]?.path).toBe('openingHours.weekly.0.close')
  })
})

describe('residents find the nearest points', () => {
  it('lists nearest first with the distance in metres, and filters to open now', async () => {
    const near = await request(t.server)
      .post('/api/testing-points')
      .set('Authorization', auth(staff.csA))
      .send(pointBody({ name: '近处检测点', location: { lat: 40.0801, lng: 113.3001 } }))
    const far = await request(t.server)
      .post('/api/testing-points')
      .set('Authorization', auth(staff.csA))
      .send(pointBody({ name: '远处夜间检测点', location: { lat: 40.089, lng: 113.309 }, openingHours: { weekly: [{ day: 2, open: '18:00', close: '22:00' }] } }))
    const res = await request(t.server).get('/api/testing-points').query({ lat: 40.08, lng: 113.3 })
    expect(res.status).toBe(200)
    const items = TestingPointViewSchema.array().parse(res.body.items)
    expect(items[0]?.id).toBe(near.body.id)
    expect(items[0]?.distance).toBeGreaterThan(5)
    expect(items[0]?.distance).toBeLessThan(20)
    const distances = items.map((i) => i.distance ?? 0)
    expect(distances).toEqual([...distances].sort((a, b) => a - b))
    const openNow = await request(t.server).get('/api/testing-points').query({ lat: 40.08, lng: 113.3, openNow: 'true' })
    const ids = openNow.body.items.map((i: { id: string }) => i.id)
    expect(ids).toContain(near.body.id)
    expect(ids).not.toContain(far.body.id)
    t.setNow(new Date('2026-12-01T11:00:00Z'))
    const evening = await request(t.server).get('/api/testing-points').query({ openNow: 'true' })
    expect(evening.body.items.map((i: { id: string }) => i.id)).toEqual([far.body.id])
  })

  it('hides closed points from residents', async () => {
    const created = await request(t.server)
      .post('/api/testing-points')
      .set('Authorization', auth(staff.csA))
      .send(pointBody({ name: '已关闭点', status: 'closed' }))
    const res = await request(t.server).get('/api/testing-points')
    expect(res.body.items.map((i: { id: string }) => i.id)).not.toContain(created.body.id)
    const staffView = await request(t.server).get('/api/testing-points').query({ includeClosed: 'true' })
    expect(staffView.body.items.map((i: { id: string }) => i.id)).toContain(created.body.id)
  })

  it('returns 400 for a latitude without a longitude', async () => {
    const res = await request(t.server).get('/api/testing-points').query({ lat: 40.08 })
    expect(res.status).toBe(400)
    expect(res.body.errors[0].path).toBe('lng')
  })
})
