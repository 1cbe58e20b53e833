import request from 'supertest'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { bearer, createUser } from '../../../test/factories'
import { createActivityRow, createApprovedVolunteer, createProviderRow, createServiceTerritory, createSlotRow, createStationRow, idemKey } from '../../../test/services-factories'
import { createTestContext, type TestContext } from '../../../test/test-app'
import { testConfig } from '../../config'
import { Message, NotificationOutbox } from '../notifications/index'
import { reminderKindAt, sendDueReminders } from './reminders.job'
import { ServiceReminder } from './reminder.entity'

/*
 * Booking and activity reminders (issue 11 point 5, docs/messages.md "Reminders"): the day before and
 * an hour before, written to the message centre and the outbox once each, never for a cancelled
 * booking or sign-up.
 */
const NOW = new Date('2026-12-01T02:00:00Z')
const HOUR = 3_600_000
let t: TestContext
let territory: Awaited<ReturnType<typeof createServiceTerritory>>

beforeAll(async () => {
  // A configured template, so the outbox rows are written as in production.
  const base = testConfig()
  t = await createTestContext({ wechat: { ...base.wechat, templateIds: { booking_reminder: 'TPL_BOOKING' } } })
  territory = await createServiceTerritory(t.db.ds)
})
afterAll(async () => {
  await t.close()
})
beforeEach(() => {
  t.setNow(NOW)
})

const messagesOf = (userId: string) => t.db.ds.getRepository(Message).find({ where: { userId }, order: { createdAt: 'ASC' } })
const remindersOf = (userId: string) => t.db.ds.getRepository(Message).find({ where: { userId, kind: 'booking_reminder' } })

describe('which reminder is due', () => {
  it('is the day-before one from 24 h until 1 h ahead, then the hour-before one, none outside', () => {
    const start = new Date(NOW.getTime() + 30 * HOUR)
    expect(reminderKindAt(start, NOW)).toBeNull()
    expect(reminderKindAt(start, new Date(start.getTime() - 24 * HOUR))).toBe('day_before')
    expect(reminderKindAt(start, new Date(start.getTime() - HOUR - 1))).toBe('day_before')
    expect(reminderKindAt(start, new Date(start.getTime() - HOUR))).toBe('hour_before')
    expect(reminderKindAt(start, start)).toBeNull()
  })
})

describe('legal consultation bookings', () => {
  it('reminds a live booking the day before and an hour before, once each, and never a cancelled one', async () => {
    const station = await createStationRow(t.db.ds, { communityCode: territory.ca.code, streetCode: territory.s1.code })
    const provider = await createProviderRow(t.db.ds, station.id)
    const startsAt = new Date(NOW.getTime() + 30 * HOUR)
    const slot = await createSlotRow(t.db.ds, station, provider, startsAt, 5)
    const kept = await createUser(t.db.ds, 'resident', { displayName: '预约人甲' })
    const cancelled = await createUser(t.db.ds, 'resident', { displayName: '预约人乙' })
    const book = (user: typeof kept) =>
      request(t.server)
        .post('/api/legal/bookings')
        .set('Authorization', bearer(t.deps.config, user))
        .set('Idempotency-Key', idemKey())
        .send({ slotId: slot.id, topic: '劳动争议', description: '拖欠工资' })
    const keptBooking = await book(kept)
    expect(keptBooking.status, JSON.stringify(keptBooking.body)).toBe(201)
    const cancelledBooking = await book(cancelled)
    expect(cancelledBooking.status).toBe(201)
    const cancel = await request(t.server)
      .post(`/api/legal/bookings/${(cancelledBooking.body as { id: string }).id}/cancel`)
      .set('Authorization', bearer(t.deps.config, cancelled))
      .send({})
    expect(cancel.status, JSON.stringify(cancel.body)).toBe(200)
    const before = { kept: (await remindersOf(kept.id)).length, cancelled: (await messagesOf(cancelled.id)).length }

    // 30 h ahead: nothing yet.
    expect((await sendDueReminders(t.deps)).sent).toEqual([])
    // 23 h ahead: the day-before reminder, for the live booking only, once however often the job runs.
    t.setNow(new Date(startsAt.getTime() - 23 * HOUR))
    const first = await sendDueReminders(t.deps)
    expect(first.sent).toEqual([{ subjectType: 'legal_booking', subjectId: (keptBooking.body as { id: string }).id, kind: 'day_before' }])
    expect((await sendDueReminders(t.deps)).sent).toEqual([])
    const dayBefore = await remindersOf(kept.id)
    expect(dayBefore).toHaveLength(before.kept + 1)
    expect(dayBefore.at(-1)?.body).toContain('将于 12月2日 16:00')
    const outbox = await t.db.ds.getRepository(NotificationOutbox).findBy({ userId: kept.id, templateKey: 'booking_reminder' })
    expect(outbox.length).toBeGreaterThanOrEqual(1)
    // 50 minutes ahead: the hour-before reminder.
    t.setNow(new Date(startsAt.getTime() - 50 * 60_000))
    expect((await sendDueReminders(t.deps)).sent.map((s) => s.kind)).toEqual(['hour_before'])
    expect(await remindersOf(kept.id)).toHaveLength(before.kept + 2)
    // The cancelled booking: no reminder, no claim, no new message at any time.
    expect(await messagesOf(cancelled.id)).toHaveLength(before.cancelled)
    expect(await t.db.ds.getRepository(ServiceReminder).countBy({ subjectId: (cancelledBooking.body as { id: string }).id })).toBe(0)
  })
})

describe('volunteer activities', () => {
  it('reminds confirmed sign-ups, not cancelled ones, nor any of a cancelled activity', async () => {
    const organiser = await createUser(t.db.ds, 'community_staff', { communityCode: territory.ca.code, streetCode: territory.s1.code, displayName: '活动组织者' })
    const startsAt = new Date(NOW.getTime() + 26 * HOUR)
    const activity = await createActivityRow(t.db.ds, { communityCode: territory.ca.code, streetCode: territory.s1.code, startsAt, createdBy: organiser.id })
    const other = await createActivityRow(t.db.ds, { communityCode: territory.ca.code, streetCode: territory.s1.code, startsAt, createdBy: organiser.id })
    const stays = await createUser(t.db.ds, 'resident', { displayName: '志愿者甲' })
    const leaves = await createUser(t.db.ds, 'resident', { displayName: '志愿者乙' })
    for (const u of [stays, leaves]) await createApprovedVolunteer(t.db.ds, u, territory.ca.code, territory.s1.code)
    const signUp = (user: typeof stays, id: string) =>
      request(t.server).post(`/api/activities/${id}/signups`).set('Authorization', bearer(t.deps.config, user)).set('Idempotency-Key', idemKey()).send({})
    expect((await signUp(stays, activity.id)).status).toBe(201)
    expect((await signUp(leaves, activity.id)).status).toBe(201)
    expect((await signUp(stays, other.id)).status).toBe(201)
    const left = await request(t.server).post(`/api/activities/${activity.id}/signups/cancel`).set('Authorization', bearer(t.deps.config, leaves)).send({})
    expect(left.status, JSON.stringify(left.body)).toBe(200)
    // The other activity is called off.
    await t.db.ds.createQueryBuilder().update('volunteer_activities').set({ cancelled: true }).where('id = :id', { id: other.id }).execute()
    const leavesBefore = (await messagesOf(leaves.id)).length

    t.setNow(new Date(startsAt.getTime() - 20 * HOUR))
    const pass = await sendDueReminders(t.deps)
    expect(pass.sent.filter((s) => s.subjectType === 'activity_signup')).toHaveLength(1)
    const reminders = await remindersOf(stays.id)
    expect(reminders).toHaveLength(1)
    expect(reminders[0]?.title).toBe('志愿活动提醒：反诈宣传进社区')
    expect(await messagesOf(leaves.id)).toHaveLength(leavesBefore)
  })
})
