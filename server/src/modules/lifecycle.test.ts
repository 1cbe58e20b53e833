import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LeaderboardViewSchema, SEED_PLACES, SlotViewSchema, StationViewSchema, TestingPointViewSchema } from '@palm/shared'
import { createTestContext, type TestContext } from '../../test/test-app'
import { seedTerritory } from './demo/index'
import { LegalSlot, LegalStation } from './legal/index'
import { TestingPoint } from './testing-points/index'
import { AntiFraudAlert, Volunteer, VolunteerActivity } from './volunteers/index'
import { seedServices } from './lifecycle'

let t: TestContext
beforeAll(async () => {
  t = await createTestContext()
  t.setNow(new Date('2026-12-01T02:00:00Z'))
  await seedTerritory(t.deps)
  await seedServices(t.deps)
}, 180_000)
afterAll(async () => {
  await t.close()
})

describe('the demo services seed', () => {
  it('puts a testing point at 绿地世纪城, open in the evening', async () => {
    const res = await request(t.server).get('/api/testing-points').query(SEED_PLACES.lvdiShijicheng.point)
    const first = TestingPointViewSchema.parse(res.body.items[0])
    expect(first.name).toContain('绿地世纪城')
    expect(first.distance).toBeLessThan(100)
    expect(first.openingHours.weekly.every((p) => p.open === '17:00')).toBe(true)
  })

  it('has stations at every level, the 1826 station and the mediation centre, with bookable slots', async () => {
    const res = await request(t.server).get('/api/legal/stations')
    const stations = StationViewSchema.array().parse(res.body.items)
    expect(new Set(stations.map((s) => s.level))).toEqual(new Set(['district', 'street', 'community', 'special']))
    expect(stations.map((s) => s.kind)).toEqual(expect.arrayContaining(['marriage_family_1826', 'mediation_centre', 'legal_aid_centre', 'legal_service_room']))
    const room = stations.find((s) => s.community?.code === SEED_PLACES.yongheCommunity.communityCode)
    const slots = await request(t.server).get('/api/legal/slots').query({ stationId: room?.id })
    expect(
      SlotViewSchema.array()
        .parse(slots.body.items)
        .some((s) => s.bookable)
    ).toBe(true)
  })

  it('gives the alliance activities, hours on the leaderboard and alerts', async () => {
    const activities = await request(t.server).get('/api/activities')
    expect(activities.body.items.length).toBeGreaterThanOrEqual(3)
    const board = LeaderboardViewSchema.parse((await request(t.server).get('/api/volunteers/leaderboard').query({ month: '2026-11' })).body)
    const december = LeaderboardViewSchema.parse((await request(t.server).get('/api/volunteers/leaderboard').query({ month: '2026-12' })).body)
    expect(board.items.length + december.items.length).toBeGreaterThan(0)
    expect((await request(t.server).get('/api/anti-fraud/alerts')).body.items.length).toBe(3)
  })

  it('adds nothing when run again', async () => {
    const count = async () => ({
      points: await t.db.ds.getRepository(TestingPoint).count(),
      stations: await t.db.ds.getRepository(LegalStation).count(),
      slots: await t.db.ds.getRepository(LegalSlot).count(),
      volunteers: await t.db.ds.getRepository(Volunteer).count(),
      activities: await t.db.ds.getRepository(VolunteerActivity).count(),
      alerts: await t.db.ds.getRepository(AntiFraudAlert).count()
    })
    const before = await count()
    await seedServices(t.deps)
    expect(await count()).toEqual(before)
    expect(before.points).toBeGreaterThan(3)
  })
})
