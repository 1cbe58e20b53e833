import { randomUUID } from 'node:crypto'
import { ProblemSchema } from '@palm/shared'
import request from 'supertest'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { bearer, createUser } from '../../../test/factories'
import { createActivityRow, createApprovedVolunteer, createProviderRow, createSlotRow, createStationRow, countSignups, idemKey } from '../../../test/services-factories'
import { createTestContext, type TestContext } from '../../../test/test-app'
import { MONDAY_MORNING, createTicketWorld, pngPhoto, reportBody, submitTicket, uploadFile, type TicketWorld } from '../../../test/tickets-factories'
import type { User } from '../auth/user.entity'
import { LegalBooking } from '../legal/legal.entity'
import { IdempotencyKey } from '../idempotency/index'
import { Ticket } from '../tickets/ticket.entity'
import { Upload } from '../uploads/upload.entity'
import { RateLimitCounter } from './rate-limit.entity'
import { limitOf, rateLimitPruneJob } from './rate-limits'

// RATE_LIMIT_SCALE 0.1: reports 2 an hour, tip-offs 1 a day, uploads 6 an hour, bookings 2 and sign-ups 2 a day.
const SCALE = 0.1
const HOUR = 3600_000

let t: TestContext
let w: TicketWorld

beforeAll(async () => {
  t = await createTestContext({ rateLimitScale: SCALE })
  w = await createTicketWorld(t.db.ds)
})
afterAll(async () => {
  await t.close()
})
beforeEach(() => {
  t.setNow(MONDAY_MORNING)
})

function expectRateLimited(res: request.Response, maxWaitSeconds: number): void {
  expect(res.status).toBe(429)
  expect(ProblemSchema.parse(res.body).code).toBe('rate_limited')
  const retryAfter = Number(res.headers['retry-after'])
  expect(retryAfter).toBeGreaterThanOrEqual(1)
  expect(retryAfter).toBeLessThanOrEqual(maxWaitSeconds)
}

const tickets = () => t.db.ds.getRepository(Ticket).count()

describe('reports (POST /api/tickets)', () => {
  it('refuses a resident’s report past the hourly limit with 429 rate_limited and Retry-After, storing nothing', async () => {
    const { max } = limitOf(t.deps.config, 'submission')
    expect(max).toBe(2)
    const first = randomUUID()
    expect((await submitTicket(t, w.users.R1, reportBody(w), first)).status).toBe(201)
    expect((await submitTicket(t, w.users.R1, reportBody(w))).status).toBe(201)
    const before = await tickets()
    const key = randomUUID()
    expectRateLimited(await submitTicket(t, w.users.R1, reportBody(w), key), 3600)
    expect(await tickets()).toBe(before)
    // The refused request's Idempotency-Key is released, and an accepted one still replays (replays are not counted).
    expect(await t.db.ds.getRepository(IdempotencyKey).countBy({ userId: w.users.R1.id, key })).toBe(0)
    const replay = await submitTicket(t, w.users.R1, reportBody(w), first)
    expect(replay.status).toBe(201)
    expect(replay.headers['idempotent-replayed']).toBe('true')
    // Another resident is not affected.
    expect((await submitTicket(t, w.users.R3, reportBody(w))).status).toBe(201)
  })

  it('accepts reports again once the window that began with the first one is over', async () => {
    t.setNow(new Date(MONDAY_MORNING.getTime() + HOUR + 1000))
    expect((await submitTicket(t, w.users.R1, reportBody(w))).status).toBe(201)
  })

  it('refuses a second tip-off the same day while an ordinary report still goes through', async () => {
    const tip = { kind: 'fraud_tip', category: 'telecom_fraud', description: '冒充客服要求转账到安全账户', location: w.g1.center, anonymous: true, details: { phone: '13800138000', amountLost: 0 } }
    expect((await submitTicket(t, w.users.R2, tip)).status).toBe(201)
    const before = await tickets()
    expectRateLimited(await submitTicket(t, w.users.R2, tip), 86_400)
    expect(await tickets()).toBe(before)
    expect((await submitTicket(t, w.users.R2, reportBody(w))).status).toBe(201)
  })
})

describe('photo uploads (POST /api/uploads)', () => {
  it('refuses the upload past the hourly limit before reading it, storing nothing', async () => {
    const photo = await pngPhoto(64, 48)
    const user = await createUser(t.db.ds, 'resident')
    const { max } = limitOf(t.deps.config, 'upload')
    for (let i = 0; i < max; i++) expect((await uploadFile(t, user, photo, 'p.png', 'image/png')).status).toBe(201)
    const before = await t.db.ds.getRepository(Upload).count()
    expectRateLimited(await uploadFile(t, user, photo, 'p.png', 'image/png'), 3600)
    expect(await t.db.ds.getRepository(Upload).count()).toBe(before)
  })

  it('answers a subject already refused from memory until its window ends, without writing to the database', async () => {
    const photo = await pngPhoto(64, 48)
    const user = await createUser(t.db.ds, 'resident')
    const { max } = limitOf(t.deps.config, 'upload')
    for (let i = 0; i < max; i++) expect((await uploadFile(t, user, photo, 'p.png', 'image/png')).status).toBe(201)
    expectRateLimited(await uploadFile(t, user, photo, 'p.png', 'image/png'), 3600)
    await t.db.ds.getRepository(RateLimitCounter).delete({ bucket: 'upload', subject: user.id })
    expectRateLimited(await uploadFile(t, user, photo, 'p.png', 'image/png'), 3600)
    expect(await t.db.ds.getRepository(RateLimitCounter).countBy({ bucket: 'upload', subject: user.id })).toBe(0)
  })
})

describe('bookings and sign-ups', () => {
  const auth = (u: Pick<User, 'id' | 'role'>) => bearer(t.deps.config, u)

  it('refuses a resident’s third legal-consultation booking of the day (cancelled ones count), booking nothing', async () => {
    t.setNow(new Date('2026-12-01T02:00:00Z'))
    const station = await createStationRow(t.db.ds, { communityCode: w.ca.code, streetCode: w.s1.code })
    const provider = await createProviderRow(t.db.ds, station.id)
    const resident = await createUser(t.db.ds, 'resident')
    const slots = await Promise.all([1, 2, 3].map((i) => createSlotRow(t.db.ds, station, provider, new Date(Date.parse('2026-12-03T02:00:00Z') + i * HOUR), 2)))
    const book = (slotId: string) =>
      request(t.server).post('/api/legal/bookings').set('Authorization', auth(resident)).set('Idempotency-Key', idemKey()).send({ slotId, topic: '婚姻家庭', description: '离婚后子女抚养费问题' })
    for (const slot of slots.slice(0, 2)) {
      const booked = await book(slot.id)
      expect(booked.status).toBe(201)
      expect(
        (
          await request(t.server)
            .post(`/api/legal/bookings/${String(booked.body.id)}/cancel`)
            .set('Authorization', auth(resident))
        ).status
      ).toBe(200)
    }
    const third = slots[2]
    if (!third) throw new Error('no slot')
    expectRateLimited(await book(third.id), 86_400)
    expect(await t.db.ds.getRepository(LegalBooking).countBy({ slotId: third.id })).toBe(0)
  })

  it('refuses a volunteer’s third activity sign-up of the day, signing up nothing', async () => {
    t.setNow(new Date('2026-12-01T02:00:00Z'))
    const user = await createUser(t.db.ds, 'volunteer')
    await createApprovedVolunteer(t.db.ds, user, w.ca.code, w.s1.code)
    const activities = await Promise.all(
      [1, 2, 3].map((i) =>
        createActivityRow(t.db.ds, { communityCode: w.ca.code, streetCode: w.s1.code, startsAt: new Date(Date.parse('2026-12-05T02:00:00Z') + i * HOUR), createdBy: w.users.CSA.id })
      )
    )
    const signUp = (activityId: string) => request(t.server).post(`/api/activities/${activityId}/signups`).set('Authorization', auth(user)).set('Idempotency-Key', idemKey()).send({})
    for (const a of activities.slice(0, 2)) expect((await signUp(a.id)).status).toBe(201)
    const third = activities[2]
    if (!third) throw new Error('no activity')
    expectRateLimited(await signUp(third.id), 86_400)
    expect(await countSignups(t.db.ds, third.id, 'confirmed')).toBe(0)
  })
})

describe('clean-up', () => {
  it('deletes counters whose window ended and keeps the live ones', async () => {
    const counters = t.db.ds.getRepository(RateLimitCounter)
    const live = await counters.count()
    expect(live).toBeGreaterThan(0)
    t.setNow(new Date('2026-12-01T02:00:00Z'))
    await rateLimitPruneJob.run(t.deps)
    // The report and upload counters of Monday (one hour) are gone; the day-long ones of Tuesday stay.
    const left = await counters.find()
    expect(left.length).toBeLessThan(live)
    expect(left.every((c) => c.expiresAt.getTime() >= Date.parse('2026-12-01T02:00:00Z'))).toBe(true)
  })
})
