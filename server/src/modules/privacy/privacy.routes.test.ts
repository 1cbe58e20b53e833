import { AccountDeletionViewSchema, ConsentViewSchema, MeViewSchema, MyDataExportViewSchema, POLICY_VERSION, ProblemSchema } from '@palm/shared'
import request from 'supertest'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { bearer, createUser } from '../../../test/factories'
import { createActivityRow, createApprovedVolunteer, createProviderRow, createSlotRow, createStationRow, idemKey } from '../../../test/services-factories'
import { createTestContext, type TestContext } from '../../../test/test-app'
import { MONDAY_MORNING, createTicketWorld, fileTicket, reportBody, submitTicket, type TicketWorld } from '../../../test/tickets-factories'
import { User } from '../auth/user.entity'
import { newUserRow } from '../auth/users.repo'
import { LegalBooking, LegalSlot } from '../legal/index'
import { Ticket, TicketFollower } from '../tickets/index'
import { ActivitySignup, Volunteer } from '../volunteers/index'
import { ConsentRecord } from '../auth/consent-record.entity'
import { AuditEvent } from '../audit/index'

let t: TestContext
let w: TicketWorld
const auth = (u: Pick<User, 'id' | 'role'>) => bearer(t.deps.config, u)
const DAY = 24 * 3600_000

beforeAll(async () => {
  t = await createTestContext()
  w = await createTicketWorld(t.db.ds)
})
afterAll(async () => {
  await t.close()
})
beforeEach(() => {
  t.setNow(MONDAY_MORNING)
})

const countTickets = () => t.db.ds.getRepository(Ticket).count()
const consentRows = (userId: string) => t.db.ds.getRepository(ConsentRecord).countBy({ userId })
const me = async (u: User) => MeViewSchema.parse((await request(t.server).get('/api/me').set('Authorization', auth(u))).body)

/** A resident who never agreed on the server (a real first sign-in), unlike the test fixtures. */
async function residentWithoutConsent(name: string): Promise<User> {
  const u = await createUser(t.db.ds, 'resident', { displayName: name })
  await t.db.ds.getRepository(ConsentRecord).delete({ userId: u.id })
  return u
}

describe('consent on the server', () => {
  it('refuses a report from a resident with no consent (403 consent_required) and stores nothing', async () => {
    const r = await residentWithoutConsent('周一')
    const before = await countTickets()
    const res = await submitTicket(t, r, reportBody(w))
    expect(res.status).toBe(403)
    expect(ProblemSchema.parse(res.body).code).toBe('consent_required')
    expect(await countTickets()).toBe(before)
    expect((await me(r)).consent).toBeNull()
  })

  it('refuses a consent to another policy version (400 policy_version_mismatch) and records nothing', async () => {
    const r = await residentWithoutConsent('周二')
    const res = await request(t.server).post('/api/me/consent').set('Authorization', auth(r)).send({ policyVersion: '2020-01-01' })
    expect(res.status).toBe(400)
    expect(ProblemSchema.parse(res.body).code).toBe('policy_version_mismatch')
    expect(await consentRows(r.id)).toBe(0)
  })

  it('records the consent with version and time, shows it in /api/me, and lets the resident submit', async () => {
    const r = await residentWithoutConsent('周三')
    const res = await request(t.server).post('/api/me/consent').set('Authorization', auth(r)).send({ policyVersion: POLICY_VERSION, client: 'weapp' })
    expect(res.status).toBe(200)
    expect(ConsentViewSchema.parse(res.body)).toEqual({ policyVersion: POLICY_VERSION, at: MONDAY_MORNING.toISOString() })
    expect((await me(r)).consent).toEqual({ policyVersion: POLICY_VERSION, at: MONDAY_MORNING.toISOString() })
    expect((await submitTicket(t, r, reportBody(w))).status).toBe(201)
  })

  it('refuses new submissions after a withdrawal, of reports, bookings, sign-ups and volunteer registration alike, until consent is given again', async () => {
    const r = await createUser(t.db.ds, 'resident', { displayName: '周四' })
    expect((await request(t.server).delete('/api/me/consent').set('Authorization', auth(r))).status).toBe(204)
    expect((await me(r)).consent).toBeNull()
    const before = await countTickets()
    const refused = [
      await submitTicket(t, r, reportBody(w)),
      await request(t.server).post('/api/legal/bookings').set('Authorization', auth(r)).set('Idempotency-Key', idemKey()).send({ slotId: 'x', topic: 'x', description: 'y' }),
      await request(t.server).post('/api/activities/some-id/signups').set('Authorization', auth(r)).set('Idempotency-Key', idemKey()).send({}),
      await request(t.server).post('/api/volunteers').set('Authorization', auth(r)).send({})
    ]
    for (const res of refused) {
      expect(res.status).toBe(403)
      expect(ProblemSchema.parse(res.body).code).toBe('consent_required')
    }
    expect(await countTickets()).toBe(before)
    await request(t.server).post('/api/me/consent').set('Authorization', auth(r)).send({ policyVersion: POLICY_VERSION })
    expect((await submitTicket(t, r, reportBody(w))).status).toBe(201)
  })
})

describe('demo personas', () => {
  it('a new demo resident has agreed to the current notice and may submit', async () => {
    const signIn = await request(t.server).post('/api/auth/demo').send({ persona: 'resident', key: 'privacy-demo' })
    expect(signIn.status).toBe(200)
    const token = `Bearer ${(signIn.body as { accessToken: string }).accessToken}`
    const meRes = MeViewSchema.parse((await request(t.server).get('/api/me').set('Authorization', token)).body)
    expect(meRes.consent?.policyVersion).toBe(POLICY_VERSION)
    const res = await request(t.server).post('/api/tickets').set('Authorization', token).set('Idempotency-Key', idemKey()).send(reportBody(w))
    expect(res.status).toBe(201)
  })

  it('a seeded demo persona that never decided (the default volunteer) has agreed at sign-in; a withdrawal stays', async () => {
    const seeded = newUserRow('volunteer', '演示志愿者', new Date(), { demoKey: 'volunteer:seeded', synthetic: true })
    await t.db.ds.getRepository(User).insert({ ...seeded })
    const signIn = async () => {
      const res = await request(t.server).post('/api/auth/demo').send({ persona: 'volunteer', key: 'seeded' })
      expect(res.status).toBe(200)
      return `Bearer ${(res.body as { accessToken: string }).accessToken}`
    }
    const me = async (token: string) => MeViewSchema.parse((await request(t.server).get('/api/me').set('Authorization', token)).body)
    const token = await signIn()
    expect((await me(token)).consent?.policyVersion).toBe(POLICY_VERSION)
    expect((await request(t.server).delete('/api/me/consent').set('Authorization', token)).status).toBeLessThan(300)
    expect((await me(await signIn())).consent).toBeNull()
  })
})

describe('export of my data', () => {
  it("holds the resident's own tickets with events, and nothing of another resident", async () => {
    const mine = await fileTicket(t, w.users.R1, reportBody(w, { description: '路灯坏了，李小明反映' }))
    const theirs = await fileTicket(t, w.users.R2, reportBody(w, { description: '王芳的另一份报告' }))
    const res = await request(t.server).get('/api/me/export').set('Authorization', auth(w.users.R1))
    expect(res.status).toBe(200)
    const data = MyDataExportViewSchema.parse(res.body)
    expect(data.account.id).toBe(w.users.R1.id)
    expect(data.consent?.policyVersion).toBe(POLICY_VERSION)
    const ids = data.tickets.map((x) => x.id)
    expect(ids).toContain(mine.id)
    expect(ids).not.toContain(theirs.id)
    expect(JSON.stringify(data)).not.toContain('王芳的另一份报告')
    // the routing reason (worker names, workloads) is for staff
    expect(JSON.stringify(data)).not.toContain('件在办')
    expect((data.tickets.find((x) => x.id === mine.id)?.events as unknown[]).length).toBeGreaterThan(0)
  })

  it('is refused to staff (403): the route has no id, so it can reach only the caller', async () => {
    for (const u of [w.users.CSA, w.users.DA]) {
      const res = await request(t.server).get('/api/me/export').set('Authorization', auth(u))
      expect(res.status).toBe(403)
      expect(ProblemSchema.parse(res.body).code).toBe('forbidden')
    }
  })
})

describe("another resident's data", () => {
  it('cannot be named: an id in the query or body is ignored, export and deletion act on the caller only', async () => {
    const a = await createUser(t.db.ds, 'resident', { displayName: '冯甲' })
    const b = await createUser(t.db.ds, 'resident', { displayName: '冯乙' })
    const exp = await request(t.server).get('/api/me/export').query({ userId: b.id, id: b.id }).set('Authorization', auth(a))
    expect(MyDataExportViewSchema.parse(exp.body).account.id).toBe(a.id)
    const del = await request(t.server).delete('/api/me').query({ userId: b.id }).set('Authorization', auth(a))
    expect(del.status).toBe(200)
    expect((await t.db.ds.getRepository(User).findOneByOrFail({ id: b.id })).displayName).toBe('冯乙')
    expect((await t.db.ds.getRepository(User).findOneByOrFail({ id: a.id })).displayName).toBe('已注销用户')
    const other = await request(t.server).get(`/api/me/export/${b.id}`).set('Authorization', auth(b))
    expect(other.status).toBe(404)
  })
})

describe('account deletion (注销)', () => {
  it('is refused to staff (403) and changes nothing', async () => {
    const res = await request(t.server).delete('/api/me').set('Authorization', auth(w.users.CSA))
    expect(res.status).toBe(403)
    expect((await t.db.ds.getRepository(User).findOneByOrFail({ id: w.users.CSA.id })).displayName).toBe('永和专干')
  })

  it('cancels an open booking (the seat frees) and a sign-up (the waiting list moves), removes follows, keeps tickets with the reporter anonymised, and ends every session', async () => {
    const r = await createUser(t.db.ds, 'resident', { displayName: '钱多多', openid: 'openid-qian' })
    const other = await createUser(t.db.ds, 'resident', { displayName: '孙悟' })
    // a booking on a one-seat slot two days ahead
    const station = await createStationRow(t.db.ds, { communityCode: w.ca.code, streetCode: w.s1.code })
    const provider = await createProviderRow(t.db.ds, station.id)
    const slot = await createSlotRow(t.db.ds, station, provider, new Date(MONDAY_MORNING.getTime() + 2 * DAY), 1)
    const booked = await request(t.server)
      .post('/api/legal/bookings')
      .set('Authorization', auth(r))
      .set('Idempotency-Key', idemKey())
      .send({ slotId: slot.id, topic: '租房纠纷', description: '押金不退' })
    expect(booked.status).toBe(201)
    // a one-place activity: r confirmed, other waiting
    await createApprovedVolunteer(t.db.ds, r, w.ca.code, w.s1.code)
    await createApprovedVolunteer(t.db.ds, other, w.ca.code, w.s1.code)
    const activity = await createActivityRow(t.db.ds, {
      communityCode: w.ca.code,
      streetCode: w.s1.code,
      startsAt: new Date(MONDAY_MORNING.getTime() + 3 * DAY),
      capacity: 1,
      createdBy: w.users.CSA.id
    })
    const signUp = (u: User, body: Record<string, unknown>) =>
      request(t.server).post(`/api/activities/${activity.id}/signups`).set('Authorization', auth(u)).set('Idempotency-Key', idemKey()).send(body)
    expect((await signUp(r, {})).status).toBe(201)
    expect((await signUp(other, { joinWaitlist: true })).status).toBe(201)
    // a report with a phone number, and a follow
    const ticket = await fileTicket(t, r, reportBody(w, { description: '我叫钱多多，电话13912345678，楼道灯坏了' }))
    const followed = await fileTicket(t, w.users.R2, reportBody(w))
    await t.db.ds.getRepository(TicketFollower).insert({ ticketId: followed.id, userId: r.id, createdAt: MONDAY_MORNING })

    const res = await request(t.server).delete('/api/me').set('Authorization', auth(r))
    expect(res.status).toBe(200)
    // two tickets: the report, and the consultation ticket the booking opened
    expect(AccountDeletionViewSchema.parse(res.body)).toMatchObject({ bookingsCancelled: 1, signupsCancelled: 1, followsRemoved: 1, ticketsAnonymised: 2 })

    expect((await t.db.ds.getRepository(LegalSlot).findOneByOrFail({ id: slot.id })).booked).toBe(0)
    expect((await t.db.ds.getRepository(LegalBooking).findOneByOrFail({ userId: r.id })).status).toBe('cancelled')
    expect((await t.db.ds.getRepository(ActivitySignup).findOneByOrFail({ activityId: activity.id, userId: other.id })).status).toBe('confirmed')
    expect(await t.db.ds.getRepository(TicketFollower).countBy({ userId: r.id })).toBe(0)

    const kept = await t.db.ds.getRepository(Ticket).findOneByOrFail({ id: ticket.id })
    expect(kept.description).not.toMatch(/钱多多|13912345678/)
    const account = await t.db.ds.getRepository(User).findOneByOrFail({ id: r.id })
    expect(account).toMatchObject({ displayName: '已注销用户', openid: null, unionid: null, phone: null })
    expect((await t.db.ds.getRepository(Volunteer).findOneByOrFail({ userId: r.id })).phone).toBe('')

    const after = await request(t.server).get('/api/me').set('Authorization', auth(r))
    expect(after.status).toBe(401)
  })
})

describe("the audit trail of residents' rights", () => {
  const trail = (userId: string) => t.db.ds.getRepository(AuditEvent).find({ where: { objectType: 'user', objectId: userId }, order: { seq: 'ASC' } })
  const actions = async (userId: string) => (await trail(userId)).map((r) => r.action)

  it('a consent given and withdrawn each leave one row by the resident; a refused consent (400) none', async () => {
    const r = await residentWithoutConsent('卫一')
    expect((await request(t.server).post('/api/me/consent').set('Authorization', auth(r)).send({ policyVersion: '2020-01-01' })).status).toBe(400)
    expect(await actions(r.id)).toEqual([])
    expect((await request(t.server).post('/api/me/consent').set('Authorization', auth(r)).send({ policyVersion: POLICY_VERSION, client: 'weapp' })).status).toBe(200)
    expect((await request(t.server).delete('/api/me/consent').set('Authorization', auth(r))).status).toBe(204)
    const rows = await trail(r.id)
    expect(rows).toMatchObject([
      { action: 'privacy.consent_given', actorId: r.id, actorRole: 'resident' },
      { action: 'privacy.consent_withdrawn', actorId: r.id, actorRole: 'resident' }
    ])
    expect(JSON.parse(rows[0]?.detail ?? '{}')).toEqual({ policyVersion: POLICY_VERSION, client: 'weapp' })
  })

  it('an export and a deletion each leave one row by the resident; refused to staff (403), none', async () => {
    const r = await createUser(t.db.ds, 'resident', { displayName: '卫二' })
    for (const u of [w.users.CSA, w.users.DA]) {
      expect((await request(t.server).get('/api/me/export').set('Authorization', auth(u))).status).toBe(403)
      expect((await request(t.server).delete('/api/me').set('Authorization', auth(u))).status).toBe(403)
      expect(await actions(u.id)).toEqual([])
    }
    expect((await request(t.server).get('/api/me/export').set('Authorization', auth(r))).status).toBe(200)
    expect((await request(t.server).delete('/api/me').set('Authorization', auth(r))).status).toBe(200)
    expect(await trail(r.id)).toMatchObject([
      { action: 'privacy.export', actorId: r.id },
      { action: 'privacy.account_delete', actorId: r.id }
    ])
  })
})
