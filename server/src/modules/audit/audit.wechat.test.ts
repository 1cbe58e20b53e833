import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FAKE_WECHAT_APP, fakeWeChatConfig } from '../../../test/auth-factories'
import { createTestContext, type TestContext } from '../../../test/test-app'
import { startFakeWeChatServer, type FakeWeChatServer } from '../wechat/index'
import { AuditEvent } from './audit.entity'

/* docs/audit.md: a WeChat sign-in, accepted or refused, leaves its row (never the code). */
let fake: FakeWeChatServer
let t: TestContext
beforeAll(async () => {
  fake = await startFakeWeChatServer({ ...FAKE_WECHAT_APP })
  t = await createTestContext({ wechat: fakeWeChatConfig(fake.url, 400) })
})
afterAll(async () => {
  await t.close()
  await fake.close()
})

const lastRow = async () => (await t.deps.ds.getRepository(AuditEvent).find({ order: { seq: 'DESC' }, take: 1 }))[0]

describe('WeChat sign-in in the audit trail', () => {
  it('records a success with the account as actor, and a refused code without the code', async () => {
    const ok = await request(t.server).post('/api/auth/wechat').send({ code: 'ok-audit' })
    expect(ok.status).toBe(200)
    expect(await lastRow()).toMatchObject({ action: 'auth.wechat_sign_in', objectType: 'user', actorRole: 'resident', detail: '{"method":"wechat_mini"}' })
    const bad = await request(t.server).post('/api/auth/wechat').send({ code: 'invalid-audit' })
    expect(bad.status).toBe(401)
    const row = await lastRow()
    expect(row).toMatchObject({ action: 'auth.sign_in_failed', actorId: null })
    expect(JSON.parse(row?.detail ?? '{}')).toEqual({ method: 'wechat_mini', username: null, reason: 'invalid_code' })
    expect(row?.detail).not.toMatch(/invalid-audit/)
  })
})
