import { AuditPageSchema, ProblemSchema, type AuditEventView } from '@palm/shared'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createStaffWithPassword } from '../../../test/auth-factories'
import { bearer, createUser } from '../../../test/factories'
import { createTestContext, type TestContext } from '../../../test/test-app'
import { createTicketWorld, fileTicket, fire, fireOk, getTicket, reportBody, type TicketWorld } from '../../../test/tickets-factories'
import type { User } from '../auth/user.entity'
import { readSampleTerritory } from '../../../test/territory-fixtures'
import { AuditEvent } from './audit.entity'
import { verifyAuditChain } from './audit.service'

/*
 * docs/audit.md: each kind of event leaves exactly its row (who, role, scope, what, which object,
 * request id, client address), a refused change leaves none, and only district admins read the trail.
 */
let t: TestContext
let w: TicketWorld
let admin: User
const PASSWORD = 'Correct-Horse-42'

beforeAll(async () => {
  t = await createTestContext()
  w = await createTicketWorld(t.deps.ds)
  admin = w.users.DA
})
afterAll(async () => {
  await t.close()
})

const as = (user: Pick<User, 'id' | 'role'>) => bearer(t.deps.config, user)
const count = () => t.deps.ds.getRepository(AuditEvent).count()
async function lastRows(n = 1): Promise<AuditEvent[]> {
  return t.deps.ds.getRepository(AuditEvent).find({ order: { seq: 'DESC' }, take: n })
}
async function last(): Promise<AuditEvent> {
  const [row] = await lastRows()
  if (!row) throw new Error('no audit row')
  return row
}
/** The G1 worker the ticket went to (the on-duty pick alternates between W1 and W1b). */
function handlerOf(ticket: { assignee?: { id: string } }): User {
  const found = [w.users.W1, w.users.W1b].find((u) => u.id === ticket.assignee?.id)
  if (!found) throw new Error('the ticket went to no G1 worker')
  return found
}
async function listAs(user: Pick<User, 'id' | 'role'>, query = '') {
  return request(t.server).get(`/api/admin/audit${query}`).set('Authorization', as(user))
}

describe('what the trail records', () => {
  it('a staff transition: actor, role, scope, event, request id and client address, in one row', async () => {
    const ticket = await fileTicket(t, w.users.R1, reportBody(w))
    const worker = handlerOf(ticket)
    const before = await count()
    const res = await fire(t, worker, ticket.id, { event: 'accept' }).set('X-Request-Id', 'req-audit-accept-1')
    expect(res.status).toBe(200)
    expect(await count()).toBe(before + 1)
    const row = await last()
    expect(row).toMatchObject({ action: 'ticket.transition', objectType: 'ticket', objectId: ticket.id, actorId: worker.id, actorRole: 'grid_worker', requestId: 'req-audit-accept-1' })
    expect(JSON.parse(row.actorScope ?? '{}')).toMatchObject({ gridCode: w.g1.code })
    expect(JSON.parse(row.detail ?? '{}')).toEqual({ event: 'accept', from: expect.any(String) as unknown, to: expect.any(String) as unknown })
    expect(row.clientAddress).toMatch(/127\.0\.0\.1|::1/)
  })

  it('no row when the transition is refused (409), and none for a resident’s submission', async () => {
    const before = await count()
    const ticket = await fileTicket(t, w.users.R2, reportBody(w))
    expect(await count()).toBe(before)
    const refused = await fire(t, handlerOf(ticket), ticket.id, { event: 'resolve', note: '已处理' })
    expect(refused.status).toBeGreaterThanOrEqual(400)
    expect(await count()).toBe(before)
  })

  it('a staff view of a ticket with the reporter’s data; the reporter’s own view is not recorded', async () => {
    const ticket = await fileTicket(t, w.users.R3, reportBody(w))
    const before = await count()
    expect((await getTicket(t, w.users.R3, ticket.id)).status).toBe(200)
    expect(await count()).toBe(before)
    expect((await getTicket(t, w.users.CSA, ticket.id)).status).toBe(200)
    expect(await last()).toMatchObject({ action: 'ticket.view_contact', objectId: ticket.id, actorId: w.users.CSA.id, actorRole: 'community_staff' })
  })

  it('an account created by a district admin', async () => {
    const res = await request(t.server)
      .post('/api/admin/accounts')
      .set('Authorization', as(admin))
      .send({ role: 'grid_worker', username: 'audit.made', displayName: '审计建', phone: '13912345678', gridCodes: [w.g1.code] })
    expect(res.status).toBe(201)
    const row = await last()
    expect(row).toMatchObject({ action: 'account.create', objectType: 'user', actorId: admin.id, actorRole: 'district_admin' })
    expect(row.detail).not.toMatch(/13912345678|password/i)
  })

  it('a console change, and no row when the change is refused (a taken code)', async () => {
    const body = { code: 'audit_noise', name: '噪音扰民', kind: 'report', acceptWithin: 60, resolveWithin: 900 }
    expect((await request(t.server).post('/api/admin/categories').set('Authorization', as(admin)).send(body)).status).toBe(201)
    expect(await last()).toMatchObject({ action: 'category.create', objectType: 'category', objectId: 'audit_noise', actorId: admin.id })
    const before = await count()
    const again = await request(t.server).post('/api/admin/categories').set('Authorization', as(admin)).send(body)
    expect(again.status).toBe(409)
    expect(await count()).toBe(before)
  })

  it('a sign-in that succeeds and one that fails (with the name tried, never the password)', async () => {
    const staff = await createStaffWithPassword(t.deps.ds, 'community_staff', { username: 'audit.signin', password: PASSWORD, communityCode: w.ca.code, streetCode: w.s1.code })
    const ok = await request(t.server).post('/api/auth/staff').send({ username: 'audit.signin', password: PASSWORD })
    expect(ok.status).toBe(200)
    expect(await last()).toMatchObject({ action: 'auth.sign_in', objectType: 'user', objectId: staff.id, actorId: staff.id, actorRole: 'community_staff' })
    const bad = await request(t.server).post('/api/auth/staff').send({ username: 'audit.signin', password: 'Wrong-Horse-42' })
    expect(bad.status).toBe(401)
    const row = await last()
    expect(row).toMatchObject({ action: 'auth.sign_in_failed', actorId: null })
    expect(JSON.parse(row.detail ?? '{}')).toEqual({ method: 'password', username: 'audit.signin', reason: 'invalid_credentials' })
    expect(row.detail).not.toMatch(/Wrong-Horse/)
  })

  it('a CSV export of the trail, itself recorded', async () => {
    const res = await request(t.server).get('/api/admin/audit/export.csv?action=ticket.transition').set('Authorization', as(admin))
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toMatch(/text\/csv/)
    expect(res.text).toMatch(/ticket\.transition/)
    const row = await last()
    expect(row).toMatchObject({ action: 'audit.export', objectType: 'audit', actorId: admin.id })
    expect(JSON.parse(row.detail ?? '{}')).toMatchObject({ filters: { action: 'ticket.transition' }, rows: 1 })
  })

  it('leaves an intact chain behind all of the above', async () => {
    expect(await verifyAuditChain(t.deps.ds)).toMatchObject({ ok: true })
  })
})

describe('GET /api/admin/audit', () => {
  it('answers 401 without sign-in and 403 to a street admin, for the list and the export', async () => {
    for (const path of ['/api/admin/audit', '/api/admin/audit/export.csv']) {
      const anon = await request(t.server).get(path)
      expect(anon.status).toBe(401)
      expect(ProblemSchema.parse(anon.body).code).toBe('unauthenticated')
      const street = await request(t.server).get(path).set('Authorization', as(w.users.SA1))
      expect(street.status).toBe(403)
      expect(ProblemSchema.parse(street.body).code).toBe('forbidden')
    }
  })

  it('lists newest first, filters by action, actor and object, and pages with the cursor', async () => {
    const ticket = await fileTicket(t, w.users.R1, reportBody(w))
    const worker = handlerOf(ticket)
    await fireOk(t, worker, ticket.id, { event: 'accept' })
    await fireOk(t, worker, ticket.id, { event: 'start' })
    const byObject = AuditPageSchema.parse((await listAs(admin, `?object=ticket:${ticket.id}&limit=1`)).body)
    expect(byObject.items.map((i: AuditEventView) => (i.detail as { event?: string }).event)).toEqual(['start'])
    expect(byObject.nextCursor).not.toBeNull()
    const next = AuditPageSchema.parse((await listAs(admin, `?object=ticket:${ticket.id}&limit=1&cursor=${byObject.nextCursor ?? ''}`)).body)
    expect(next.items.map((i) => (i.detail as { event?: string }).event)).toEqual(['accept'])
    expect(next.nextCursor).toBeNull()
    const byActor = AuditPageSchema.parse((await listAs(admin, `?actor=${worker.id}&action=ticket.transition`)).body)
    expect(byActor.items.length).toBeGreaterThan(1)
    expect(byActor.items.every((i) => i.actorId === worker.id && i.action === 'ticket.transition')).toBe(true)
    const future = AuditPageSchema.parse((await listAs(admin, `?from=${encodeURIComponent(new Date(Date.now() + 86_400_000).toISOString())}`)).body)
    expect(future.items).toEqual([])
    const hourAgo = encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString())
    const recent = AuditPageSchema.parse((await listAs(admin, `?object=ticket:${ticket.id}&from=${hourAgo}`)).body)
    expect(recent.items.length).toBe(2)
    const before = AuditPageSchema.parse((await listAs(admin, `?object=ticket:${ticket.id}&to=${hourAgo}`)).body)
    expect(before.items).toEqual([])
  })

  it('answers 400 validation_failed for an unknown action or a forged cursor', async () => {
    for (const query of ['?action=ticket.delete', '?cursor=not-a-cursor']) {
      const res = await listAs(admin, query)
      expect(res.status).toBe(400)
      expect(ProblemSchema.parse(res.body).code).toBe('validation_failed')
    }
  })
})

describe('a staff member of a resident service', () => {
  it('a write (a hazard entered) leaves a service.write row in its transaction; a refused one (404) none', async () => {
    const body = { place: '永和社区3号院', building: '3号楼', kind: 'self_built_house', riskLevel: 'high', description: '加盖两层，墙体开裂' }
    const res = await request(t.server).post('/api/hazards').set('Authorization', as(w.users.W1)).send(body)
    expect(res.status).toBe(201)
    const row = await last()
    expect(row).toMatchObject({ action: 'service.write', objectType: 'hazard', objectId: (res.body as { id: string }).id, actorId: w.users.W1.id })
    expect(JSON.parse(row.detail ?? '{}')).toEqual({ route: 'POST /api/hazards' })
    const before = await count()
    const refused = await request(t.server)
      .post('/api/hazards')
      .set('Authorization', as(w.users.W1))
      .send({ ...body, gridCode: w.g3.code })
    expect(refused.status).toBe(404)
    expect(await count()).toBe(before)
  })

  it('reading the volunteer list (phones) and exporting the hazard ledger are recorded; a resident refused (403) leaves nothing', async () => {
    expect((await request(t.server).get('/api/volunteers').set('Authorization', as(w.users.CSA))).status).toBe(200)
    expect(await last()).toMatchObject({ action: 'service.view_personal', objectType: 'volunteer', actorId: w.users.CSA.id })
    expect((await request(t.server).get('/api/hazards/export.csv').set('Authorization', as(w.users.SA1))).status).toBe(200)
    expect(await last()).toMatchObject({ action: 'service.export', objectType: 'hazard', actorId: w.users.SA1.id })
    const before = await count()
    expect((await request(t.server).get('/api/volunteers').set('Authorization', as(w.users.R1))).status).toBe(403)
    expect(await count()).toBe(before)
  })
})

describe('a territory import', () => {
  it('a real import leaves one row; a dry run none', async () => {
    const fresh = await createTestContext()
    try {
      const da = await createUser(fresh.deps.ds, 'district_admin')
      const rows = () => fresh.deps.ds.getRepository(AuditEvent).count()
      const post = (dryRun: boolean) => request(fresh.server).post(`/api/admin/territory/import?dryRun=${dryRun}`).set('Authorization', bearer(fresh.deps.config, da)).send(readSampleTerritory())
      expect((await post(true)).status).toBe(200)
      expect(await rows()).toBe(0)
      expect((await post(false)).status).toBe(200)
      const [row] = await fresh.deps.ds.getRepository(AuditEvent).find({ order: { seq: 'DESC' }, take: 1 })
      expect(row).toMatchObject({ action: 'territory.import', objectType: 'territory', actorId: da.id, actorRole: 'district_admin' })
      expect(await rows()).toBe(1)
    } finally {
      await fresh.close()
    }
  })
})
