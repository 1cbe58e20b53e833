import { createHash } from 'node:crypto'
import { Open311KeyListSchema, ProblemSchema } from '@palm/shared'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bearer } from '../../../test/factories'
import { createTestContext, type TestContext } from '../../../test/test-app'
import { createTicketWorld, type TicketWorld } from '../../../test/tickets-factories'
import { User } from '../auth/user.entity'
import { Open311Key } from './open311.entity'
import { AuditEvent } from '../audit/index'
import { makeKey, postForm } from './open311.test-helpers'

let t: TestContext
let w: TicketWorld

beforeAll(async () => {
  t = await createTestContext()
  w = await createTicketWorld(t.db.ds)
})
afterAll(async () => {
  await t.close()
})

const list = async () => Open311KeyListSchema.parse((await request(t.server).get('/api/admin/open311/keys').set('Authorization', bearer(t.deps.config, w.users.DA))).body).items

describe('Open311 API keys (district admin)', () => {
  it('shows a new key once, stores only its sha256, and lists it by name and prefix without the key', async () => {
    const { key, id } = await makeKey(t, w.users.DA, '市 12345 平台')
    expect(key).toMatch(/^p311_[A-Za-z0-9_-]{43}$/)
    const row = await t.db.ds.getRepository(Open311Key).findOneByOrFail({ id })
    expect(row.keyHash).toBe(createHash('sha256').update(key).digest('hex'))
    const items = await list()
    const item = items.find((k) => k.id === id)
    expect(item).toMatchObject({ name: '市 12345 平台', prefix: key.slice(0, 9), revokedAt: null, requestCount: 0, ticketCount: 0 })
    expect(JSON.stringify(items)).not.toContain(key)
  })

  it('counts the key’s requests and tickets and its last use', async () => {
    const { key, id } = await makeKey(t, w.users.DA, '计数客户端')
    const res = await postForm(t, { api_key: key, service_code: 'sanitation', lat: String(w.g1.center.lat), long: String(w.g1.center.lng), description: '井盖缺失' })
    expect(res.status).toBe(200)
    expect((await list()).find((k) => k.id === id)).toMatchObject({ requestCount: 1, ticketCount: 1, lastUsedAt: expect.any(String) })
  })

  it('revokes a key: later calls are 403, its account is disabled, and revoking again keeps the first time', async () => {
    const { key, id } = await makeKey(t, w.users.DA, '要停用的')
    const admin = bearer(t.deps.config, w.users.DA)
    const first = await request(t.server).post(`/api/admin/open311/keys/${id}/revoke`).set('Authorization', admin)
    expect(first.status).toBe(200)
    const again = await request(t.server).post(`/api/admin/open311/keys/${id}/revoke`).set('Authorization', admin)
    expect(again.body.revokedAt).toBe(first.body.revokedAt)
    const row = await t.db.ds.getRepository(Open311Key).findOneByOrFail({ id })
    expect((await t.db.ds.getRepository(User).findOneByOrFail({ id: row.userId })).disabled).toBe(true)
    expect((await postForm(t, { api_key: key, service_code: 'sanitation', description: 'x', lat: '40.05', long: '113.25' })).status).toBe(403)
  })

  it('answers 404 for revoking a key that does not exist', async () => {
    const res = await request(t.server).post('/api/admin/open311/keys/00000000-0000-4000-8000-000000000000/revoke').set('Authorization', bearer(t.deps.config, w.users.DA))
    expect(res.status).toBe(404)
  })

  it.each(['SA1', 'CSA', 'R1'] as const)('refuses %s (only the district admin manages keys): 403, no key made', async (who) => {
    const before = await t.db.ds.getRepository(Open311Key).count()
    const res = await request(t.server).post('/api/admin/open311/keys').set('Authorization', bearer(t.deps.config, w.users[who])).send({ name: 'x' })
    expect(res.status).toBe(403)
    expect(ProblemSchema.parse(res.body).code).toBe('forbidden')
    expect(await t.db.ds.getRepository(Open311Key).count()).toBe(before)
  })

  it('refuses a key without a name: 400, no key made', async () => {
    const before = await t.db.ds.getRepository(Open311Key).count()
    const res = await request(t.server).post('/api/admin/open311/keys').set('Authorization', bearer(t.deps.config, w.users.DA)).send({ name: ' ' })
    expect(res.status).toBe(400)
    expect(ProblemSchema.parse(res.body).code).toBe('validation_failed')
    expect(await t.db.ds.getRepository(Open311Key).count()).toBe(before)
  })
})

describe('the audit trail of Open311 keys', () => {
  const trail = (keyId: string) => t.db.ds.getRepository(AuditEvent).find({ where: { objectType: 'open311_key', objectId: keyId }, order: { seq: 'ASC' } })
  const keyRows = () => t.db.ds.getRepository(AuditEvent).countBy({ objectType: 'open311_key' })

  it('a key made, used and revoked leaves one row each (the use in the key account’s name); a refused call none', async () => {
    const { key, id } = await makeKey(t, w.users.DA, '审计客户端')
    const res = await postForm(t, { api_key: key, service_code: 'sanitation', lat: String(w.g1.center.lat), long: String(w.g1.center.lng), description: '路灯不亮' })
    expect(res.status).toBe(200)
    expect((await request(t.server).post(`/api/admin/open311/keys/${id}/revoke`).set('Authorization', bearer(t.deps.config, w.users.DA))).status).toBe(200)
    const keyUser = await t.db.ds.getRepository(Open311Key).findOneByOrFail({ id })
    const rows = await trail(id)
    expect(rows).toMatchObject([
      { action: 'open311.key_create', actorId: w.users.DA.id, actorRole: 'district_admin' },
      { action: 'open311.key_use', actorId: keyUser.userId },
      { action: 'open311.key_revoke', actorId: w.users.DA.id }
    ])
    expect(JSON.parse(rows[1]?.detail ?? '{}')).toEqual({ method: 'POST', path: '/open311/v2/requests.json' })

    const before = await keyRows()
    expect((await postForm(t, { api_key: key, service_code: 'sanitation', description: 'x', lat: '40.05', long: '113.25' })).status).toBe(403)
    expect((await request(t.server).post('/api/admin/open311/keys').set('Authorization', bearer(t.deps.config, w.users.SA1)).send({ name: 'x' })).status).toBe(403)
    expect((await request(t.server).post('/api/admin/open311/keys/00000000-0000-4000-8000-000000000000/revoke').set('Authorization', bearer(t.deps.config, w.users.DA))).status).toBe(404)
    expect(await keyRows()).toBe(before)
  })
})
