import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestContext, type TestContext } from '../../../test/test-app'
import { bearer } from '../../../test/factories'
import {
  approveManyVolunteers,
  countSignups,
  createActivityRow,
  createManyUsers,
  createServiceStaff,
  createServiceTerritory,
  fireAtOnce,
  idemKey,
  listenOnLoopback,
  summariseFired,
  type ServiceTerritory
} from '../../../test/services-factories'
import { recordWrites } from '../../../test/write-recorder'
import { ActivitySignup, VolunteerActivity } from './volunteer.entity'

const NOW = new Date('2026-12-01T02:00:00Z')
const SEATS = 10
const REQUESTS = 500

let t: TestContext
let http: { url: string; close: () => Promise<void> }
let territory: ServiceTerritory
let organiserId: string
beforeAll(async () => {
  t = await createTestContext()
  t.setNow(NOW)
  http = await listenOnLoopback(t.server)
  territory = await createServiceTerritory(t.db.ds)
  organiserId = (await createServiceStaff(t.db.ds, territory)).csA.id
})
afterAll(async () => {
  await http.close()
  await t.close()
})

const newActivity = (capacity: number) =>
  createActivityRow(t.db.ds, { communityCode: territory.ca.code, streetCode: territory.s1.code, startsAt: new Date(NOW.getTime() + 48 * 3600_000), capacity, createdBy: organiserId })

describe('an activity under contention', () => {
  it(`confirms exactly ${SEATS} of ${REQUESTS} simultaneous sign-ups and refuses the rest with 409 activity_full`, async () => {
    const activity = await newActivity(SEATS)
    const volunteers = await createManyUsers(t.db.ds, 'volunteer', REQUESTS, 'volunteer')
    await approveManyVolunteers(t.db.ds, volunteers, territory.ca.code, territory.s1.code)
    const results = await fireAtOnce(
      http.url,
      volunteers.map((v) => ({
        method: 'POST',
        path: `/api/activities/${activity.id}/signups`,
        headers: { Authorization: bearer(t.deps.config, v), 'Idempotency-Key': idemKey() },
        body: {}
      }))
    )
    expect(summariseFired(results).counts).toEqual({ '201': SEATS, '409 activity_full': REQUESTS - SEATS })
    expect((await t.db.ds.getRepository(VolunteerActivity).findOneByOrFail({ id: activity.id })).signedUp).toBe(SEATS)
    expect(await countSignups(t.db.ds, activity.id, 'confirmed')).toBe(SEATS)
    expect(await t.db.ds.getRepository(ActivitySignup).countBy({ activityId: activity.id })).toBe(SEATS)
  })

  it('numbers a waiting list uniquely under contention, and simultaneous cancellations promote different volunteers', async () => {
    const activity = await newActivity(SEATS)
    const volunteers = await createManyUsers(t.db.ds, 'volunteer', 3 * SEATS, 'queued')
    await approveManyVolunteers(t.db.ds, volunteers, territory.ca.code, territory.s1.code)
    const signups = await fireAtOnce(
      http.url,
      volunteers.map((v) => ({
        method: 'POST',
        path: `/api/activities/${activity.id}/signups`,
        headers: { Authorization: bearer(t.deps.config, v), 'Idempotency-Key': idemKey() },
        body: { joinWaitlist: true }
      }))
    )
    expect(summariseFired(signups).counts).toEqual({ '201': 3 * SEATS })
    const rows = await t.db.ds.getRepository(ActivitySignup).findBy({ activityId: activity.id })
    const positions = rows.filter((r) => r.status === 'waitlisted').map((r) => r.waitlistPosition)
    expect(new Set(positions).size).toBe(2 * SEATS)
    const confirmed = rows.filter((r) => r.status === 'confirmed')
    expect(confirmed).toHaveLength(SEATS)
    const confirmedUsers = volunteers.filter((v) => confirmed.some((r) => r.userId === v.id))
    const cancels = await fireAtOnce(
      http.url,
      confirmedUsers.map((v) => ({ method: 'POST', path: `/api/activities/${activity.id}/signups/cancel`, headers: { Authorization: bearer(t.deps.config, v) } }))
    )
    expect(summariseFired(cancels).counts).toEqual({ '200': SEATS })
    expect(await countSignups(t.db.ds, activity.id, 'confirmed')).toBe(SEATS)
    expect(await countSignups(t.db.ds, activity.id, 'waitlisted')).toBe(SEATS)
    expect((await t.db.ds.getRepository(VolunteerActivity).findOneByOrFail({ id: activity.id })).signedUp).toBe(SEATS)
    const after = await t.db.ds.getRepository(ActivitySignup).findBy({ activityId: activity.id, status: 'waitlisted' })
    const promotedPositions = (positions as number[]).sort((a, b) => a - b).slice(0, SEATS)
    const stillWaiting = after.map((r) => r.waitlistPosition as number)
    expect(stillWaiting.every((p) => !promotedPositions.includes(p))).toBe(true)
  })
})

describe('a full activity refuses at once (issue 12.4)', () => {
  const signUp = (user: Parameters<typeof bearer>[1], activityId: string, body: Record<string, unknown> = {}) =>
    fetch(`${http.url}/api/activities/${activityId}/signups`, {
      method: 'POST',
      headers: { Authorization: bearer(t.deps.config, user), 'Idempotency-Key': idemKey(), 'Content-Type': 'application/json' },
      body: JSON.stringify(body)
    })

  it('answers 409 activity_full as the locking path did, without inserting a sign-up or running the seat UPDATE; the waiting list still works', async () => {
    const activity = await newActivity(1)
    const volunteers = await createManyUsers(t.db.ds, 'volunteer', 3, 'fast-refusal')
    await approveManyVolunteers(t.db.ds, volunteers, territory.ca.code, territory.s1.code)
    const [holder, late, waiting] = volunteers
    if (!holder || !late || !waiting) throw new Error('three volunteers were made')
    expect((await signUp(holder, activity.id)).status).toBe(201)

    const signupWrites = recordWrites(t.db.ds, ActivitySignup)
    const activityWrites = recordWrites(t.db.ds, VolunteerActivity)
    try {
      const refused = await signUp(late, activity.id)
      expect(refused.status).toBe(409)
      expect(refused.headers.get('content-type')).toMatch(/application\/problem\+json/)
      // The body the conditional UPDATE's refusal has always had, the waiting-list hint included.
      expect(await refused.json()).toMatchObject({ status: 409, code: 'activity_full', type: '/problems/activity-full', detail: 'This activity is full.', waitlist: true })
      const again = await signUp(holder, activity.id)
      expect(again.status).toBe(409)
      expect(await again.json()).toMatchObject({ code: 'already_signed_up', detail: 'You have already signed up for this activity.' })
      expect(signupWrites.inserts).toBe(0)
      expect(activityWrites.updates).toBe(0)
    } finally {
      signupWrites.stop()
      activityWrites.stop()
    }
    // Asking for the waiting list still takes the locking path and gets a place.
    const queued = await signUp(waiting, activity.id, { joinWaitlist: true })
    expect(queued.status).toBe(201)
    expect(await queued.json()).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 })
    expect((await t.db.ds.getRepository(VolunteerActivity).findOneByOrFail({ id: activity.id })).signedUp).toBe(1)
    expect(await countSignups(t.db.ds, activity.id, 'confirmed')).toBe(1)
  })
})
