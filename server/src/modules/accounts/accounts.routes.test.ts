import { AccountListViewSchema, AccountViewSchema, AuthSessionViewSchema, CreatedAccountViewSchema, ProblemSchema } from '@palm/shared'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createStaffWithPassword, nextIp } from '../../../test/auth-factories'
import { bearer, createCommunity, createGrid, createStreet, createUser } from '../../../test/factories'
import { createTestContext, type TestContext } from '../../../test/test-app'
import { StaffGrid } from '../auth/staff-grid.entity'
import { totpCodeAt } from '../auth/totp'
import { User } from '../auth/user.entity'
import { RosterEntry } from '../duty/duty.entity'

/*
 * /api/admin/accounts (docs/accounts-and-duty.md "Accounts"): scope (district all, street its
 * community staff and grid workers, community staff read-only on their grid workers), one-time
 * passwords with a forced change, disable taking effect at once, and every bad input refused with
 * nothing changed.
 */

let t: TestContext
const PASSWORD = 'Staff#Pass-2024x'
const fx = {} as {
  s1: string
  s2: string
  c1: string
  c2: string
  c3: string
  g1: string
  g2: string
  g3: string
  g4: string
  da: User
  sa1: User
  sa2: User
  cs1: User
  w1: User
  dep: User
}

beforeAll(async () => {
  t = await createTestContext({ trustProxy: true })
  const ds = t.db.ds
  fx.s1 = (await createStreet(ds, '140213101', '一街道')).code
  fx.s2 = (await createStreet(ds, '140213102', '二街道')).code
  fx.c1 = (await createCommunity(ds, fx.s1, '140213101001', '甲社区')).code
  fx.c2 = (await createCommunity(ds, fx.s1, '140213101002', '乙社区')).code
  fx.c3 = (await createCommunity(ds, fx.s2, '140213102001', '丙社区')).code
  fx.g1 = (await createGrid(ds, { code: '140213101001-01', name: '甲一网格', communityCode: fx.c1, streetCode: fx.s1, lat: 40.1, lng: 113.3 })).code
  fx.g2 = (await createGrid(ds, { code: '140213101001-02', name: '甲二网格', communityCode: fx.c1, streetCode: fx.s1, lat: 40.12, lng: 113.3 })).code
  fx.g3 = (await createGrid(ds, { code: '140213101002-01', name: '乙一网格', communityCode: fx.c2, streetCode: fx.s1, lat: 40.14, lng: 113.3 })).code
  fx.g4 = (await createGrid(ds, { code: '140213102001-01', name: '丙一网格', communityCode: fx.c3, streetCode: fx.s2, lat: 40.16, lng: 113.3 })).code
  fx.da = await createUser(ds, 'district_admin', { username: 'acc.da', displayName: '区管理员' })
  fx.sa1 = await createUser(ds, 'street_admin', { username: 'acc.sa1', streetCode: fx.s1 })
  fx.sa2 = await createUser(ds, 'street_admin', { username: 'acc.sa2', streetCode: fx.s2 })
  fx.cs1 = await createUser(ds, 'community_staff', { username: 'acc.cs1', communityCode: fx.c1, streetCode: fx.s1 })
  fx.w1 = await createStaffWithPassword(ds, 'grid_worker', { username: 'acc.w1', password: PASSWORD, gridCode: fx.g1, communityCode: fx.c1, streetCode: fx.s1 })
  await ds.getRepository(User).update({ id: fx.w1.id }, { phone: '13812345678' })
  fx.dep = await createUser(ds, 'department_staff', { username: 'acc.dep', departmentCode: 'housing' })
})
afterAll(async () => {
  await t.close()
})

const as = (user: User) => bearer(t.deps.config, user)
const api = () => request(t.server)
const countUsers = () => t.db.ds.getRepository(User).count()
const userRow = (id: string) => t.db.ds.getRepository(User).findOneByOrFail({ id })
const signIn = (body: Record<string, unknown>) => api().post('/api/auth/staff').set('X-Forwarded-For', nextIp()).send(body)

function problem(res: request.Response, status: number, code: string) {
  expect(res.status).toBe(status)
  expect(res.headers['content-type']).toMatch(/application\/problem\+json/)
  const p = ProblemSchema.parse(res.body)
  expect(p.code).toBe(code)
  return p
}

async function create(who: User, body: Record<string, unknown>) {
  return api().post('/api/admin/accounts').set('Authorization', as(who)).send(body)
}

describe('who may use the accounts API', () => {
  it('answers 401 without sign-in', async () => {
    problem(await api().get('/api/admin/accounts'), 401, 'unauthenticated')
  })

  it('answers 403 to grid workers, department staff and residents', async () => {
    const resident = await createUser(t.db.ds, 'resident')
    for (const who of [fx.w1, fx.dep, resident]) problem(await api().get('/api/admin/accounts').set('Authorization', as(who)), 403, 'forbidden')
  })

  it('answers 403 to community staff who try to write (they only read)', async () => {
    const before = await countUsers()
    problem(await create(fx.cs1, { role: 'grid_worker', username: 'cs.made', displayName: '某', gridCodes: [fx.g1] }), 403, 'forbidden')
    problem(await api().post(`/api/admin/accounts/${fx.w1.id}/disable`).set('Authorization', as(fx.cs1)), 403, 'forbidden')
    expect(await countUsers()).toBe(before)
  })
})

describe('POST /api/admin/accounts', () => {
  it('creates a grid worker on two grids with a one-time password that must be changed', async () => {
    const res = await create(fx.da, { role: 'grid_worker', username: 'Two.Grids', displayName: '双网格', phone: '13912345678', gridCodes: [fx.g2, fx.g1] })
    expect(res.status).toBe(201)
    const created = CreatedAccountViewSchema.parse(res.body)
    expect(created.account).toMatchObject({
      username: 'two.grids',
      role: 'grid_worker',
      gridCodes: [fx.g2, fx.g1],
      gridNames: ['甲二网格', '甲一网格'],
      communityCode: fx.c1,
      communityName: '甲社区',
      streetCode: fx.s1,
      mustChangePassword: true,
      disabled: false,
      hasTotp: false,
      wechatBound: false
    })
    expect(created.totpUri).toBeUndefined()
    expect(created.oneTimePassword.length).toBeGreaterThanOrEqual(12)
    const row = await userRow(created.account.id)
    expect(row.gridCode).toBe(fx.g2)
    expect(JSON.stringify(res.body)).not.toMatch(/passwordHash|argon2|totpSecret|openid/)
    const grids = await t.db.ds.getRepository(StaffGrid).find({ where: { userId: row.id }, order: { gridCode: 'ASC' } })
    expect(grids.map((g) => [g.gridCode, g.isPrimary])).toEqual([
      [fx.g1, false],
      [fx.g2, true]
    ])
  })

  it('gives a new district admin an authenticator URI, shown once', async () => {
    const res = await create(fx.da, { role: 'district_admin', username: 'second.admin', displayName: '区二' })
    expect(res.status).toBe(201)
    expect(CreatedAccountViewSchema.parse(res.body)).toMatchObject({ totpUri: expect.stringMatching(/^otpauth:\/\/totp\//), account: { hasTotp: true } })
  })

  it('lets a street admin create community staff of its street', async () => {
    const res = await create(fx.sa1, { role: 'community_staff', username: 'sa1.cs', displayName: '乙社区专干', communityCode: fx.c2 })
    expect(res.status).toBe(201)
    expect(res.body.account).toMatchObject({ communityCode: fx.c2, streetCode: fx.s1, streetName: '一街道' })
  })

  it('answers 404 when a street admin creates an account in another street, and creates nothing', async () => {
    const before = await countUsers()
    problem(await create(fx.sa1, { role: 'grid_worker', username: 'other.street', displayName: '外街', gridCodes: [fx.g4] }), 404, 'not_found')
    problem(await create(fx.sa1, { role: 'community_staff', username: 'other.street2', displayName: '外街', communityCode: fx.c3 }), 404, 'not_found')
    expect(await countUsers()).toBe(before)
  })

  it('answers 403 when a street admin creates a role above its own', async () => {
    problem(await create(fx.sa1, { role: 'street_admin', username: 'new.sa', displayName: '街道', streetCode: fx.s1 }), 403, 'forbidden')
  })

  it('answers 409 username_taken for a duplicate username (any case), and creates nothing', async () => {
    const before = await countUsers()
    problem(await create(fx.da, { role: 'community_staff', username: 'ACC.CS1', displayName: '重名', communityCode: fx.c1 }), 409, 'username_taken')
    expect(await countUsers()).toBe(before)
  })

  it('answers 400 with field paths for a bad username, a missing scope and grids of two communities', async () => {
    const before = await countUsers()
    const badName = problem(await create(fx.da, { role: 'community_staff', username: 'x', displayName: '短', communityCode: fx.c1 }), 400, 'validation_failed')
    expect(badName.errors?.map((e) => e.path)).toContain('username')
    const noScope = problem(await create(fx.da, { role: 'grid_worker', username: 'no.scope', displayName: '无网格' }), 400, 'validation_failed')
    expect(noScope.errors?.map((e) => e.path)).toEqual(['gridCodes'])
    const split = problem(await create(fx.da, { role: 'grid_worker', username: 'split.worker', displayName: '跨社区', gridCodes: [fx.g1, fx.g3] }), 400, 'validation_failed')
    expect(split.errors?.map((e) => e.path)).toEqual(['gridCodes.1'])
    const badPhone = problem(await create(fx.da, { role: 'community_staff', username: 'bad.phone', displayName: '号', phone: '123', communityCode: fx.c1 }), 400, 'validation_failed')
    expect(badPhone.errors?.map((e) => e.path)).toEqual(['phone'])
    expect(await countUsers()).toBe(before)
  })

  it('answers 404 for an unknown grid', async () => {
    problem(await create(fx.da, { role: 'grid_worker', username: 'ghost.grid', displayName: '无', gridCodes: ['NOPE-01'] }), 404, 'not_found')
  })
})

describe('GET /api/admin/accounts', () => {
  it('shows a street admin only the community staff and grid workers of its street', async () => {
    const res = await api().get('/api/admin/accounts?limit=50').set('Authorization', as(fx.sa1))
    expect(res.status).toBe(200)
    const page = AccountListViewSchema.parse(res.body)
    expect(page.items.length).toBeGreaterThan(0)
    for (const a of page.items) {
      expect(['community_staff', 'grid_worker']).toContain(a.role)
      expect(a.streetCode).toBe(fx.s1)
    }
    expect(page.items.map((a) => a.id)).not.toContain(fx.sa1.id)
  })

  it('shows community staff the grid workers of their community, phone masked', async () => {
    const page = AccountListViewSchema.parse((await api().get('/api/admin/accounts').set('Authorization', as(fx.cs1))).body)
    expect(page.items.every((a) => a.role === 'grid_worker' && a.communityCode === fx.c1)).toBe(true)
    const w1 = page.items.find((a) => a.id === fx.w1.id)
    expect(w1?.phone).toBe('138****5678')
  })

  it('filters by role, grid, text and disabled, and pages by cursor', async () => {
    const byGrid = AccountListViewSchema.parse((await api().get(`/api/admin/accounts?gridCode=${fx.g1}`).set('Authorization', as(fx.da))).body)
    expect(byGrid.items.map((a) => a.username).sort()).toEqual(['acc.w1', 'two.grids'])
    const byText = AccountListViewSchema.parse((await api().get('/api/admin/accounts?q=双网').set('Authorization', as(fx.da))).body)
    expect(byText.items.map((a) => a.username)).toEqual(['two.grids'])
    const byRole = AccountListViewSchema.parse((await api().get('/api/admin/accounts?role=street_admin&disabled=false').set('Authorization', as(fx.da))).body)
    expect(byRole.items.map((a) => a.username)).toEqual(['acc.sa1', 'acc.sa2'])
    const first = AccountListViewSchema.parse((await api().get('/api/admin/accounts?role=street_admin&limit=1').set('Authorization', as(fx.da))).body)
    expect(first.items.map((a) => a.username)).toEqual(['acc.sa1'])
    const next = AccountListViewSchema.parse(
      (
        await api()
          .get(`/api/admin/accounts?role=street_admin&limit=1&cursor=${first.nextCursor ?? ''}`)
          .set('Authorization', as(fx.da))
      ).body
    )
    expect([next.items.map((a) => a.username), next.nextCursor]).toEqual([['acc.sa2'], null])
  })

  it('answers 404 for an account outside the caller’s scope, 200 inside', async () => {
    problem(await api().get(`/api/admin/accounts/${fx.w1.id}`).set('Authorization', as(fx.sa2)), 404, 'not_found')
    problem(await api().get(`/api/admin/accounts/${fx.sa1.id}`).set('Authorization', as(fx.cs1)), 404, 'not_found')
    const ok = await api().get(`/api/admin/accounts/${fx.w1.id}`).set('Authorization', as(fx.cs1))
    expect(AccountViewSchema.parse(ok.body)).toMatchObject({ id: fx.w1.id, gridCodes: [fx.g1] })
  })
})

describe('PATCH /api/admin/accounts/:id', () => {
  it('moves a grid worker to grids of another community of the street; the next request uses the new scope', async () => {
    const worker = await createStaffWithPassword(t.db.ds, 'grid_worker', { username: 'mover', password: PASSWORD, gridCode: fx.g1, communityCode: fx.c1, streetCode: fx.s1 })
    await api()
      .put(`/api/admin/rosters/${fx.g1}`)
      .set('Authorization', as(fx.cs1))
      .send({ entries: [{ workerId: worker.id, weekday: 1, start: '08:00', end: '12:00' }] })
    expect(await t.db.ds.getRepository(RosterEntry).countBy({ userId: worker.id })).toBe(1)
    const res = await api()
      .patch(`/api/admin/accounts/${worker.id}`)
      .set('Authorization', as(fx.sa1))
      .send({ gridCodes: [fx.g3], displayName: '调动者' })
    expect(res.status).toBe(200)
    expect(AccountViewSchema.parse(res.body)).toMatchObject({ gridCodes: [fx.g3], communityCode: fx.c2, displayName: '调动者' })
    const me = await api().get('/api/me').set('Authorization', as(worker))
    expect(me.body.scope).toMatchObject({ gridCode: fx.g3, gridCodes: [fx.g3], communityCode: fx.c2 })
    expect(await t.db.ds.getRepository(RosterEntry).countBy({ userId: worker.id })).toBe(0)
  })

  it('answers 404 when moving an account to another street, and changes nothing', async () => {
    problem(
      await api()
        .patch(`/api/admin/accounts/${fx.w1.id}`)
        .set('Authorization', as(fx.sa1))
        .send({ gridCodes: [fx.g4] }),
      404,
      'not_found'
    )
    problem(await api().patch(`/api/admin/accounts/${fx.w1.id}`).set('Authorization', as(fx.sa2)).send({ displayName: '改名' }), 404, 'not_found')
    expect(await userRow(fx.w1.id)).toMatchObject({ gridCode: fx.g1, communityCode: fx.c1, displayName: fx.w1.displayName })
  })

  it('answers 400 for a scope field the role does not use, and for an empty change', async () => {
    const p = problem(await api().patch(`/api/admin/accounts/${fx.w1.id}`).set('Authorization', as(fx.da)).send({ communityCode: fx.c2 }), 400, 'validation_failed')
    expect(p.errors?.map((e) => e.path)).toEqual(['communityCode'])
    problem(await api().patch(`/api/admin/accounts/${fx.w1.id}`).set('Authorization', as(fx.da)).send({}), 400, 'validation_failed')
    expect((await userRow(fx.w1.id)).communityCode).toBe(fx.c1)
  })
})

describe('disable, enable, reset', () => {
  it('disabling ends the session at once: the old access token gets 401 account_disabled, refresh too', async () => {
    const worker = await createStaffWithPassword(t.db.ds, 'grid_worker', { username: 'to.disable', password: PASSWORD, gridCode: fx.g1, communityCode: fx.c1, streetCode: fx.s1 })
    const session = AuthSessionViewSchema.parse((await signIn({ username: 'to.disable', password: PASSWORD })).body)
    const auth = `Bearer ${session.accessToken}`
    expect((await api().get('/api/tickets?view=inbox').set('Authorization', auth)).status).toBe(200)
    const res = await api().post(`/api/admin/accounts/${worker.id}/disable`).set('Authorization', as(fx.sa1))
    expect(AccountViewSchema.parse(res.body).disabled).toBe(true)
    problem(await api().get('/api/tickets?view=inbox').set('Authorization', auth), 401, 'account_disabled')
    problem(await api().post('/api/auth/refresh').send({ refreshToken: session.refreshToken }), 401, 'invalid_token')
    problem(await signIn({ username: 'to.disable', password: PASSWORD }), 401, 'account_disabled')
    expect(AccountViewSchema.parse((await api().post(`/api/admin/accounts/${worker.id}/enable`).set('Authorization', as(fx.sa1))).body).disabled).toBe(false)
    expect((await signIn({ username: 'to.disable', password: PASSWORD })).status).toBe(200)
  })

  it('refuses an admin acting on their own account (403) and out-of-scope accounts (404)', async () => {
    problem(await api().post(`/api/admin/accounts/${fx.da.id}/disable`).set('Authorization', as(fx.da)), 403, 'forbidden')
    problem(await api().post(`/api/admin/accounts/${fx.w1.id}/disable`).set('Authorization', as(fx.sa2)), 404, 'not_found')
    problem(await api().post(`/api/admin/accounts/${fx.w1.id}/reset-password`).set('Authorization', as(fx.sa2)), 404, 'not_found')
    expect((await userRow(fx.w1.id)).disabled).toBe(false)
  })

  it('a password reset unlocks, answers a one-time password once, and forces a change at sign-in', async () => {
    const worker = await createStaffWithPassword(t.db.ds, 'grid_worker', { username: 'forgetful', password: PASSWORD, gridCode: fx.g1, communityCode: fx.c1, streetCode: fx.s1 })
    for (let i = 0; i < 5; i++) await signIn({ username: 'forgetful', password: 'Wrong#Pass-2024' })
    const locked = await signIn({ username: 'forgetful', password: PASSWORD })
    problem(locked, 403, 'account_locked')
    expect(locked.body).toMatchObject({ minutesLeft: 15, retryAfterSeconds: expect.any(Number), lockedUntil: expect.any(String) })
    expect(locked.headers['retry-after']).toBe(String(locked.body.retryAfterSeconds))
    expect(AccountViewSchema.parse((await api().get(`/api/admin/accounts/${worker.id}`).set('Authorization', as(fx.da))).body).locked).toBe(true)

    const reset = await api().post(`/api/admin/accounts/${worker.id}/reset-password`).set('Authorization', as(fx.sa1))
    expect(reset.status).toBe(200)
    const oneTimePassword = String(reset.body.oneTimePassword)
    problem(await signIn({ username: 'forgetful', password: PASSWORD }), 401, 'invalid_credentials')
    const session = AuthSessionViewSchema.parse((await signIn({ username: 'forgetful', password: oneTimePassword })).body)
    expect(session.user.mustChangePassword).toBe(true)
    const auth = `Bearer ${session.accessToken}`
    problem(await api().get('/api/tickets?view=inbox').set('Authorization', auth), 403, 'password_change_required')
    expect((await api().get('/api/me').set('Authorization', auth)).body.mustChangePassword).toBe(true)
    expect((await api().get('/api/meta').set('Authorization', auth)).status).toBe(200)

    const weak = problem(await api().post('/api/me/password').set('Authorization', auth).send({ currentPassword: oneTimePassword, newPassword: 'password123' }), 400, 'weak_password')
    expect(weak.errors?.map((e) => e.path)).toEqual(['newPassword'])
    expect((await userRow(worker.id)).mustChangePassword).toBe(true)

    const changed = await api().post('/api/me/password').set('Authorization', auth).send({ currentPassword: oneTimePassword, newPassword: 'Brand#New-Pass-77' })
    expect(changed.status).toBe(200)
    const fresh = AuthSessionViewSchema.parse(changed.body)
    expect(fresh.user.mustChangePassword).toBe(false)
    expect((await api().get('/api/tickets?view=inbox').set('Authorization', `Bearer ${fresh.accessToken}`)).status).toBe(200)
  })

  it('a TOTP reset enrols an authenticator that sign-in then requires', async () => {
    const worker = await createStaffWithPassword(t.db.ds, 'community_staff', { username: 'wants.totp', password: PASSWORD, communityCode: fx.c1, streetCode: fx.s1 })
    const res = await api().post(`/api/admin/accounts/${worker.id}/reset-totp`).set('Authorization', as(fx.sa1))
    expect(res.status).toBe(200)
    const uri = String(res.body.totpUri)
    const secret = new URL(uri).searchParams.get('secret') ?? ''
    problem(await signIn({ username: 'wants.totp', password: PASSWORD }), 401, 'totp_required')
    expect((await signIn({ username: 'wants.totp', password: PASSWORD, totp: totpCodeAt(secret, new Date()) })).status).toBe(200)
    expect(AccountViewSchema.parse((await api().get(`/api/admin/accounts/${worker.id}`).set('Authorization', as(fx.sa1))).body).hasTotp).toBe(true)
  })
})
