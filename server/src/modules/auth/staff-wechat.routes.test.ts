import { AuthSessionViewSchema, MeViewSchema, MetaViewSchema, POLICY_VERSION, ProblemSchema } from '@palm/shared'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createStaffWithPassword, fakeWeChatConfig, FAKE_WECHAT_APP, nextIp } from '../../../test/auth-factories'
import { bearer, createUser } from '../../../test/factories'
import { createTestContext, type TestContext } from '../../../test/test-app'
import { startFakeWeChatServer, type FakeWeChatServer } from '../wechat/index'
import { User } from './user.entity'

/*
 * The production staff side of sign-in (docs/accounts-and-duty.md): GET /api/meta in demo and
 * production mode, staff WeChat binding through the fake WeChat server (one-tap sign-in after),
 * and the persona route's absence in production.
 */

let fake: FakeWeChatServer
let t: TestContext
const PASSWORD = 'Bind#Wechat-2024'

beforeAll(async () => {
  fake = await startFakeWeChatServer({ ...FAKE_WECHAT_APP })
  t = await createTestContext({ wechat: fakeWeChatConfig(fake.url, 1000), trustProxy: true })
})
afterAll(async () => {
  await t.close()
  await fake.close()
})

const post = (path: string, body: unknown, auth?: string) => {
  const req = request(t.server).post(path).set('X-Forwarded-For', nextIp())
  return (auth ? req.set('Authorization', auth) : req).send(body as object)
}
const userRow = (id: string) => t.db.ds.getRepository(User).findOneByOrFail({ id })

function problem(res: request.Response, status: number, code: string) {
  expect(res.status).toBe(status)
  expect(res.headers['content-type']).toMatch(/application\/problem\+json/)
  expect(ProblemSchema.parse(res.body).code).toBe(code)
}

describe('GET /api/meta', () => {
  it('tells a demo client it is a demo, with the persona sign-in, without sign-in', async () => {
    const res = await request(t.server).get('/api/meta')
    expect(res.status).toBe(200)
    expect(MetaViewSchema.parse(res.body)).toEqual({
      demoMode: true,
      signIn: ['wechat_mini', 'wechat_web', 'staff_password', 'demo'],
      wechatWebAppId: FAKE_WECHAT_APP.webAppId,
      policyVersion: POLICY_VERSION
    })
  })

  it('in production says demoMode false, offers no persona sign-in, and the persona route is 404', async () => {
    const prod = await createTestContext({ env: 'production', demoMode: false, wechat: fakeWeChatConfig(fake.url) })
    try {
      const meta = MetaViewSchema.parse((await request(prod.server).get('/api/meta')).body)
      expect(meta).toMatchObject({ demoMode: false, signIn: ['wechat_mini', 'wechat_web', 'staff_password'] })
      const before = await prod.db.ds.getRepository(User).count()
      problem(await request(prod.server).post('/api/auth/demo').send({ persona: 'district_admin' }), 404, 'not_found')
      expect(await prod.db.ds.getRepository(User).count()).toBe(before)
    } finally {
      await prod.close()
    }
  })
})

describe('staff WeChat binding', () => {
  it('binds, then signs the staff member in with one tap, then unbinds', async () => {
    const worker = await createStaffWithPassword(t.db.ds, 'grid_worker', { username: 'tap.worker', password: PASSWORD, gridCode: 'G-T', communityCode: 'C-T', streetCode: 'S-T' })
    const session = AuthSessionViewSchema.parse((await post('/api/auth/staff', { username: 'tap.worker', password: PASSWORD })).body)
    expect(session.user.wechatBound).toBe(false)
    const auth = `Bearer ${session.accessToken}`
    const bound = await post('/api/me/wechat', { code: 'staff-tap' }, auth)
    expect(bound.status).toBe(200)
    expect(MeViewSchema.parse(bound.body)).toMatchObject({ id: worker.id, wechatBound: true })
    expect(JSON.stringify(bound.body)).not.toMatch(/openid/)
    expect((await userRow(worker.id)).openidSource).toBe('mini')

    const tap = await post('/api/auth/wechat', { code: 'staff-tap' })
    expect(tap.status).toBe(200)
    expect(AuthSessionViewSchema.parse(tap.body).user).toMatchObject({ id: worker.id, role: 'grid_worker', username: 'tap.worker' })

    const unbound = await request(t.server).delete('/api/me/wechat').set('Authorization', auth)
    expect(MeViewSchema.parse(unbound.body).wechatBound).toBe(false)
    expect((await userRow(worker.id)).openid).toBeNull()
    // The same WeChat now signs in as a new resident, not as the staff member.
    expect(AuthSessionViewSchema.parse((await post('/api/auth/wechat', { code: 'staff-tap' })).body).user.role).toBe('resident')
  })

  it('answers 409 wechat_already_bound for a WeChat account that is a resident’s, binding nothing', async () => {
    const resident = AuthSessionViewSchema.parse((await post('/api/auth/wechat', { code: 'resident-owned' })).body).user
    const staff = await createStaffWithPassword(t.db.ds, 'community_staff', { username: 'late.binder', password: PASSWORD, communityCode: 'C-T' })
    problem(await post('/api/me/wechat', { code: 'resident-owned' }, bearer(t.deps.config, staff)), 409, 'wechat_already_bound')
    expect((await userRow(staff.id)).openid).toBeNull()
    expect((await userRow(resident.id)).role).toBe('resident')
  })

  it('refuses residents (403), accounts with an authenticator (403), and bad codes (401 invalid_code)', async () => {
    const resident = await createUser(t.db.ds, 'resident')
    problem(await post('/api/me/wechat', { code: 'ok-res' }, bearer(t.deps.config, resident)), 403, 'forbidden')
    const admin = await createStaffWithPassword(t.db.ds, 'district_admin', { username: 'totp.admin', password: PASSWORD, totp: true })
    problem(await post('/api/me/wechat', { code: 'admin-phone' }, bearer(t.deps.config, admin)), 403, 'forbidden')
    expect((await userRow(admin.id)).openid).toBeNull()
    const staff = await createStaffWithPassword(t.db.ds, 'street_admin', { username: 'bad.code', password: PASSWORD, streetCode: 'S-T' })
    problem(await post('/api/me/wechat', { code: 'invalid-x' }, bearer(t.deps.config, staff)), 401, 'invalid_code')
    problem(await post('/api/me/wechat', {}, bearer(t.deps.config, staff)), 400, 'validation_failed')
    problem(await post('/api/me/wechat', { code: 'x' }), 401, 'unauthenticated')
    expect((await userRow(staff.id)).openid).toBeNull()
  })

  it('refuses one-tap sign-in to an account that later got an authenticator (totp_required)', async () => {
    const staff = await createStaffWithPassword(t.db.ds, 'community_staff', { username: 'later.totp', password: PASSWORD, communityCode: 'C-T' })
    expect((await post('/api/me/wechat', { code: 'later-totp' }, bearer(t.deps.config, staff))).status).toBe(200)
    await t.db.ds.getRepository(User).update({ id: staff.id }, { totpSecret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' })
    problem(await post('/api/auth/wechat', { code: 'later-totp' }), 401, 'totp_required')
  })
})
