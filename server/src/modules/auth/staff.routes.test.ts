import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AuthSessionViewSchema, ProblemSchema } from '@palm/shared'
import { createTestContext, type TestContext } from '../../../test/test-app'
import { bearer, createUser } from '../../../test/factories'
import { createStaffWithPassword, nextIp } from '../../../test/auth-factories'
import { LOGIN_ATTEMPTS_PER_MINUTE } from './auth.routes'
import { totpCodeAt } from './totp'
import { User } from './user.entity'

let t: TestContext
beforeAll(async () => {
  t = await createTestContext({ trustProxy: true })
})
afterAll(async () => {
  await t.close()
})

const PASSWORD = 'Gridwork#2024-Tq'
const signIn = (body: Record<string, unknown>, ip = nextIp()) => request(t.server).post('/api/auth/staff').set('X-Forwarded-For', ip).send(body)
const userRow = (id: string) => t.db.ds.getRepository(User).findOneByOrFail({ id })

function problemOf(res: request.Response) {
  expect(res.headers['content-type']).toMatch(/application\/problem\+json/)
  return ProblemSchema.parse(res.body)
}

describe('POST /api/auth/staff', () => {
  it('signs a staff member in with a 15-minute access token and their scope', async () => {
    const worker = await createStaffWithPassword(t.db.ds, 'grid_worker', { username: 'wang.wei', password: PASSWORD, gridCode: 'G1', communityCode: 'C1', streetCode: 'S1' })
    const res = await signIn({ username: 'Wang.Wei', password: PASSWORD })
    expect(res.status).toBe(200)
    const session = AuthSessionViewSchema.parse(res.body)
    expect(session).toMatchObject({ expiresIn: 900, user: { id: worker.id, role: 'grid_worker', username: 'wang.wei', scope: { gridCode: 'G1' } } })
    expect((await userRow(worker.id)).passwordHash).toMatch(/^\$argon2id\$/)
  })

  it('answers an unknown user and a wrong password identically (401 invalid_credentials)', async () => {
    await createStaffWithPassword(t.db.ds, 'community_staff', { username: 'li.na', password: PASSWORD, communityCode: 'C1' })
    const unknown = await signIn({ username: 'nobody', password: PASSWORD })
    const wrong = await signIn({ username: 'li.na', password: 'Wrong#Password-1' })
    for (const res of [unknown, wrong]) expect(res.status).toBe(401)
    const strip = (body: Record<string, unknown>) => ({ ...body, requestId: undefined })
    expect(strip(wrong.body)).toEqual(strip(unknown.body))
    expect(problemOf(wrong).code).toBe('invalid_credentials')
  })

  it('answers 401 account_disabled for a disabled account with the right password', async () => {
    await createStaffWithPassword(t.db.ds, 'street_admin', { username: 'disabled.admin', password: PASSWORD, streetCode: 'S1', disabled: true })
    const res = await signIn({ username: 'disabled.admin', password: PASSWORD })
    expect(res.status).toBe(401)
    expect(problemOf(res).code).toBe('account_disabled')
  })

  it('refuses a resident account, which has no password', async () => {
    await createUser(t.db.ds, 'resident', { username: 'resident.x' })
    const res = await signIn({ username: 'resident.x', password: PASSWORD })
    expect(res.status).toBe(401)
    expect(problemOf(res).code).toBe('invalid_credentials')
  })
})

describe('lockout', () => {
  it('locks after 5 failures: the 6th attempt is refused even with the right password, until 15 minutes pass', async () => {
    const user = await createStaffWithPassword(t.db.ds, 'grid_worker', { username: 'locked.out', password: PASSWORD, gridCode: 'G1' })
    const start = Date.now()
    t.setNow(new Date(start))
    try {
      for (let i = 0; i < 5; i++) expect((await signIn({ username: 'locked.out', password: `Wrong#Pass-${i}x` })).status).toBe(401)
      const locked = await signIn({ username: 'locked.out', password: PASSWORD })
      expect(locked.status).toBe(403)
      expect(problemOf(locked).code).toBe('account_locked')
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(14 * 60)
      expect(Number(locked.headers['retry-after'])).toBeLessThanOrEqual(15 * 60)
      t.setNow(new Date(start + 14 * 60_000))
      expect((await signIn({ username: 'locked.out', password: PASSWORD })).status).toBe(403)
      t.setNow(new Date(start + 15 * 60_000 + 1000))
      expect((await signIn({ username: 'locked.out', password: PASSWORD })).status).toBe(200)
      expect(await userRow(user.id)).toMatchObject({ failedLogins: 0, lockedUntil: null })
    } finally {
      t.setNow(null)
    }
  })

  it('counts failures that arrive at once without losing any', async () => {
    const user = await createStaffWithPassword(t.db.ds, 'grid_worker', { username: 'burst', password: PASSWORD, gridCode: 'G1' })
    await Promise.all(Array.from({ length: 5 }, (_, i) => signIn({ username: 'burst', password: `Wrong#Pass-${i}x` })))
    expect((await userRow(user.id)).lockedUntil).not.toBeNull()
    expect((await signIn({ username: 'burst', password: PASSWORD })).status).toBe(403)
  })

  it('counts only consecutive failures: a success starts the count again', async () => {
    await createStaffWithPassword(t.db.ds, 'grid_worker', { username: 'forgetful', password: PASSWORD, gridCode: 'G1' })
    for (let i = 0; i < 4; i++) await signIn({ username: 'forgetful', password: `Wrong#Pass-${i}x` })
    expect((await signIn({ username: 'forgetful', password: PASSWORD })).status).toBe(200)
    for (let i = 0; i < 4; i++) await signIn({ username: 'forgetful', password: `Wrong#Pass-${i}x` })
    expect((await signIn({ username: 'forgetful', password: PASSWORD })).status).toBe(200)
  })
})

describe('TOTP', () => {
  it('is required for a district admin: missing → totp_required, wrong → invalid_totp, right → 200, reused → totp_reused', async () => {
    const admin = await createStaffWithPassword(t.db.ds, 'district_admin', { username: 'district.admin', password: PASSWORD, totp: true })
    const secret = admin.totpSecret ?? ''
    const now = new Date()
    t.setNow(now)
    try {
      const missing = await signIn({ username: 'district.admin', password: PASSWORD })
      expect(missing.status).toBe(401)
      expect(problemOf(missing).code).toBe('totp_required')
      const code = totpCodeAt(secret, now)
      const wrongCode = code === '000000' ? '111111' : '000000'
      const wrong = await signIn({ username: 'district.admin', password: PASSWORD, totp: wrongCode })
      expect(wrong.status).toBe(401)
      expect(problemOf(wrong).code).toBe('invalid_totp')
      const ok = await signIn({ username: 'district.admin', password: PASSWORD, totp: code })
      expect(ok.status).toBe(200)
      const reused = await signIn({ username: 'district.admin', password: PASSWORD, totp: code })
      expect(reused.status).toBe(401)
      expect(problemOf(reused).code).toBe('totp_reused')
      const later = new Date(now.getTime() + 30_000)
      t.setNow(later)
      expect((await signIn({ username: 'district.admin', password: PASSWORD, totp: totpCodeAt(secret, later) })).status).toBe(200)
    } finally {
      t.setNow(null)
    }
  })

  it('refuses a code from ten minutes ago', async () => {
    const admin = await createStaffWithPassword(t.db.ds, 'district_admin', { username: 'stale.code', password: PASSWORD, totp: true })
    const old = totpCodeAt(admin.totpSecret ?? '', new Date(Date.now() - 10 * 60_000))
    const res = await signIn({ username: 'stale.code', password: PASSWORD, totp: old })
    expect(res.status).toBe(401)
    expect(problemOf(res).code).toBe('invalid_totp')
  })

  it('keeps out a district admin who has not enrolled an authenticator', async () => {
    await createStaffWithPassword(t.db.ds, 'district_admin', { username: 'no.totp', password: PASSWORD })
    const res = await signIn({ username: 'no.totp', password: PASSWORD, totp: '123456' })
    expect(res.status).toBe(401)
    expect(problemOf(res).code).toBe('totp_not_enrolled')
  })

  it('counts wrong codes towards the lockout', async () => {
    const admin = await createStaffWithPassword(t.db.ds, 'district_admin', { username: 'guesser', password: PASSWORD, totp: true })
    const right = totpCodeAt(admin.totpSecret ?? '', new Date())
    const wrong = right === '000000' ? '111111' : '000000'
    for (let i = 0; i < 5; i++) await signIn({ username: 'guesser', password: PASSWORD, totp: wrong })
    const res = await signIn({ username: 'guesser', password: PASSWORD, totp: right })
    expect(res.status).toBe(403)
    expect(problemOf(res).code).toBe('account_locked')
  })
})

describe('per-IP throttle on sign-in', () => {
  it(`answers 429 rate_limited with Retry-After after ${LOGIN_ATTEMPTS_PER_MINUTE} attempts a minute from one address`, async () => {
    const ip = nextIp()
    for (let i = 0; i < LOGIN_ATTEMPTS_PER_MINUTE; i++) expect((await signIn({ username: 'spray', password: `Spray#Pass-${i}` }, ip)).status).toBe(401)
    const res = await signIn({ username: 'spray', password: 'Spray#Pass-x' }, ip)
    expect(res.status).toBe(429)
    expect(problemOf(res).code).toBe('rate_limited')
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0)
    expect((await signIn({ username: 'spray', password: 'Spray#Pass-y' }, nextIp())).status).toBe(401)
  })
})

describe('POST /api/me/password', () => {
  const change = (authorization: string, body: Record<string, unknown>) => request(t.server).post('/api/me/password').set('X-Forwarded-For', nextIp()).set('Authorization', authorization).send(body)

  it.each([
    ['too short', () => 'Ab#45678x'],
    ['too long', () => `Ab#4${'x'.repeat(125)}`],
    ['common', () => 'Password1!'],
    ['common in leetspeak', () => 'P@ssw0rd2024'],
    ['without three kinds of character', () => 'alllowercaseletters'],
    ['containing the username', (username: string) => `${username}#2024X`]
  ])('answers 400 weak_password for a %s password', async (_why, newPassword) => {
    const username = `chen.jing${Math.random().toString(36).slice(2, 6)}`
    const user = await createStaffWithPassword(t.db.ds, 'grid_worker', { username, password: PASSWORD, gridCode: 'G1' })
    const res = await change(bearer(t.deps.config, user), { currentPassword: PASSWORD, newPassword: newPassword(username) })
    expect(res.status).toBe(400)
    const problem = problemOf(res)
    expect(problem.code).toBe('weak_password')
    expect(problem.errors?.[0]?.path).toBe('newPassword')
    expect((await userRow(user.id)).passwordHash).toBe(user.passwordHash)
  })

  it('answers 400 invalid_credentials for a wrong current password', async () => {
    const user = await createStaffWithPassword(t.db.ds, 'grid_worker', { username: 'wrong.current', password: PASSWORD, gridCode: 'G1' })
    const res = await change(bearer(t.deps.config, user), { currentPassword: 'Not#ThePassword1', newPassword: 'Brand#New-Pass9' })
    expect(res.status).toBe(400)
    expect(problemOf(res).code).toBe('invalid_credentials')
  })

  it('sets the new password, ends the old sign-ins and hands back a new one', async () => {
    await createStaffWithPassword(t.db.ds, 'grid_worker', { username: 'rotating', password: PASSWORD, gridCode: 'G1' })
    const old = AuthSessionViewSchema.parse((await signIn({ username: 'rotating', password: PASSWORD })).body)
    const res = await change(`Bearer ${old.accessToken}`, { currentPassword: PASSWORD, newPassword: 'Brand#New-Pass9' })
    expect(res.status).toBe(200)
    const fresh = AuthSessionViewSchema.parse(res.body)
    const refresh = (token: string) => request(t.server).post('/api/auth/refresh').send({ refreshToken: token })
    expect((await refresh(old.refreshToken)).status).toBe(401)
    expect((await refresh(fresh.refreshToken)).status).toBe(200)
    expect((await signIn({ username: 'rotating', password: PASSWORD })).status).toBe(401)
    expect((await signIn({ username: 'rotating', password: 'Brand#New-Pass9' })).status).toBe(200)
  })

  it('answers 403 for a resident, who has no password', async () => {
    const resident = await createUser(t.db.ds, 'resident')
    const res = await change(bearer(t.deps.config, resident), { currentPassword: PASSWORD, newPassword: 'Brand#New-Pass9' })
    expect(res.status).toBe(403)
  })

  it('answers 401 without a token', async () => {
    const res = await request(t.server).post('/api/me/password').send({ currentPassword: PASSWORD, newPassword: 'Brand#New-Pass9' })
    expect(res.status).toBe(401)
  })
})
