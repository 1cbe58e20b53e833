import request from 'supertest'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { ActivityViewSchema, AlertViewSchema, LeaderboardViewSchema, ProblemSchema, SignupViewSchema, VolunteerRecordViewSchema, VolunteerViewSchema } from '@palm/shared'
import { createTestContext, type TestContext } from '../../../test/test-app'
import { bearer, createUser } from '../../../test/factories'
import { countSignups, createActivityRow, createApprovedVolunteer, createServiceStaff, createServiceTerritory, idemKey, type ServiceTerritory } from '../../../test/services-factories'
import { User } from '../auth/user.entity'
import { Message } from '../notifications/index'
import { ActivitySignup, Volunteer, VolunteerActivity } from './volunteer.entity'

/** Tuesday 1 December 2026, 10:00 in Pingcheng. */
const NOW = new Date('2026-12-01T02:00:00Z')
const HOUR = 3600_000
const MINUTE = 60_000

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

async function newVolunteer(name = '志愿者') {
  const user = await createUser(t.db.ds, 'resident', { displayName: name })
  await createApprovedVolunteer(t.db.ds, user, territory.ca.code, territory.s1.code)
  return user
}

async function newActivity(opts: { capacity?: number; startsIn?: number; deadlineIn?: number; kind?: string } = {}) {
  const startsAt = new Date(NOW.getTime() + (opts.startsIn ?? 48 * HOUR))
  return createActivityRow(t.db.ds, {
    communityCode: territory.ca.code,
    streetCode: territory.s1.code,
    startsAt,
    signupDeadline: new Date(NOW.getTime() + (opts.deadlineIn ?? 24 * HOUR)),
    capacity: opts.capacity ?? 10,
    createdBy: staff.csA.id,
    ...(opts.kind ? { kind: opts.kind } : {})
  })
}

const signUp = (user: User, activityId: string, body: Record<string, unknown> = {}, key = idemKey()) =>
  request(t.server).post(`/api/activities/${activityId}/signups`).set('Authorization', auth(user)).set('Idempotency-Key', key).send(body)

describe('registration and approval', () => {
  it('registers a resident as a pending applicant with the phone masked', async () => {
    const user = await createUser(t.db.ds, 'resident')
    const res = await request(t.server)
      .post('/api/volunteers')
      .set('Authorization', auth(user))
      .send({ name: '陈静', phone: '13812345678', communityCode: territory.ca.code, skills: ['普通话', '短视频'] })
    expect(res.status).toBe(201)
    const view = VolunteerViewSchema.parse(res.body)
    expect(view).toMatchObject({ status: 'pending', phone: '138****5678', community: { name: '永和社区' } })
    const again = await request(t.server).post('/api/volunteers').set('Authorization', auth(user)).send({ name: '陈静', phone: '13812345678', communityCode: territory.ca.code })
    expect(again.status).toBe(409)
    expect(again.body.code).toBe('already_registered')
  })

  it('answers GET /api/volunteers/me with 204 and no body before registering, then with the registration', async () => {
    const user = await createUser(t.db.ds, 'resident')
    const before = await request(t.server).get('/api/volunteers/me').set('Authorization', auth(user))
    expect(before.status).toBe(204)
    expect(before.text).toBe('')
    await request(t.server).post('/api/volunteers').set('Authorization', auth(user)).send({ name: '王芳', phone: '13812345679', communityCode: territory.ca.code }).expect(201)
    const after = await request(t.server).get('/api/volunteers/me').set('Authorization', auth(user))
    expect(after.status).toBe(200)
    expect(VolunteerViewSchema.parse(after.body)).toMatchObject({ status: 'pending', phone: '138****5679' })
    const anonymous = await request(t.server).get('/api/volunteers/me')
    expect(anonymous.status).toBe(401)
  })

  it('returns 400 with the path for a phone that is not a mobile number', async () => {
    const user = await createUser(t.db.ds, 'resident')
    const res = await request(t.server).post('/api/volunteers').set('Authorization', auth(user)).send({ name: '陈静', phone: '12345', communityCode: territory.ca.code })
    expect(res.status).toBe(400)
    expect(ProblemSchema.parse(res.body).errors?.[0]?.path).toBe('phone')
  })

  it('lets the staff of that community approve, making the user a volunteer and telling them', async () => {
    const user = await createUser(t.db.ds, 'resident')
    const reg = await request(t.server).post('/api/volunteers').set('Authorization', auth(user)).send({ name: '王芳', phone: '13912345678', communityCode: territory.ca.code })
    const outsider = await request(t.server).post(`/api/volunteers/${reg.body.id}/approve`).set('Authorization', auth(staff.csB))
    expect(outsider.status).toBe(404)
    const pending = await request(t.server).get('/api/volunteers').query({ status: 'pending' }).set('Authorization', auth(staff.csA))
    expect(pending.body.items.map((v: { id: string }) => v.id)).toContain(reg.body.id)
    const res = await request(t.server).post(`/api/volunteers/${reg.body.id}/approve`).set('Authorization', auth(staff.csA))
    expect(res.status).toBe(200)
    expect(res.body.status).toBe('approved')
    expect((await t.db.ds.getRepository(User).findOneByOrFail({ id: user.id })).role).toBe('volunteer')
    expect(await t.db.ds.getRepository(Message).countBy({ userId: user.id, kind: 'service_notice', title: '志愿者注册已通过' })).toBe(1)
    const twice = await request(t.server).post(`/api/volunteers/${reg.body.id}/approve`).set('Authorization', auth(staff.csA))
    expect(twice.status).toBe(409)
  })
})

describe('activities', () => {
  const body = () => ({
    title: '反诈宣传进小区',
    description: '发放宣传册，讲解养老诈骗',
    kind: 'publicity',
    place: '永和社区广场',
    communityCode: territory.ca.code,
    startsAt: new Date(NOW.getTime() + 72 * HOUR).toISOString(),
    endsAt: new Date(NOW.getTime() + 75 * HOUR).toISOString(),
    signupDeadline: new Date(NOW.getTime() + 48 * HOUR).toISOString(),
    capacity: 20
  })

  it('lets community staff create one, with the venue code shown only to staff', async () => {
    const res = await request(t.server).post('/api/activities').set('Authorization', auth(staff.csA)).send(body())
    expect(res.status).toBe(201)
    const view = ActivityViewSchema.parse(res.body)
    expect(view.checkinCode).toMatch(/^\d{6}$/)
    const resident = await createUser(t.db.ds, 'resident')
    const seen = await request(t.server).get(`/api/activities/${view.id}`).set('Authorization', auth(resident))
    expect(seen.body.checkinCode).toBeUndefined()
    const list = await request(t.server).get('/api/activities')
    expect(list.body.items.map((a: { id: string }) => a.id)).toContain(view.id)
  })

  it('returns 404 when staff of another community edit the activity, and changes nothing', async () => {
    const created = await request(t.server).post('/api/activities').set('Authorization', auth(staff.csA)).send(body())
    const res = await request(t.server).patch(`/api/activities/${created.body.id}`).set('Authorization', auth(staff.csB)).send({ title: '改掉' })
    expect(res.status).toBe(404)
    expect((await t.db.ds.getRepository(VolunteerActivity).findOneByOrFail({ id: created.body.id })).title).toBe('反诈宣传进小区')
  })

  it('returns 404 when staff create an activity in a community out of scope', async () => {
    const res = await request(t.server).post('/api/activities').set('Authorization', auth(staff.csB)).send(body())
    expect(res.status).toBe(404)
  })

  it('returns 400 when sign-up would close after the start', async () => {
    const res = await request(t.server)
      .post('/api/activities')
      .set('Authorization', auth(staff.csA))
      .send({ ...body(), signupDeadline: new Date(NOW.getTime() + 80 * HOUR).toISOString() })
    expect(res.status).toBe(400)
    expect(res.body.errors[0].path).toBe('signupDeadline')
  })
})

describe('signing up', () => {
  it('gives an approved volunteer a confirmed seat', async () => {
    const a = await newActivity()
    const v = await newVolunteer()
    const res = await signUp(v, a.id)
    expect(res.status).toBe(201)
    expect(SignupViewSchema.parse(res.body).status).toBe('confirmed')
    expect((await t.db.ds.getRepository(VolunteerActivity).findOneByOrFail({ id: a.id })).signedUp).toBe(1)
  })

  it('returns 403 volunteer_not_approved for a resident without approval, and stores nothing', async () => {
    const a = await newActivity()
    const user = await createUser(t.db.ds, 'resident')
    const res = await signUp(user, a.id)
    expect(res.status).toBe(403)
    expect(res.body.code).toBe('volunteer_not_approved')
    expect(await t.db.ds.getRepository(ActivitySignup).countBy({ activityId: a.id })).toBe(0)
  })

  it('returns 403 for a pending applicant too', async () => {
    const a = await newActivity()
    const user = await createUser(t.db.ds, 'resident')
    await request(t.server).post('/api/volunteers').set('Authorization', auth(user)).send({ name: '赵六', phone: '13712345678', communityCode: territory.ca.code })
    expect((await signUp(user, a.id)).status).toBe(403)
  })

  it('returns 409 signup_closed after the deadline', async () => {
    const a = await newActivity({ deadlineIn: HOUR })
    const v = await newVolunteer()
    t.setNow(new Date(NOW.getTime() + 2 * HOUR))
    const res = await signUp(v, a.id)
    expect(res.status).toBe(409)
    expect(res.body.code).toBe('signup_closed')
    expect(await countSignups(t.db.ds, a.id, 'confirmed')).toBe(0)
  })

  it('returns 409 already_signed_up the second time, holding one seat', async () => {
    const a = await newActivity()
    const v = await newVolunteer()
    await signUp(v, a.id)
    const res = await signUp(v, a.id)
    expect(res.status).toBe(409)
    expect(res.body.code).toBe('already_signed_up')
    expect((await t.db.ds.getRepository(VolunteerActivity).findOneByOrFail({ id: a.id })).signedUp).toBe(1)
  })

  it('returns 409 activity_full over capacity, and queues in order when asked', async () => {
    const a = await newActivity({ capacity: 1 })
    const [v1, v2, v3] = [await newVolunteer('甲'), await newVolunteer('乙'), await newVolunteer('丙')]
    expect((await signUp(v1, a.id)).status).toBe(201)
    const full = await signUp(v2, a.id)
    expect(full.status).toBe(409)
    expect(full.body.code).toBe('activity_full')
    expect(await t.db.ds.getRepository(ActivitySignup).countBy({ activityId: a.id })).toBe(1)
    const w2 = await signUp(v2, a.id, { joinWaitlist: true })
    const w3 = await signUp(v3, a.id, { joinWaitlist: true })
    expect(w2.status).toBe(201)
    expect(SignupViewSchema.parse(w2.body)).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 })
    expect(w3.body).toMatchObject({ status: 'waitlisted', waitlistPosition: 2 })
    expect((await t.db.ds.getRepository(VolunteerActivity).findOneByOrFail({ id: a.id })).signedUp).toBe(1)
  })

  it('promotes the first on the waiting list when a confirmed volunteer cancels, and tells them', async () => {
    const a = await newActivity({ capacity: 1 })
    const [v1, v2, v3] = [await newVolunteer('甲'), await newVolunteer('乙'), await newVolunteer('丙')]
    await signUp(v1, a.id)
    await signUp(v2, a.id, { joinWaitlist: true })
    await signUp(v3, a.id, { joinWaitlist: true })
    const res = await request(t.server).post(`/api/activities/${a.id}/signups/cancel`).set('Authorization', auth(v1))
    expect(res.status).toBe(200)
    expect(res.body.status).toBe('cancelled')
    const v2Row = await t.db.ds.getRepository(ActivitySignup).findOneByOrFail({ activityId: a.id, userId: v2.id })
    const v3Row = await t.db.ds.getRepository(ActivitySignup).findOneByOrFail({ activityId: a.id, userId: v3.id })
    expect(v2Row.status).toBe('confirmed')
    expect(v3Row.status).toBe('waitlisted')
    expect(await t.db.ds.getRepository(Message).countBy({ userId: v2.id, kind: 'activity_promoted', title: '候补成功' })).toBe(1)
    expect(await t.db.ds.getRepository(Message).countBy({ userId: v3.id, kind: 'activity_promoted', title: '候补成功' })).toBe(0)
    expect((await t.db.ds.getRepository(VolunteerActivity).findOneByOrFail({ id: a.id })).signedUp).toBe(1)
    const mine = await request(t.server).get(`/api/activities/${a.id}`).set('Authorization', auth(v3))
    expect(mine.body.mySignup).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 })
  })

  it('gives the seat back to the pool when nobody waits, and lets the volunteer sign up again', async () => {
    const a = await newActivity({ capacity: 2 })
    const v = await newVolunteer()
    await signUp(v, a.id)
    await request(t.server).post(`/api/activities/${a.id}/signups/cancel`).set('Authorization', auth(v))
    expect((await t.db.ds.getRepository(VolunteerActivity).findOneByOrFail({ id: a.id })).signedUp).toBe(0)
    expect((await signUp(v, a.id)).status).toBe(201)
  })

  it('promotes in order when staff raise the capacity', async () => {
    const a = await newActivity({ capacity: 1 })
    const [v1, v2, v3] = [await newVolunteer('甲'), await newVolunteer('乙'), await newVolunteer('丙')]
    await signUp(v1, a.id)
    await signUp(v2, a.id, { joinWaitlist: true })
    await signUp(v3, a.id, { joinWaitlist: true })
    const res = await request(t.server).patch(`/api/activities/${a.id}`).set('Authorization', auth(staff.csA)).send({ capacity: 2 })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ capacity: 2, signedUp: 2, waitlisted: 1 })
    expect((await t.db.ds.getRepository(ActivitySignup).findOneByOrFail({ activityId: a.id, userId: v2.id })).status).toBe('confirmed')
    const lower = await request(t.server).patch(`/api/activities/${a.id}`).set('Authorization', auth(staff.csA)).send({ capacity: 1 })
    expect(lower.status).toBe(409)
    expect(lower.body.code).toBe('capacity_below_signups')
  })
})

describe('check-in, check-out and hours', () => {
  it('refuses a wrong code with 400 and a code outside the window with 409', async () => {
    const a = await newActivity({ startsIn: 4 * HOUR, deadlineIn: 2 * HOUR })
    const v = await newVolunteer()
    await signUp(v, a.id)
    const wrong = await request(t.server).post(`/api/activities/${a.id}/checkin`).set('Authorization', auth(v)).send({ code: '000000' })
    expect(wrong.status).toBe(400)
    expect(wrong.body.code).toBe('invalid_checkin_code')
    const early = await request(t.server).post(`/api/activities/${a.id}/checkin`).set('Authorization', auth(v)).send({ code: a.checkinCode })
    expect(early.status).toBe(409)
    expect(early.body.code).toBe('checkin_window_closed')
    t.setNow(new Date(a.endsAt.getTime() + MINUTE))
    const late = await request(t.server).post(`/api/activities/${a.id}/checkin`).set('Authorization', auth(v)).send({ code: a.checkinCode })
    expect(late.status).toBe(409)
    expect(late.body.code).toBe('checkin_window_closed')
    expect((await t.db.ds.getRepository(ActivitySignup).findOneByOrFail({ activityId: a.id, userId: v.id })).checkinAt).toBeNull()
  })

  it('returns 409 not_signed_up to a volunteer without a seat', async () => {
    const a = await newActivity({ startsIn: 4 * HOUR, deadlineIn: 2 * HOUR })
    const v = await newVolunteer()
    t.setNow(new Date(a.startsAt.getTime()))
    const res = await request(t.server).post(`/api/activities/${a.id}/checkin`).set('Authorization', auth(v)).send({ code: a.checkinCode })
    expect(res.status).toBe(409)
    expect(res.body.code).toBe('not_signed_up')
  })

  it('credits the time between check-in and check-out within the activity, once', async () => {
    const a = await newActivity({ startsIn: 4 * HOUR, deadlineIn: 2 * HOUR, kind: 'publicity' })
    const v = await newVolunteer('孙悟空')
    await signUp(v, a.id)
    t.setNow(new Date(a.startsAt.getTime() - 20 * MINUTE))
    const checkin = await request(t.server).post(`/api/activities/${a.id}/checkin`).set('Authorization', auth(v)).send({ code: a.checkinCode })
    expect(checkin.status).toBe(200)
    const twice = await request(t.server).post(`/api/activities/${a.id}/checkin`).set('Authorization', auth(v)).send({ code: a.checkinCode })
    expect(twice.status).toBe(409)
    expect(twice.body.code).toBe('already_checked_in')
    t.setNow(new Date(a.endsAt.getTime() + 10 * MINUTE))
    const checkout = await request(t.server).post(`/api/activities/${a.id}/checkout`).set('Authorization', auth(v)).send({ code: a.checkinCode })
    expect(checkout.status).toBe(200)
    expect(checkout.body.hours).toBe(2)
    const record = await request(t.server).get('/api/volunteers/me/record').set('Authorization', auth(v))
    const view = VolunteerRecordViewSchema.parse(record.body)
    expect(view.service).toMatchObject({ totalHours: 2, activityCount: 1 })
    expect(view.service.items[0]).toMatchObject({ activityId: a.id, organiser: '永和社区', hours: 2 })
    expect(view.basic.organisation).toBe('平城反诈志愿者联盟')
    const board = await request(t.server).get('/api/volunteers/leaderboard').query({ month: '2026-12' }).set('Authorization', auth(v))
    const leaderboard = LeaderboardViewSchema.parse(board.body)
    expect(leaderboard.items.find((i) => i.isMe)).toMatchObject({ displayName: '孙**', hours: 2 })
  })

  it('refuses check-out before the start (409 checkout_too_early) and leaves the seat open for a real one', async () => {
    const a = await newActivity({ startsIn: 4 * HOUR, deadlineIn: 2 * HOUR })
    const v = await newVolunteer()
    await signUp(v, a.id)
    t.setNow(new Date(a.startsAt.getTime() - 20 * MINUTE))
    await request(t.server).post(`/api/activities/${a.id}/checkin`).set('Authorization', auth(v)).send({ code: a.checkinCode })
    t.setNow(new Date(a.startsAt.getTime() - 5 * MINUTE))
    const early = await request(t.server).post(`/api/activities/${a.id}/checkout`).set('Authorization', auth(v)).send({ code: a.checkinCode })
    expect(early.status).toBe(409)
    expect(early.body.code).toBe('checkout_too_early')
    expect((await t.db.ds.getRepository(ActivitySignup).findOneByOrFail({ activityId: a.id, userId: v.id })).checkoutAt).toBeNull()
    t.setNow(new Date(a.startsAt.getTime() + 90 * MINUTE))
    const real = await request(t.server).post(`/api/activities/${a.id}/checkout`).set('Authorization', auth(v)).send({ code: a.checkinCode })
    expect(real.status).toBe(200)
    expect(real.body.hours).toBe(1.5)
  })

  it('refuses check-out more than 30 minutes after the end', async () => {
    const a = await newActivity({ startsIn: 4 * HOUR, deadlineIn: 2 * HOUR })
    const v = await newVolunteer()
    await signUp(v, a.id)
    t.setNow(new Date(a.startsAt.getTime()))
    await request(t.server).post(`/api/activities/${a.id}/checkin`).set('Authorization', auth(v)).send({ code: a.checkinCode })
    t.setNow(new Date(a.endsAt.getTime() + 31 * MINUTE))
    const res = await request(t.server).post(`/api/activities/${a.id}/checkout`).set('Authorization', auth(v)).send({ code: a.checkinCode })
    expect(res.status).toBe(409)
    expect(res.body.code).toBe('checkin_window_closed')
  })

  it('lists training separately in the record and adds awards', async () => {
    const a = await newActivity({ startsIn: 4 * HOUR, deadlineIn: 2 * HOUR, kind: 'training' })
    const v = await newVolunteer()
    await signUp(v, a.id)
    t.setNow(new Date(a.startsAt.getTime()))
    await request(t.server).post(`/api/activities/${a.id}/checkin`).set('Authorization', auth(v)).send({ code: a.checkinCode })
    t.setNow(new Date(a.startsAt.getTime() + 90 * MINUTE))
    await request(t.server).post(`/api/activities/${a.id}/checkout`).set('Authorization', auth(v)).send({ code: a.checkinCode })
    const volunteer = await t.db.ds.getRepository(Volunteer).findOneByOrFail({ userId: v.id })
    const award = await request(t.server)
      .post(`/api/volunteers/${volunteer.id}/awards`)
      .set('Authorization', auth(staff.csA))
      .send({ title: '优秀反诈志愿者', issuer: '水泊寺街道', awardedAt: NOW.toISOString() })
    expect(award.status).toBe(201)
    const record = VolunteerRecordViewSchema.parse((await request(t.server).get('/api/volunteers/me/record').set('Authorization', auth(v))).body)
    expect(record.training).toMatchObject({ totalHours: 1.5 })
    expect(record.service.items).toHaveLength(0)
    expect(record.awards.items[0]).toMatchObject({ title: '优秀反诈志愿者' })
  })
})

describe('anti-fraud alerts', () => {
  it('are published by staff and read by anyone, newest first', async () => {
    const res = await request(t.server)
      .post('/api/anti-fraud/alerts')
      .set('Authorization', auth(staff.antiFraud))
      .send({ title: '警惕冒充客服退款诈骗', body: '凡是要求您提供验证码的“客服”都是骗子。', level: 'urgent' })
    expect(res.status).toBe(201)
    const resident = await createUser(t.db.ds, 'resident')
    const denied = await request(t.server).post('/api/anti-fraud/alerts').set('Authorization', auth(resident)).send({ title: 'x', body: 'y' })
    expect(denied.status).toBe(403)
    const feed = await request(t.server).get('/api/anti-fraud/alerts')
    expect(feed.status).toBe(200)
    expect(AlertViewSchema.parse(feed.body.items[0])).toMatchObject({ title: '警惕冒充客服退款诈骗', level: 'urgent' })
  })
})
