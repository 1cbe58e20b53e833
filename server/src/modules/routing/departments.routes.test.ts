import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AdminDepartmentViewSchema, DEPARTMENTS, ProblemSchema, RoutingDecisionViewSchema } from '@palm/shared'
import { createTestContext, type TestContext } from '../../../test/test-app'
import { bearer, createUser } from '../../../test/factories'
import type { User } from '../auth/user.entity'
import { Department } from '../territory/index'

/* /api/admin/departments: the console's departments (docs/console.md). */
let t: TestContext
let admin: User
let streetAdmin: User
let staff: User
let resident: User

beforeAll(async () => {
  t = await createTestContext()
  admin = await createUser(t.db.ds, 'district_admin')
  streetAdmin = await createUser(t.db.ds, 'street_admin', { streetCode: '140213066' })
  staff = await createUser(t.db.ds, 'community_staff', { communityCode: '140213066001', streetCode: '140213066' })
  resident = await createUser(t.db.ds, 'resident')
})
afterAll(async () => {
  await t.close()
})

const auth = (u: User) => bearer(t.deps.config, u)
const snapshot = async () => JSON.stringify(await t.db.ds.getRepository(Department).find({ order: { code: 'ASC' } }))
const call = (u: User | null, method: 'get' | 'post' | 'patch', path: string, body?: object) => {
  const req = request(t.server)[method](path)
  if (u) req.set('Authorization', auth(u))
  return body ? req.send(body) : req
}

describe('GET /api/admin/departments', () => {
  it('lists the departments of the migration, each active, with the active rules naming it', async () => {
    const res = await call(admin, 'get', '/api/admin/departments')
    expect(res.status).toBe(200)
    const list = AdminDepartmentViewSchema.array().parse(res.body)
    expect(list.map((d) => d.code).sort()).toEqual(DEPARTMENTS.map((d) => d.code).sort())
    expect(list.every((d) => d.active)).toBe(true)
    expect(list.find((d) => d.code === 'anti_fraud_centre')?.activeRules).toBe(5)
    expect(list.find((d) => d.code === 'civil_affairs')?.activeRules).toBe(0)
  })

  it('lets a street admin read, and refuses community staff and residents with 403, anonymous with 401', async () => {
    expect((await call(streetAdmin, 'get', '/api/admin/departments')).status).toBe(200)
    expect((await call(staff, 'get', '/api/admin/departments')).status).toBe(403)
    expect((await call(resident, 'get', '/api/admin/departments')).status).toBe(403)
    expect((await call(null, 'get', '/api/admin/departments')).status).toBe(401)
  })
})

describe('POST /api/admin/departments', () => {
  it('adds a department that a rule can name at once', async () => {
    const res = await call(admin, 'post', '/api/admin/departments', { code: 'market_regulation', name: '区市场监管局' })
    expect(res.status).toBe(201)
    expect(AdminDepartmentViewSchema.parse(res.body)).toEqual({ code: 'market_regulation', name: '区市场监管局', active: true, activeRules: 0 })
    const rule = await call(admin, 'post', '/api/routing/rules', { category: 'other', departmentCode: 'market_regulation', mode: 'instead' })
    expect(rule.status).toBe(201)
    const explained = await call(admin, 'post', '/api/routing/explain', { category: 'other' })
    expect(RoutingDecisionViewSchema.parse(explained.body)).toMatchObject({ level: 'department', departmentCode: 'market_regulation' })
  })

  it('returns 409 conflict for a code that exists, changing nothing', async () => {
    const before = await snapshot()
    const res = await call(admin, 'post', '/api/admin/departments', { code: 'housing_bureau', name: '另一个住建局' })
    expect([res.status, ProblemSchema.parse(res.body).code]).toEqual([409, 'conflict'])
    expect(await snapshot()).toBe(before)
  })

  it.each([
    [{ code: 'Housing Bureau', name: '住建局' }, 'code'],
    [{ code: 'tax_bureau', name: '   ' }, 'name'],
    [{ code: 'tax_bureau' }, 'name'],
    [{ code: 'tax_bureau', name: '税务局', active: 'yes' }, 'active']
  ])('returns 400 validation_failed for %j at “%s”, changing nothing', async (body, path) => {
    const before = await snapshot()
    const res = await call(admin, 'post', '/api/admin/departments', body)
    expect(res.status).toBe(400)
    expect(ProblemSchema.parse(res.body).errors?.[0]?.path).toBe(path)
    expect(await snapshot()).toBe(before)
  })

  it('returns 401 anonymous and 403 to a street admin and a resident, changing nothing', async () => {
    const before = await snapshot()
    expect((await call(null, 'post', '/api/admin/departments', { code: 'tax_bureau', name: '税务局' })).status).toBe(401)
    expect((await call(resident, 'post', '/api/admin/departments', { code: 'tax_bureau', name: '税务局' })).status).toBe(403)
    expect((await call(streetAdmin, 'post', '/api/admin/departments', { code: 'tax_bureau', name: '税务局' })).status).toBe(403)
    expect(await snapshot()).toBe(before)
  })
})

describe('PATCH /api/admin/departments/:code', () => {
  it('renames a department; routing reasons use the new name at once', async () => {
    const res = await call(admin, 'patch', '/api/admin/departments/anti_fraud_centre', { name: '市公安局反诈中心' })
    expect(res.status).toBe(200)
    expect(AdminDepartmentViewSchema.parse(res.body)).toMatchObject({ name: '市公安局反诈中心', active: true, activeRules: 5 })
    const explained = await call(admin, 'post', '/api/routing/explain', { category: 'pension_fraud' })
    expect(RoutingDecisionViewSchema.parse(explained.body).reason).toContain('市公安局反诈中心')
  })

  it('returns 409 category_without_receiver when switching off a department an active rule names, changing nothing', async () => {
    const before = await snapshot()
    const res = await call(admin, 'patch', '/api/admin/departments/anti_fraud_centre', { active: false })
    expect(res.status).toBe(409)
    expect(ProblemSchema.parse(res.body).code).toBe('category_without_receiver')
    expect((res.body.categories as string[]).sort()).toEqual(['investment_fraud', 'online_fraud', 'other_fraud', 'pension_fraud', 'telecom_fraud'])
    expect(await snapshot()).toBe(before)
  })

  it('switches off a department no active rule names, and on again', async () => {
    const off = await call(admin, 'patch', '/api/admin/departments/civil_affairs', { active: false })
    expect(off.status).toBe(200)
    expect(AdminDepartmentViewSchema.parse(off.body).active).toBe(false)
    const rule = await call(admin, 'post', '/api/routing/rules', { category: 'neighbour_dispute', departmentCode: 'civil_affairs', mode: 'beside' })
    expect([rule.status, rule.body.code]).toEqual([409, 'category_without_receiver'])
    const on = await call(admin, 'patch', '/api/admin/departments/civil_affairs', { active: true })
    expect(AdminDepartmentViewSchema.parse(on.body).active).toBe(true)
  })

  it('returns 404 for an unknown department and 400 for an empty change, changing nothing', async () => {
    const before = await snapshot()
    const missing = await call(admin, 'patch', '/api/admin/departments/ghost_bureau', { name: '鬼' })
    expect([missing.status, ProblemSchema.parse(missing.body).code]).toEqual([404, 'not_found'])
    const empty = await call(admin, 'patch', '/api/admin/departments/civil_affairs', {})
    expect([empty.status, ProblemSchema.parse(empty.body).code]).toEqual([400, 'validation_failed'])
    const code = await call(admin, 'patch', '/api/admin/departments/civil_affairs', { code: 'x' })
    expect(ProblemSchema.parse(code.body).errors?.[0]?.path).toBe('code')
    expect(await snapshot()).toBe(before)
  })

  it('returns 401 anonymous and 403 to a street admin and a resident, changing nothing', async () => {
    const before = await snapshot()
    expect((await call(null, 'patch', '/api/admin/departments/civil_affairs', { name: '改' })).status).toBe(401)
    expect((await call(streetAdmin, 'patch', '/api/admin/departments/civil_affairs', { name: '改' })).status).toBe(403)
    expect((await call(resident, 'patch', '/api/admin/departments/civil_affairs', { name: '改' })).status).toBe(403)
    expect(await snapshot()).toBe(before)
  })
})

describe('switching a department off while a rule naming it is saved', () => {
  it('never ends with an active rule to a switched-off department, whichever instance wins', async () => {
    for (const [i, category] of ['fire', 'gas', 'other_hazard', 'safety_hazard', 'public_facilities'].entries()) {
      const code = `race_bureau_${i}`
      expect((await call(admin, 'post', '/api/admin/departments', { code, name: `竞态局${i}` })).status).toBe(201)
      const [off, rule] = await Promise.all([
        call(admin, 'patch', `/api/admin/departments/${code}`, { active: false }),
        call(admin, 'post', '/api/routing/rules', { category, departmentCode: code, mode: 'instead' })
      ])
      // Exactly one of the two goes through; the other is refused as leaving the category without a receiver.
      const outcome = off.status === 200 ? [off.status, rule.status] : [rule.status, off.status]
      expect(outcome, category).toEqual(off.status === 200 ? [200, 409] : [201, 409])
      const refused = off.status === 409 ? off : rule
      expect(ProblemSchema.parse(refused.body).code, category).toBe('category_without_receiver')
      const department = await t.db.ds.getRepository(Department).findOneByOrFail({ code })
      expect(Boolean(department.active), category).toBe(rule.status === 201)
    }
  })
})
