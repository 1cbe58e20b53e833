import Router from '@koa/router'
import { AuthSessionViewSchema, ProblemSchema } from '@palm/shared'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FAKE_WECHAT_APP, createStaffWithPassword, fakeWeChatConfig, nextIp } from '../../test/auth-factories'
import { bearer, createUser } from '../../test/factories'
import { forbiddenKeysIn, memoryLogger, tracesIn } from '../../test/security-factories'
import { createProviderRow, createSlotRow, createStationRow, idemKey } from '../../test/services-factories'
import { createTestContext, type TestContext } from '../../test/test-app'
import { MONDAY_MORNING, createTicketWorld, fileTicket, fireOk, reportBody, type TicketWorld } from '../../test/tickets-factories'
import { totpCodeAt } from '../modules/auth/totp'
import { User } from '../modules/auth/user.entity'
import { startFakeWeChatServer, type FakeWeChatServer } from '../modules/wechat/index'

/*
 * docs/security.md API3-1 (responses are allow-lists, never entities) and API8-1 (errors say nothing of
 * the inside), WX-2 (no session_key or openid to the client), PI-7 (no full phone number to staff):
 * a broad sample of responses, from sign-in to lists, must not carry an internal field name nor any
 * user's openid, unionid, password hash, TOTP secret or phone; a route that fails inside answers
 * 500 internal_error with no stack, SQL or message, and the log line it writes has no bound values.
 */
const PASSWORD = 'Hygiene#2026-pass'
const SECRET_PARAM = 'osecret-openid-in-a-failing-query'

let fake: FakeWeChatServer
let t: TestContext
let w: TicketWorld
let logLines: string[]
const staffWithTotp = {} as { admin: User; worker: User }
let withTestRoutes: TestContext['server']

beforeAll(async () => {
  fake = await startFakeWeChatServer({ ...FAKE_WECHAT_APP, slowMs: 1500 })
  const memory = memoryLogger('info')
  logLines = memory.lines
  t = await createTestContext({ wechat: fakeWeChatConfig(fake.url, 1000), trustProxy: true }, { log: memory.log })
  t.setNow(MONDAY_MORNING)
  w = await createTicketWorld(t.db.ds)
  staffWithTotp.admin = await createStaffWithPassword(t.db.ds, 'district_admin', { username: 'hygiene.admin', password: PASSWORD, totp: true })
  staffWithTotp.worker = await createStaffWithPassword(t.db.ds, 'grid_worker', {
    username: 'hygiene.worker',
    password: PASSWORD,
    gridCode: w.g1.code,
    communityCode: w.ca.code,
    streetCode: w.s1.code
  })
  // Every citizen has a full phone number and an openid on their row.
  await t.db.ds.getRepository(User).update({ id: w.users.R1.id }, { phone: '13911112222', openid: 'orow-r1-openid-000000000000', unionid: 'urow-r1-unionid-00000000000' })
  await t.db.ds.getRepository(User).update({ id: w.users.R2.id }, { phone: '13933334444', openid: 'orow-r2-openid-000000000000' })

  // A test-only router behind every module router: routes that fail inside, as a bug would.
  const boom = new Router({ prefix: '/api/__test__' })
  boom.get('/throw', () => {
    throw new Error("SELECT password_hash, openid FROM users WHERE openid = 'osecret' -- at /work/main/server/src/x.ts:12")
  })
  boom.get('/throw-string', () => {
    // A bug may throw anything, not only an Error.
    throw 'a bare string with /work/main/server/src/y.ts'
  })
  boom.get('/db-error', async () => {
    await t.deps.ds.query('SELECT * FROM users WHERE no_such_column = ?', [SECRET_PARAM])
  })
  boom.get('/clash', async () => {
    await createUser(t.deps.ds, 'grid_worker', { username: 'dup-osecret-username' })
    await createUser(t.deps.ds, 'grid_worker', { username: 'dup-osecret-username' })
  })
  t.app.use(boom.routes())
  // Koa composes its middleware when the handler is made, so the test routes need a handler of their own.
  withTestRoutes = t.app.callback()
})
afterAll(async () => {
  await t.close()
  await fake.close()
})

/** Every value on user rows that must never leave the server. */
async function secretValues(): Promise<string[]> {
  const users = await t.db.ds.getRepository(User).find()
  return users.flatMap((u) => [u.openid, u.unionid, u.passwordHash, u.totpSecret, u.phone].filter((v): v is string => typeof v === 'string' && v.length >= 6))
}

/** Asserts a JSON response carries no internal field name and no secret value. */
async function expectClean(label: string, res: request.Response): Promise<void> {
  expect(res.status, `${label}: ${JSON.stringify(res.body)}`).toBeLessThan(500)
  const text = res.type === 'text/csv' ? res.text : JSON.stringify(res.body)
  expect(forbiddenKeysIn(res.type === 'text/csv' ? {} : res.body), label).toEqual([])
  expect(text, label).not.toMatch(/password_?hash|totp_?secret|session_?key|"openid"|"unionid"/i)
  expect(tracesIn(text, await secretValues()), label).toEqual([])
}

const get = (user: Pick<User, 'id' | 'role'> | null, path: string) => {
  const req = request(t.server).get(path)
  return user ? req.set('Authorization', bearer(t.deps.config, user)) : req
}

describe('sign-in responses carry tokens and the masked profile only (WX-2)', () => {
  it('WeChat mini-program and H5 sign-in, with a unionid', async () => {
    for (const path of ['/api/auth/wechat', '/api/auth/wechat-web']) {
      const res = await request(t.server).post(path).set('X-Forwarded-For', nextIp()).send({ code: 'unionid-hygiene' })
      expect(res.status, path).toBe(200)
      const session = AuthSessionViewSchema.parse(res.body)
      expect(Object.keys(res.body as object).sort()).toEqual(['accessToken', 'expiresIn', 'refreshToken', 'user'])
      const row = await t.db.ds.getRepository(User).findOneByOrFail({ id: session.user.id })
      expect(row.openid, path).toBeTruthy()
      await expectClean(path, res)
      const refreshed = await request(t.server).post('/api/auth/refresh').send({ refreshToken: session.refreshToken })
      expect(refreshed.status).toBe(200)
      await expectClean(`${path} → refresh`, refreshed)
    }
  })

  it('staff sign-in with password, and with password and TOTP', async () => {
    const worker = await request(t.server).post('/api/auth/staff').set('X-Forwarded-For', nextIp()).send({ username: 'hygiene.worker', password: PASSWORD })
    expect(worker.status).toBe(200)
    await expectClean('staff sign-in', worker)
    const secret = (await t.db.ds.getRepository(User).findOneByOrFail({ id: staffWithTotp.admin.id })).totpSecret ?? ''
    const admin = await request(t.server)
      .post('/api/auth/staff')
      .set('X-Forwarded-For', nextIp())
      .send({ username: 'hygiene.admin', password: PASSWORD, totp: totpCodeAt(secret, t.deps.now()) })
    expect(admin.status).toBe(200)
    expect(admin.body.user.totpEnabled).toBe(true)
    await expectClean('staff sign-in with TOTP', admin)
  })

  it('demo sign-in of every persona', async () => {
    for (const persona of ['resident', 'volunteer', 'grid_worker', 'community_staff', 'street_admin', 'district_admin', 'department_staff']) {
      const res = await request(t.server).post('/api/auth/demo').send({ persona, key: 'hygiene' })
      expect(res.status, persona).toBe(200)
      await expectClean(`demo ${persona}`, res)
    }
  })

  it('GET /api/me for every role', async () => {
    for (const [name, user] of Object.entries({ ...w.users, ...staffWithTotp })) await expectClean(`me ${name}`, await get(user, '/api/me'))
  })
})

describe('tickets, services and lists carry no internal field (API3-1)', () => {
  it('ticket views, inboxes, nearby and messages, for residents and staff', async () => {
    const report = await fileTicket(t, w.users.R1, reportBody(w, { allowPublication: true }))
    const tip = await fileTicket(t, w.users.R2, { kind: 'fraud_tip', category: 'telecom_fraud', description: '冒充客服', location: w.g1.center, anonymous: true, details: { phone: '13800138000' } })
    const worker = [w.users.W1, w.users.W1b].find((u) => u.id === report.assignee?.id) ?? w.users.W1
    await fireOk(t, worker, report.id, { event: 'accept' })
    await fireOk(t, worker, report.id, { event: 'reply', note: '已安排清运' })
    const follow = await request(t.server).post(`/api/tickets/${report.id}/follow`).set('Authorization', bearer(t.deps.config, w.users.R3))
    await expectClean('follow', follow)
    const reads: Array<[string, Pick<User, 'id' | 'role'> | null, string]> = [
      ['report as reporter', w.users.R1, `/api/tickets/${report.id}`],
      ['report as follower', w.users.R3, `/api/tickets/${report.id}`],
      ['report as worker', worker, `/api/tickets/${report.id}`],
      ['report as district', w.users.DA, `/api/tickets/${report.id}`],
      ['tip as anti-fraud centre', w.users.DEPF, `/api/tickets/${tip.id}`],
      ['mine', w.users.R1, '/api/tickets?view=mine&state=all&limit=50'],
      ['inbox worker', worker, '/api/tickets?state=all&limit=50'],
      ['inbox community', w.users.CSA, '/api/tickets?state=all&limit=50'],
      ['inbox district', w.users.DA, '/api/tickets?state=all&limit=50'],
      ['nearby', w.users.R2, `/api/tickets/nearby?lat=${w.g1.center.lat}&lng=${w.g1.center.lng}&category=sanitation`],
      ['messages resident', w.users.R1, '/api/messages?limit=50'],
      ['messages worker', worker, '/api/messages?limit=50'],
      ['subscriptions', w.users.R1, '/api/messages/subscriptions'],
      ['stats', w.users.DA, '/api/stats?level=district'],
      ['routing rules', w.users.DA, '/api/routing/rules'],
      ['categories', null, '/api/tickets/categories'],
      ['public board', null, '/api/public/tickets']
    ]
    for (const [label, user, path] of reads) await expectClean(label, await get(user, path))
    const explained = await request(t.server).post('/api/routing/explain').set('Authorization', bearer(t.deps.config, w.users.CSA)).send({ location: w.g1.center, category: 'sanitation' })
    await expectClean('explain', explained)
  })

  it('legal bookings, volunteers, activities, hazards and testing points', async () => {
    const station = await createStationRow(t.db.ds, { communityCode: w.ca.code, streetCode: w.s1.code })
    const provider = await createProviderRow(t.db.ds, station.id)
    const slot = await createSlotRow(t.db.ds, station, provider, new Date(MONDAY_MORNING.getTime() + 2 * 86_400_000), 3)
    const booking = await request(t.server)
      .post('/api/legal/bookings')
      .set('Authorization', bearer(t.deps.config, w.users.R1))
      .set('Idempotency-Key', idemKey())
      .send({ slotId: slot.id, topic: '劳动争议', description: '拖欠工资' })
    expect(booking.status).toBe(201)
    await expectClean('booking', booking)
    const registration = await request(t.server).post('/api/volunteers').set('Authorization', bearer(t.deps.config, w.users.R2)).send({ name: '王芳', phone: '13955556666', communityCode: w.ca.code })
    await expectClean('volunteer registration', registration)
    const hazard = await request(t.server).post('/api/hazards').set('Authorization', bearer(t.deps.config, w.users.W1)).send({ place: '3号楼', kind: 'fire', riskLevel: 'high' })
    await expectClean('hazard', hazard)
    const reads: Array<[string, Pick<User, 'id' | 'role'> | null, string]> = [
      ['booking as resident', w.users.R1, `/api/legal/bookings/${String(booking.body.id)}`],
      ['booking as staff', w.users.CSA, `/api/legal/bookings/${String(booking.body.id)}`],
      ['station bookings', w.users.CSA, `/api/legal/bookings?view=station&stationId=${station.id}`],
      ['stations', null, '/api/legal/stations'],
      ['station', null, `/api/legal/stations/${station.id}`],
      ['slots', null, `/api/legal/slots?stationId=${station.id}`],
      ['volunteers (staff)', w.users.CSA, '/api/volunteers'],
      ['volunteer me', w.users.R2, '/api/volunteers/me'],
      ['leaderboard', null, '/api/volunteers/leaderboard'],
      ['activities', null, '/api/activities'],
      ['alerts', null, '/api/anti-fraud/alerts'],
      ['hazards', w.users.CSA, '/api/hazards'],
      ['hazard CSV', w.users.CSA, '/api/hazards/export.csv'],
      ['testing points', null, '/api/testing-points'],
      ['testing-point requests', w.users.R1, '/api/testing-points/requests'],
      ['territory', null, `/api/territory/communities?streetCode=${w.s1.code}`]
    ]
    for (const [label, user, path] of reads) await expectClean(label, await get(user, path))
    // The volunteer's phone is shown masked to staff, never in full (PI-7).
    const staffList = await get(w.users.CSA, '/api/volunteers')
    expect(JSON.stringify(staffList.body)).not.toContain('13955556666')
    expect(JSON.stringify(staffList.body)).toContain('139****6666')
  })
})

describe('errors say nothing of the inside (API8-1)', () => {
  const PROBLEM_KEYS = ['code', 'detail', 'instance', 'requestId', 'status', 'title', 'type']

  it.each(['/api/__test__/throw', '/api/__test__/throw-string', '/api/__test__/db-error'])('%s → 500 internal_error: no stack, SQL, path or message', async (path) => {
    const res = await request(withTestRoutes).get(path)
    expect(res.status).toBe(500)
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/)
    const problem = ProblemSchema.parse(res.body)
    expect(problem.code).toBe('internal_error')
    expect(problem.requestId).toBe(res.headers['x-request-id'])
    expect(Object.keys(res.body as object).sort()).toEqual(PROBLEM_KEYS)
    expect(res.text).not.toMatch(/SELECT|password_hash|openid|osecret|no_such_column|QueryFailed|SqliteError|ER_|\/work\/|\.ts:\d|\bat \w+ \(/i)
    expect(res.text).not.toContain(SECRET_PARAM)
    expect(res.headers['x-powered-by']).toBeUndefined()
  })

  it('answers a unique clash with 409 conflict, without the clashing value', async () => {
    const res = await request(withTestRoutes).get('/api/__test__/clash')
    expect(res.status).toBe(409)
    expect(ProblemSchema.parse(res.body).code).toBe('conflict')
    expect(res.text).not.toMatch(/osecret|Duplicate|UNIQUE|username/i)
  })

  it('logs the failure with its request id, but not the query’s bound values (LOG-2)', async () => {
    const res = await request(withTestRoutes).get('/api/__test__/db-error')
    const requestId = String(res.headers['x-request-id'])
    const failure = logLines.find((l) => l.includes(requestId) && l.includes('request failed'))
    expect(failure, 'the 500 is logged').toBeDefined()
    expect(failure).toContain('no_such_column')
    expect(logLines.filter((l) => l.includes(SECRET_PARAM))).toEqual([])
  })

  it('logs no token, password or secret of the sign-ins above', async () => {
    const secrets = await secretValues()
    expect(logLines.filter((l) => tracesIn(l, [...secrets, PASSWORD]).length > 0)).toEqual([])
    expect(logLines.filter((l) => /Bearer |eyJhbGciOi/.test(l))).toEqual([])
  })
})
