import request from 'supertest'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { CategoryViewSchema, DEFAULT_CATEGORIES, ProblemSchema, TicketViewSchema } from '@palm/shared'
import { createTestContext, type TestContext } from '../../../test/test-app'
import { bearer } from '../../../test/factories'
import { createTicketWorld, reportBody, submitTicket, type TicketWorld } from '../../../test/tickets-factories'
import type { User } from '../auth/user.entity'
import { TicketCategory } from './category.entity'
import { findCategory } from './index'
import { REFERENCE_TTL_MS } from './reference-cache'

/* /api/admin/categories: the console's categories and limits (docs/console.md). */
let t: TestContext
let w: TicketWorld

beforeAll(async () => {
  t = await createTestContext()
  w = await createTicketWorld(t.db.ds)
})
afterAll(async () => {
  await t.close()
})
afterEach(() => {
  vi.restoreAllMocks()
})

const auth = (u: User) => bearer(t.deps.config, u)
const snapshot = async () => JSON.stringify(await t.db.ds.getRepository(TicketCategory).find({ order: { code: 'ASC' } }))
const call = (u: User | null, method: 'get' | 'post' | 'patch', path: string, body?: object) => {
  const req = request(t.server)[method](path)
  if (u) req.set('Authorization', auth(u))
  return body ? req.send(body) : req
}
const parking = { code: 'parking', name: '违章停车', kind: 'report', acceptWithin: 60, resolveWithin: 900 }

describe('GET /api/admin/categories', () => {
  it('lists every category, switched-off ones too, to the district and street admins', async () => {
    await t.db.ds.getRepository(TicketCategory).update({ code: 'other_hazard' }, { active: false })
    for (const who of [w.users.DA, w.users.SA1]) {
      const res = await call(who, 'get', '/api/admin/categories')
      expect(res.status).toBe(200)
      const list = CategoryViewSchema.array().parse(res.body)
      expect(list.length).toBeGreaterThanOrEqual(DEFAULT_CATEGORIES.length)
      expect(list.find((c) => c.code === 'other_hazard')?.active).toBe(false)
    }
    await t.db.ds.getRepository(TicketCategory).update({ code: 'other_hazard' }, { active: true })
  })

  it('filters by kind, and refuses an unknown kind with 400', async () => {
    const fraud = CategoryViewSchema.array().parse((await call(w.users.DA, 'get', '/api/admin/categories?kind=fraud_tip')).body)
    expect(fraud.every((c) => c.kind === 'fraud_tip')).toBe(true)
    const bad = await call(w.users.DA, 'get', '/api/admin/categories?kind=complaint')
    expect([bad.status, ProblemSchema.parse(bad.body).errors?.[0]?.path]).toEqual([400, 'kind'])
  })

  it('returns 401 anonymous and 403 to community staff, a grid worker and a resident', async () => {
    expect((await call(null, 'get', '/api/admin/categories')).status).toBe(401)
    for (const who of [w.users.CSA, w.users.W1, w.users.R1, w.users.DEP]) expect((await call(who, 'get', '/api/admin/categories')).status).toBe(403)
  })
})

describe('POST /api/admin/categories', () => {
  it('adds a category that residents can file at once, routed like any report', async () => {
    const res = await call(w.users.DA, 'post', '/api/admin/categories', parking)
    expect(res.status).toBe(201)
    expect(CategoryViewSchema.parse(res.body)).toEqual({ ...parking, active: true, emergency: false })
    const offered = CategoryViewSchema.array().parse((await request(t.server).get('/api/tickets/categories?kind=report')).body)
    expect(offered.at(-1)?.code).toBe('parking')
    const filed = await submitTicket(t, w.users.R1, reportBody(w, { category: 'parking', description: '消防通道被私家车长期占用' }))
    expect(filed.status).toBe(201)
    expect(TicketViewSchema.parse(filed.body).grid?.code).toBe(w.g1.code)
  })

  it('returns 409 conflict for a code that exists, changing nothing', async () => {
    const before = await snapshot()
    const res = await call(w.users.DA, 'post', '/api/admin/categories', { ...parking, name: '停车' })
    expect([res.status, ProblemSchema.parse(res.body).code]).toEqual([409, 'conflict'])
    expect(await snapshot()).toBe(before)
  })

  it.each([
    [{ ...parking, code: 'noise', acceptWithin: 0 }, 'acceptWithin'],
    [{ ...parking, code: 'noise', resolveWithin: -30 }, 'resolveWithin'],
    [{ ...parking, code: 'noise', acceptWithin: 1.5 }, 'acceptWithin'],
    [{ ...parking, code: 'noise', acceptWithin: 960, resolveWithin: 900 }, 'acceptWithin'],
    [{ ...parking, code: 'noise', kind: 'complaint' }, 'kind'],
    [{ ...parking, code: 'Noise!' }, 'code'],
    [{ ...parking, code: 'noise', name: '' }, 'name']
  ])('returns 400 validation_failed for %j at “%s”, changing nothing', async (body, path) => {
    const before = await snapshot()
    const res = await call(w.users.DA, 'post', '/api/admin/categories', body)
    expect(res.status).toBe(400)
    const problem = ProblemSchema.parse(res.body)
    expect([problem.code, problem.errors?.[0]?.path]).toEqual(['validation_failed', path])
    expect(await snapshot()).toBe(before)
  })

  it('returns 401 anonymous and 403 to a street admin and a resident, changing nothing', async () => {
    const before = await snapshot()
    expect((await call(null, 'post', '/api/admin/categories', { ...parking, code: 'noise' })).status).toBe(401)
    expect((await call(w.users.R1, 'post', '/api/admin/categories', { ...parking, code: 'noise' })).status).toBe(403)
    expect((await call(w.users.SA1, 'post', '/api/admin/categories', { ...parking, code: 'noise' })).status).toBe(403)
    expect(await snapshot()).toBe(before)
  })
})

describe('PATCH /api/admin/categories/:code', () => {
  it('changes name and limits; the next ticket of this instance gets the new limit at once', async () => {
    const res = await call(w.users.DA, 'patch', '/api/admin/categories/sanitation', { name: '环境卫生（含垃圾清运）', acceptWithin: 60 })
    expect(res.status).toBe(200)
    expect(CategoryViewSchema.parse(res.body)).toMatchObject({ name: '环境卫生（含垃圾清运）', acceptWithin: 60, resolveWithin: 1350 })
    expect((await findCategory(t.db.ds, 'sanitation'))?.acceptWithinMinutes).toBe(60)
  })

  it('switches a category off: submissions of it are refused at once', async () => {
    expect((await call(w.users.DA, 'patch', '/api/admin/categories/parking', { active: false })).status).toBe(200)
    const filed = await submitTicket(t, w.users.R2, reportBody(w, { category: 'parking', description: '消防通道被占用' }))
    expect([filed.status, ProblemSchema.parse(filed.body).code]).toEqual([400, 'unknown_category'])
  })

  it.each([
    [{ acceptWithin: 0 }, 'acceptWithin'],
    [{ resolveWithin: -1 }, 'resolveWithin'],
    [{ acceptWithin: 2000 }, 'acceptWithin'],
    [{ acceptWithin: 100, resolveWithin: 50 }, 'acceptWithin'],
    [{ kind: 'hazard_tip' }, 'kind']
  ])('returns 400 for %j at “%s”, changing nothing', async (body, path) => {
    const before = await snapshot()
    const res = await call(w.users.DA, 'patch', '/api/admin/categories/sanitation', body)
    expect(res.status).toBe(400)
    expect(ProblemSchema.parse(res.body).errors?.[0]?.path).toBe(path)
    expect(await snapshot()).toBe(before)
  })

  it('returns 404 for an unknown category, 401 anonymous, 403 to a street admin, changing nothing', async () => {
    const before = await snapshot()
    const missing = await call(w.users.DA, 'patch', '/api/admin/categories/unicorns', { name: '独角兽' })
    expect([missing.status, ProblemSchema.parse(missing.body).code]).toEqual([404, 'not_found'])
    expect((await call(null, 'patch', '/api/admin/categories/sanitation', { name: '改' })).status).toBe(401)
    expect((await call(w.users.SA1, 'patch', '/api/admin/categories/sanitation', { name: '改' })).status).toBe(403)
    expect(await snapshot()).toBe(before)
  })
})

describe('every instance sees a category edit within 30 s', () => {
  it('keeps the copy in memory until REFERENCE_TTL_MS has passed, then reads the edit another instance made', async () => {
    let now = 1e9
    vi.spyOn(performance, 'now').mockImplementation(() => now)
    expect((await findCategory(t.db.ds, 'gas'))?.acceptWithinMinutes).toBe(30)
    // Another instance writes the table (its own copy is dropped there; this one's is not).
    await t.db.ds.getRepository(TicketCategory).update({ code: 'gas' }, { acceptWithinMinutes: 15 })
    now += REFERENCE_TTL_MS - 1
    expect((await findCategory(t.db.ds, 'gas'))?.acceptWithinMinutes).toBe(30)
    now += 2
    expect((await findCategory(t.db.ds, 'gas'))?.acceptWithinMinutes).toBe(15)
  })
})
