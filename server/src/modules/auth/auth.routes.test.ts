import jwt from 'jsonwebtoken'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AuthSessionViewSchema, MeViewSchema, ProblemSchema } from '@palm/shared'
import { createTestContext, type TestContext } from '../../../test/test-app'
import { createUser } from '../../../test/factories'
import { fakeWeChatConfig, FAKE_WECHAT_APP, nextIp } from '../../../test/auth-factories'
import { startFakeWeChatServer, type FakeWeChatServer } from '../wechat/index'
import { RefreshToken } from './refresh-token.entity'
import { User } from './user.entity'

let fake: FakeWeChatServer
let t: TestContext

beforeAll(async () => {
  fake = await startFakeWeChatServer({ ...FAKE_WECHAT_APP, slowMs: 1500 })
  t = await createTestContext({ wechat: fakeWeChatConfig(fake.url, 400), trustProxy: true })
})
afterAll(async () => {
  await t.close()
  await fake.close()
})

const post = (path: string, body: unknown) =>
  request(t.server)
    .post(path)
    .set('X-Forwarded-For', nextIp())
    .send(body as object)
const me = (authorization: string) => request(t.server).get('/api/me').set('Authorization', authorization)
const countUsers = () => t.db.ds.getRepository(User).count()

function problemOf(res: request.Response) {
  expect(res.headers['content-type']).toMatch(/application\/problem\+json/)
  return ProblemSchema.parse(res.body)
}

async function demoSession(key: string) {
  const res = await post('/api/auth/demo', { persona: 'resident', key })
  expect(res.status).toBe(200)
  return AuthSessionViewSchema.parse(res.body)
}

describe('POST /api/auth/wechat (mini-program)', () => {
  it('signs a new resident in, creating the account by openid, and reveals no WeChat secret', async () => {
    const res = await post('/api/auth/wechat', { code: 'ok-alice' })
    expect(res.status).toBe(200)
    const session = AuthSessionViewSchema.parse(res.body)
    expect(session).toMatchObject({ expiresIn: 7200, user: { role: 'resident', scope: {} } })
    expect(JSON.stringify(res.body)).not.toMatch(/openid|session_key|unionid/)
    const row = await t.db.ds.getRepository(User).findOneByOrFail({ id: session.user.id })
    expect(row.openid).toMatch(/^o/)
    expect(row.openidSource).toBe('mini')
    expect((await me(`Bearer ${session.accessToken}`)).body.id).toBe(session.user.id)
  })

  it('finds the same account on the next sign-in', async () => {
    const first = await post('/api/auth/wechat', { code: 'ok-same' })
    const second = await post('/api/auth/wechat', { code: 'ok-same' })
    expect(second.body.user.id).toBe(first.body.user.id)
  })

  it('creates exactly one account when first sign-ins race', async () => {
    const before = await countUsers()
    const answers = await Promise.all(Array.from({ length: 6 }, () => post('/api/auth/wechat', { code: 'ok-race' })))
    expect(answers.map((r) => r.status)).toEqual(Array(6).fill(200))
    expect(new Set(answers.map((r) => r.body.user.id)).size).toBe(1)
    expect(await countUsers()).toBe(before + 1)
  })

  it('keeps the unionid when WeChat sends one', async () => {
    const res = await post('/api/auth/wechat', { code: 'unionid-bob' })
    const row = await t.db.ds.getRepository(User).findOneByOrFail({ id: res.body.user.id })
    expect(row.unionid).toMatch(/^u/)
  })

  it('answers 401 invalid_code for 40029 and creates nothing', async () => {
    const before = await countUsers()
    const res = await post('/api/auth/wechat', { code: 'invalid-1' })
    expect(res.status).toBe(401)
    expect(problemOf(res).code).toBe('invalid_code')
    expect(await countUsers()).toBe(before)
  })

  it('answers 429 rate_limited with Retry-After for 45011', async () => {
    const res = await post('/api/auth/wechat', { code: 'ratelimit-1' })
    expect(res.status).toBe(429)
    expect(problemOf(res).code).toBe('rate_limited')
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0)
  })

  it('answers 403 wechat_risky_user for 40226 and creates no account', async () => {
    const before = await countUsers()
    const res = await post('/api/auth/wechat', { code: 'risky-1' })
    expect(res.status).toBe(403)
    expect(problemOf(res).code).toBe('wechat_risky_user')
    expect(await countUsers()).toBe(before)
  })

  it('answers 503 wechat_unavailable with Retry-After when WeChat stays busy (-1)', async () => {
    const before = await countUsers()
    const res = await post('/api/auth/wechat', { code: 'busy-1' })
    expect(res.status).toBe(503)
    expect(problemOf(res).code).toBe('wechat_unavailable')
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0)
    expect(await countUsers()).toBe(before)
  })

  it('answers 503 wechat_unavailable within the timeout when WeChat does not answer', async () => {
    const started = Date.now()
    const res = await post('/api/auth/wechat', { code: 'slow-1' })
    expect(res.status).toBe(503)
    expect(problemOf(res).code).toBe('wechat_unavailable')
    expect(Date.now() - started).toBeLessThan(1400)
  })

  it('answers 401 account_disabled for a disabled resident', async () => {
    const first = await post('/api/auth/wechat', { code: 'ok-disabled' })
    await t.db.ds.getRepository(User).update({ id: first.body.user.id }, { disabled: true })
    const res = await post('/api/auth/wechat', { code: 'ok-disabled' })
    expect(res.status).toBe(401)
    expect(problemOf(res).code).toBe('account_disabled')
  })
})

describe('POST /api/auth/wechat-web (H5 inside WeChat)', () => {
  it('signs in by the official account openid, a different account from the mini-program one', async () => {
    const web = await post('/api/auth/wechat-web', { code: 'ok-carol' })
    expect(web.status).toBe(200)
    const mini = await post('/api/auth/wechat', { code: 'ok-carol' })
    expect(web.body.user.id).not.toBe(mini.body.user.id)
    const row = await t.db.ds.getRepository(User).findOneByOrFail({ id: web.body.user.id })
    expect(row.openidSource).toBe('web')
  })

  it('answers 401 invalid_code for a bad code', async () => {
    const res = await post('/api/auth/wechat-web', { code: 'invalid-web' })
    expect(res.status).toBe(401)
    expect(problemOf(res).code).toBe('invalid_code')
  })
})

describe('POST /api/auth/demo', () => {
  it('is the same resident for the same key and another for another key', async () => {
    const a1 = await demoSession('a')
    const a2 = await demoSession('a')
    const b = await demoSession('b')
    expect(a1.user.id).toBe(a2.user.id)
    expect(b.user.id).not.toBe(a1.user.id)
  })

  it('signs in a volunteer persona', async () => {
    const res = await post('/api/auth/demo', { persona: 'volunteer' })
    expect(res.status).toBe(200)
    expect(res.body.user.role).toBe('volunteer')
  })

  it('signs in as the seeded staff account of the named scope, or the first one without a code', async () => {
    const first = await createUser(t.db.ds, 'grid_worker', { gridCode: 'G-DEMO-1', communityCode: 'C1', streetCode: 'S1' })
    const second = await createUser(t.db.ds, 'grid_worker', { gridCode: 'G-DEMO-2', communityCode: 'C1', streetCode: 'S1' })
    const named = await post('/api/auth/demo', { persona: 'grid_worker', gridCode: 'G-DEMO-2' })
    expect(named.status).toBe(200)
    expect(named.body.user).toMatchObject({ id: second.id, role: 'grid_worker', scope: { gridCode: 'G-DEMO-2' } })
    expect(named.body.expiresIn).toBe(900)
    const any = await post('/api/auth/demo', { persona: 'grid_worker' })
    expect(any.body.user.id).toBe([first.id, second.id].sort()[0])
  })

  it('finds the street admin of the street when the picker also sends a community (street admins have none)', async () => {
    const admin = await createUser(t.db.ds, 'street_admin', { streetCode: 'S-PICK' })
    const res = await post('/api/auth/demo', { persona: 'street_admin', streetCode: 'S-PICK', communityCode: 'C-PICK' })
    expect(res.status).toBe(200)
    expect(res.body.user).toMatchObject({ id: admin.id, role: 'street_admin', scope: { streetCode: 'S-PICK' } })
  })

  it('answers 404 not_found when no account has that scope', async () => {
    const res = await post('/api/auth/demo', { persona: 'street_admin', streetCode: 'NOPE' })
    expect(res.status).toBe(404)
    expect(problemOf(res).code).toBe('not_found')
  })

  it('answers 400 with the path for an unknown persona', async () => {
    const res = await post('/api/auth/demo', { persona: 'mayor' })
    expect(res.status).toBe(400)
    expect(problemOf(res).errors?.[0]?.path).toBe('persona')
  })

  it('does not exist outside demo mode (404)', async () => {
    const prod = await createTestContext({ demoMode: false })
    try {
      const before = await prod.db.ds.getRepository(User).count()
      const res = await request(prod.server).post('/api/auth/demo').send({ persona: 'resident' })
      expect(res.status).toBe(404)
      expect(problemOf(res).code).toBe('not_found')
      expect(await prod.db.ds.getRepository(User).count()).toBe(before)
    } finally {
      await prod.close()
    }
  })
})

describe('access tokens', () => {
  let user: User
  let payload: Record<string, unknown>
  beforeAll(async () => {
    user = await createUser(t.db.ds, 'resident')
    payload = { role: 'resident', typ: 'access' }
  })
  const { secret, issuer, audience } = { secret: 'test-secret-test-secret-test-secret-0123', issuer: 'palm-pingcheng', audience: 'palm-pingcheng-api' }
  const sign = (key: string, opts: jwt.SignOptions) => jwt.sign(payload, key, { subject: user.id, expiresIn: 600, ...opts })

  it('accepts a token signed as sign-in does', async () => {
    expect(t.deps.config.jwt).toMatchObject({ secret, issuer, audience })
    const res = await me(`Bearer ${sign(secret, { algorithm: 'HS256', issuer, audience })}`)
    expect(res.status).toBe(200)
    expect(MeViewSchema.parse(res.body).id).toBe(user.id)
  })

  it.each([
    ['a forged signature', () => sign('another-environments-secret-0123456789', { algorithm: 'HS256', issuer, audience })],
    ['an expired token', () => sign(secret, { algorithm: 'HS256', issuer, audience, expiresIn: -60 })],
    ['a wrong audience', () => sign(secret, { algorithm: 'HS256', issuer, audience: 'palm-admin' })],
    ['a wrong issuer', () => sign(secret, { algorithm: 'HS256', issuer: 'someone-else', audience })],
    ['another algorithm (HS512)', () => sign(secret, { algorithm: 'HS512', issuer, audience })],
    ['alg: none', () => sign('', { algorithm: 'none', issuer, audience })]
  ])('refuses %s with 401 invalid_token', async (_name, token) => {
    const res = await me(`Bearer ${token()}`)
    expect(res.status).toBe(401)
    expect(problemOf(res).code).toBe('invalid_token')
  })

  it('ignores a token in the query string', async () => {
    const token = sign(secret, { algorithm: 'HS256', issuer, audience })
    for (const name of ['token', 'access_token']) {
      const res = await request(t.server).get(`/api/me?${name}=${token}`)
      expect(res.status).toBe(401)
      expect(problemOf(res).code).toBe('unauthenticated')
    }
  })

  it('stops working on the next request once the account is disabled', async () => {
    const session = await demoSession('to-disable')
    expect((await me(`Bearer ${session.accessToken}`)).status).toBe(200)
    await t.db.ds.getRepository(User).update({ id: session.user.id }, { disabled: true })
    expect((await me(`Bearer ${session.accessToken}`)).status).toBe(401)
    const refreshed = await post('/api/auth/refresh', { refreshToken: session.refreshToken })
    expect(refreshed.status).toBe(401)
  })
})

describe('refresh tokens', () => {
  it('rotate: each refresh returns a new pair, and the new refresh token works once', async () => {
    const session = await demoSession('rotate')
    const res = await post('/api/auth/refresh', { refreshToken: session.refreshToken })
    expect(res.status).toBe(200)
    const next = AuthSessionViewSchema.parse(res.body)
    expect(next.refreshToken).not.toBe(session.refreshToken)
    expect(next.user.id).toBe(session.user.id)
    expect((await me(`Bearer ${next.accessToken}`)).status).toBe(200)
  })

  it('are stored only as SHA-256 hashes', async () => {
    const session = await demoSession('hashed')
    const rows = await t.db.ds.getRepository(RefreshToken).findBy({ userId: session.user.id })
    expect(rows).toHaveLength(1)
    expect(rows[0]?.tokenHash).toMatch(/^[0-9a-f]{64}$/)
    expect(rows[0]?.tokenHash).not.toContain(session.refreshToken)
  })

  it('reused: answers 401 and revokes the whole family, so the successor dies too', async () => {
    const session = await demoSession('reuse')
    const rotated = await post('/api/auth/refresh', { refreshToken: session.refreshToken })
    expect(rotated.status).toBe(200)
    const reuse = await post('/api/auth/refresh', { refreshToken: session.refreshToken })
    expect(reuse.status).toBe(401)
    expect(problemOf(reuse).code).toBe('invalid_token')
    const successor = await post('/api/auth/refresh', { refreshToken: rotated.body.refreshToken })
    expect(successor.status).toBe(401)
    const rows = await t.db.ds.getRepository(RefreshToken).findBy({ userId: session.user.id })
    expect(rows.every((r) => r.revokedAt !== null)).toBe(true)
  })

  it('answers 401 for an unknown token', async () => {
    const res = await post('/api/auth/refresh', { refreshToken: 'not-a-token' })
    expect(res.status).toBe(401)
  })

  it('expire: a staff sign-in idle for more than 30 minutes must sign in again', async () => {
    await createUser(t.db.ds, 'street_admin', { streetCode: 'S-IDLE' })
    const res = await post('/api/auth/demo', { persona: 'street_admin', streetCode: 'S-IDLE' })
    try {
      t.setNow(new Date(Date.now() + 31 * 60_000))
      expect((await post('/api/auth/refresh', { refreshToken: res.body.refreshToken })).status).toBe(401)
    } finally {
      t.setNow(null)
    }
  })

  it('expire: a staff sign-in ends after 12 hours even when used all along', async () => {
    await createUser(t.db.ds, 'street_admin', { streetCode: 'S-ABS' })
    let refreshToken = (await post('/api/auth/demo', { persona: 'street_admin', streetCode: 'S-ABS' })).body.refreshToken as string
    const start = Date.now()
    try {
      let minutes = 0
      for (; minutes < 12 * 60; minutes += 25) {
        t.setNow(new Date(start + (minutes + 25) * 60_000))
        const res = await post('/api/auth/refresh', { refreshToken })
        if (res.status !== 200) break
        refreshToken = res.body.refreshToken
      }
      expect(minutes + 25).toBeGreaterThan(12 * 60)
      expect(minutes + 25).toBeLessThanOrEqual(12 * 60 + 25)
    } finally {
      t.setNow(null)
    }
  })

  it('last a day and more for residents', async () => {
    const session = await demoSession('long')
    try {
      t.setNow(new Date(Date.now() + 24 * 3600_000))
      expect((await post('/api/auth/refresh', { refreshToken: session.refreshToken })).status).toBe(200)
    } finally {
      t.setNow(null)
    }
  })
})

describe('POST /api/auth/logout', () => {
  it('ends the sign-in of the given refresh token at once', async () => {
    const session = await demoSession('logout-one')
    const other = await demoSession('logout-one')
    const res = await post('/api/auth/logout', { refreshToken: session.refreshToken })
    expect(res.status).toBe(204)
    expect((await post('/api/auth/refresh', { refreshToken: session.refreshToken })).status).toBe(401)
    expect((await post('/api/auth/refresh', { refreshToken: other.refreshToken })).status).toBe(200)
  })

  it('ends the access token of that sign-in at once, not when it expires', async () => {
    const session = await demoSession('logout-access')
    const other = await demoSession('logout-access')
    expect((await request(t.server).get('/api/me').set('Authorization', `Bearer ${session.accessToken}`)).status).toBe(200)
    await post('/api/auth/logout', { refreshToken: session.refreshToken })
    const after = await request(t.server).get('/api/me').set('Authorization', `Bearer ${session.accessToken}`)
    expect(after.status).toBe(401)
    expect(problemOf(after).code).toBe('invalid_token')
    expect((await request(t.server).get('/api/me').set('Authorization', `Bearer ${other.accessToken}`)).status).toBe(200)
  })

  it('ends every sign-in of the caller when no refresh token is given', async () => {
    const phone = await demoSession('logout-all')
    const tablet = await demoSession('logout-all')
    const res = await request(t.server).post('/api/auth/logout').set('Authorization', `Bearer ${phone.accessToken}`)
    expect(res.status).toBe(204)
    for (const s of [phone, tablet]) expect((await post('/api/auth/refresh', { refreshToken: s.refreshToken })).status).toBe(401)
  })

  it('does not end another user’s sign-in', async () => {
    const victim = await demoSession('victim')
    const attacker = await demoSession('attacker')
    await request(t.server).post('/api/auth/logout').set('Authorization', `Bearer ${attacker.accessToken}`).send({ refreshToken: victim.refreshToken })
    expect((await post('/api/auth/refresh', { refreshToken: victim.refreshToken })).status).toBe(200)
  })

  it('answers 401 with neither a refresh token nor an access token', async () => {
    const res = await request(t.server).post('/api/auth/logout')
    expect(res.status).toBe(401)
  })
})

describe('GET /api/me', () => {
  it('answers 401 unauthenticated without a token', async () => {
    const res = await request(t.server).get('/api/me')
    expect(res.status).toBe(401)
    expect(problemOf(res).code).toBe('unauthenticated')
  })

  it('describes a staff member with their scope', async () => {
    const worker = await createUser(t.db.ds, 'grid_worker', { gridCode: 'G-ME', communityCode: 'C-ME', streetCode: 'S-ME', onDuty: true })
    const res = await post('/api/auth/demo', { persona: 'grid_worker', gridCode: 'G-ME' })
    const body = MeViewSchema.parse((await me(`Bearer ${res.body.accessToken}`)).body)
    expect(body).toMatchObject({ id: worker.id, role: 'grid_worker', onDuty: true, scope: { gridCode: 'G-ME', communityCode: 'C-ME', streetCode: 'S-ME' } })
  })
})

describe('bad input to the sign-in routes', () => {
  it('answers 400 for malformed JSON', async () => {
    const res = await request(t.server).post('/api/auth/wechat').set('Content-Type', 'application/json').send('{"code": ')
    expect(res.status).toBe(400)
    expect(problemOf(res).code).toBe('validation_failed')
  })

  it('answers 415 for a body that is not JSON', async () => {
    const res = await request(t.server).post('/api/auth/staff').set('Content-Type', 'text/plain').send('username=a&password=b')
    expect(res.status).toBe(415)
    expect(problemOf(res).code).toBe('unsupported_media_type')
  })

  it('answers 413 for an oversize body', async () => {
    const res = await post('/api/auth/wechat', { code: 'x'.repeat(t.deps.config.bodyLimitBytes + 10) })
    expect(res.status).toBe(413)
    expect(problemOf(res).code).toBe('payload_too_large')
  })

  it('answers 400 naming an unknown field', async () => {
    const before = await countUsers()
    const res = await post('/api/auth/wechat', { code: 'ok-extra', role: 'district_admin' })
    expect(res.status).toBe(400)
    const issue = problemOf(res).errors?.[0]
    expect(issue?.code).toBe('unrecognized_keys')
    expect(issue?.path).toBe('role')
    expect(issue?.message).toContain('role')
    expect(await countUsers()).toBe(before)
  })

  it.each([
    ['/api/auth/wechat', { code: 123 }, 'code'],
    ['/api/auth/wechat', {}, 'code'],
    ['/api/auth/wechat', { code: '' }, 'code'],
    ['/api/auth/staff', { username: 'a', password: ['x'] }, 'password'],
    ['/api/auth/staff', { username: 'a', password: 'b', totp: '12ab56' }, 'totp'],
    ['/api/auth/refresh', { refreshToken: null }, 'refreshToken'],
    ['/api/auth/demo', { persona: 'resident', key: 7 }, 'key']
  ])('answers 400 for %s %j at path %s', async (path, body, field) => {
    const res = await post(path, body)
    expect(res.status).toBe(400)
    expect(problemOf(res).errors?.map((e) => e.path)).toContain(field)
  })
})
