import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ProblemSchema, RoutingDecisionViewSchema, RoutingRuleViewSchema } from '@palm/shared'
import { createTestContext, type TestContext } from '../../../test/test-app'
import { bearer, createUser } from '../../../test/factories'
import { countTickets, createGridWorker, createRoutingTerritory, insertTicketRow, type RoutingTerritory } from '../../../test/routing-factories'
import type { User } from '../auth/user.entity'
import { RoutingRule } from './routing-rule.entity'

let t: TestContext
let territory: RoutingTerritory
let admin: User
let worker: User
let resident: User
let streetAdmin: User

beforeAll(async () => {
  t = await createTestContext()
  territory = await createRoutingTerritory(t.db.ds)
  admin = await createUser(t.db.ds, 'district_admin')
  streetAdmin = await createUser(t.db.ds, 'street_admin', { streetCode: territory.street.code })
  resident = await createUser(t.db.ds, 'resident')
  worker = await createGridWorker(t.db.ds, territory.g12.code, territory.yonghe.code, territory.street.code, { displayName: '赵六' })
})
afterAll(async () => {
  await t.close()
})

const auth = (u: User) => bearer(t.deps.config, u)

describe('POST /api/routing/explain', () => {
  it('answers the decision and its reason for a point, creating nothing', async () => {
    await insertTicketRow(t.db.ds, { assigneeId: worker.id, state: 'accepted' })
    const ticketsBefore = await countTickets(t.db.ds)
    const rulesBefore = await t.db.ds.getRepository(RoutingRule).count()
    const res = await request(t.server).post('/api/routing/explain').set('Authorization', auth(streetAdmin)).send({ category: 'sanitation', location: territory.g12.center })
    expect(res.status).toBe(200)
    const decision = RoutingDecisionViewSchema.parse(res.body)
    expect(decision).toMatchObject({ level: 'grid', gridCode: '066-012', assigneeId: worker.id })
    expect(decision.reason).toBe('按位置落入网格 066-012（永和社区）；在岗网格员 赵六，当前 1 件在办')
    // The decision and nothing else (what routing learned for filing a ticket stays on the server).
    expect(Object.keys(res.body as object).sort()).toEqual(Object.keys(RoutingDecisionViewSchema.shape).sort())
    expect(await countTickets(t.db.ds)).toBe(ticketsBefore)
    expect(await t.db.ds.getRepository(RoutingRule).count()).toBe(rulesBefore)
  })

  it('answers for a chosen community, and for a fraud tip the anti-fraud centre', async () => {
    const community = await request(t.server).post('/api/routing/explain').set('Authorization', auth(worker)).send({ category: 'other', communityCode: territory.lvdi.code })
    expect(RoutingDecisionViewSchema.parse(community.body)).toMatchObject({ level: 'community', communityCode: territory.lvdi.code })
    const fraud = await request(t.server).post('/api/routing/explain').set('Authorization', auth(worker)).send({ category: 'pension_fraud' })
    expect(RoutingDecisionViewSchema.parse(fraud.body)).toMatchObject({ level: 'department', departmentCode: 'anti_fraud_centre' })
  })

  it('returns 401 without sign-in', async () => {
    const res = await request(t.server).post('/api/routing/explain').send({ category: 'sanitation' })
    expect(res.status).toBe(401)
    expect(ProblemSchema.parse(res.body).code).toBe('unauthenticated')
  })

  it('returns 403 to a resident', async () => {
    const res = await request(t.server).post('/api/routing/explain').set('Authorization', auth(resident)).send({ category: 'sanitation' })
    expect(res.status).toBe(403)
    expect(ProblemSchema.parse(res.body).code).toBe('forbidden')
  })

  it('returns 400 out_of_district for a point in no grid', async () => {
    const res = await request(t.server)
      .post('/api/routing/explain')
      .set('Authorization', auth(admin))
      .send({ category: 'sanitation', location: { lat: 40.13, lng: 113.31 } })
    expect(res.status).toBe(400)
    expect(ProblemSchema.parse(res.body).code).toBe('out_of_district')
  })

  it('returns 400 unknown_category for a category that does not exist', async () => {
    const res = await request(t.server).post('/api/routing/explain').set('Authorization', auth(admin)).send({ category: 'parking' })
    expect(res.status).toBe(400)
    expect(ProblemSchema.parse(res.body).code).toBe('unknown_category')
  })

  it.each([
    [{}, 'category'],
    [{ category: 'sanitation', location: { lat: '40.05', lng: 113.25 } }, 'location.lat'],
    [{ category: 'sanitation', location: { lat: 95, lng: 113.25 } }, 'location.lat'],
    [{ category: 'Sanitation!' }, 'category'],
    [{ category: 'sanitation', assigneeId: 'x' }, 'assigneeId']
  ])('returns 400 validation_failed for %j at “%s”', async (body, path) => {
    const res = await request(t.server).post('/api/routing/explain').set('Authorization', auth(admin)).send(body)
    expect(res.status).toBe(400)
    const problem = ProblemSchema.parse(res.body)
    expect(problem.code).toBe('validation_failed')
    expect(problem.errors?.[0]?.path).toBe(path)
  })
})

describe('/api/routing/rules (district admin)', () => {
  it('lists the default rules seeded by the migration', async () => {
    const res = await request(t.server).get('/api/routing/rules').set('Authorization', auth(admin))
    expect(res.status).toBe(200)
    const rules = RoutingRuleViewSchema.array().parse(res.body)
    expect(rules.find((r) => r.category === 'telecom_fraud')).toMatchObject({ departmentCode: 'anti_fraud_centre', mode: 'instead', active: true })
    expect(rules.find((r) => r.category === 'self_built_house')).toMatchObject({ departmentCode: 'housing_bureau', mode: 'beside' })
  })

  it('creates a rule that routing follows at once', async () => {
    const created = await request(t.server).post('/api/routing/rules').set('Authorization', auth(admin)).send({ category: 'public_facilities', departmentCode: 'urban_management', mode: 'beside' })
    expect(created.status).toBe(201)
    expect(RoutingRuleViewSchema.parse(created.body)).toMatchObject({ category: 'public_facilities', departmentCode: 'urban_management', active: true })
    const explained = await request(t.server).post('/api/routing/explain').set('Authorization', auth(admin)).send({ category: 'public_facilities', location: territory.g12.center })
    expect(RoutingDecisionViewSchema.parse(explained.body)).toMatchObject({ level: 'grid', departmentCode: 'urban_management' })
  })

  it('changes a rule: instead of beside, then off', async () => {
    const rules = RoutingRuleViewSchema.array().parse((await request(t.server).get('/api/routing/rules').set('Authorization', auth(admin))).body)
    const rule = rules.find((r) => r.category === 'fire')
    expect(rule).toBeUndefined()
    const created = RoutingRuleViewSchema.parse(
      (await request(t.server).post('/api/routing/rules').set('Authorization', auth(admin)).send({ category: 'fire', departmentCode: 'emergency_management', mode: 'instead' })).body
    )
    t.setNow(new Date(Date.now() + 60_000))
    const patched = await request(t.server).patch(`/api/routing/rules/${created.id}`).set('Authorization', auth(admin)).send({ mode: 'beside', active: false })
    t.setNow(null)
    expect(patched.status).toBe(200)
    const view = RoutingRuleViewSchema.parse(patched.body)
    expect(view).toMatchObject({ mode: 'beside', active: false, departmentCode: 'emergency_management' })
    expect(Date.parse(view.updatedAt)).toBeGreaterThan(Date.parse(view.createdAt))
    const explained = await request(t.server).post('/api/routing/explain').set('Authorization', auth(admin)).send({ category: 'fire' })
    expect(RoutingDecisionViewSchema.parse(explained.body)).toMatchObject({ level: 'district', departmentCode: null })
  })

  it('returns 409 for a second rule of the same category', async () => {
    const res = await request(t.server).post('/api/routing/rules').set('Authorization', auth(admin)).send({ category: 'telecom_fraud', departmentCode: 'civil_affairs', mode: 'beside' })
    expect(res.status).toBe(409)
    expect(ProblemSchema.parse(res.body).code).toBe('conflict')
  })

  it('returns 400 unknown_category for a rule of a category that does not exist', async () => {
    const res = await request(t.server).post('/api/routing/rules').set('Authorization', auth(admin)).send({ category: 'parking', departmentCode: 'civil_affairs', mode: 'beside' })
    expect(res.status).toBe(400)
    expect(ProblemSchema.parse(res.body).code).toBe('unknown_category')
  })

  it('returns 400 on departmentCode for a department that does not exist, and creates nothing', async () => {
    const before = await t.db.ds.getRepository(RoutingRule).count()
    const res = await request(t.server).post('/api/routing/rules').set('Authorization', auth(admin)).send({ category: 'gas', departmentCode: 'ghost_bureau', mode: 'beside' })
    expect(res.status).toBe(400)
    expect(ProblemSchema.parse(res.body).errors?.[0]).toMatchObject({ path: 'departmentCode', code: 'unknown_department' })
    expect(await t.db.ds.getRepository(RoutingRule).count()).toBe(before)
  })

  it.each([
    [{ category: 'gas', departmentCode: 'civil_affairs', mode: 'sometimes' }, 'mode'],
    [{ category: 'gas', mode: 'beside' }, 'departmentCode'],
    [{ category: 'gas', departmentCode: 'civil_affairs', mode: 'beside', id: 'mine' }, 'id']
  ])('returns 400 validation_failed for %j at “%s”', async (body, path) => {
    const res = await request(t.server).post('/api/routing/rules').set('Authorization', auth(admin)).send(body)
    expect(res.status).toBe(400)
    expect(ProblemSchema.parse(res.body).errors?.[0]?.path).toBe(path)
  })

  it('returns 400 for an empty change and 404 for an unknown rule', async () => {
    const empty = await request(t.server).patch('/api/routing/rules/default-telecom_fraud').set('Authorization', auth(admin)).send({})
    expect(empty.status).toBe(400)
    const missing = await request(t.server).patch('/api/routing/rules/no-such-rule').set('Authorization', auth(admin)).send({ active: false })
    expect(missing.status).toBe(404)
    expect(ProblemSchema.parse(missing.body).code).toBe('not_found')
  })

  it.each([
    ['post', '/api/routing/rules'],
    ['patch', '/api/routing/rules/default-telecom_fraud']
  ] as const)('%s %s: 401 anonymous, 403 for a street admin and a resident', async (method, path) => {
    const body = { category: 'gas', departmentCode: 'civil_affairs', mode: 'beside', active: false }
    expect((await request(t.server)[method](path).send(body)).status).toBe(401)
    expect((await request(t.server)[method](path).set('Authorization', auth(streetAdmin)).send(body)).status).toBe(403)
    expect((await request(t.server)[method](path).set('Authorization', auth(resident)).send(body)).status).toBe(403)
  })

  it('lets a street admin read the rules (the console shows them read-only), not community staff', async () => {
    expect((await request(t.server).get('/api/routing/rules').set('Authorization', auth(streetAdmin))).status).toBe(200)
    expect((await request(t.server).get('/api/routing/rules').set('Authorization', auth(resident))).status).toBe(403)
    expect((await request(t.server).get('/api/routing/rules')).status).toBe(401)
  })
})
