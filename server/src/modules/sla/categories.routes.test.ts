import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CategoryViewSchema, DEFAULT_CATEGORIES, ProblemSchema } from '@palm/shared'
import { createTestContext, type TestContext } from '../../../test/test-app'
import { bearer, createUser } from '../../../test/factories'
import type { User } from '../auth/user.entity'
import { DEFAULT_ROUTING_RULES, RoutingRule } from '../routing/index'
import { insertRoutingDefaults } from '../../db/migrations/1732780800050-routing'
import { getCategory, listCategories } from './index'
import { TicketCategory } from './category.entity'

let t: TestContext
let admin: User
let communityStaff: User
let resident: User

beforeAll(async () => {
  t = await createTestContext()
  admin = await createUser(t.db.ds, 'district_admin')
  communityStaff = await createUser(t.db.ds, 'community_staff', { communityCode: '140213066001', streetCode: '140213066' })
  resident = await createUser(t.db.ds, 'resident')
})
afterAll(async () => {
  await t.close()
})

const auth = (u: User) => bearer(t.deps.config, u)
const Categories = CategoryViewSchema.array()

describe('reference data from the routing migration', () => {
  it('seeds every default category with its limits, and every default rule', async () => {
    const rows = await t.db.ds.getRepository(TicketCategory).find()
    expect(rows.map((r) => r.code).sort()).toEqual(DEFAULT_CATEGORIES.map((c) => c.code).sort())
    const sanitation = await getCategory(t.db.ds.manager, 'sanitation')
    expect(sanitation).toMatchObject({ kind: 'report', name: '环境卫生', acceptWithinMinutes: 120, resolveWithinMinutes: 1350, active: true })
    const rules = await t.db.ds.getRepository(RoutingRule).find()
    expect(rules.map((r) => r.category).sort()).toEqual(DEFAULT_ROUTING_RULES.map((r) => r.category).sort())
  })

  it('inserts nothing twice when its seeding runs again', async () => {
    const runner = t.db.ds.createQueryRunner()
    try {
      await insertRoutingDefaults(runner)
    } finally {
      await runner.release()
    }
    expect(await t.db.ds.getRepository(TicketCategory).count()).toBe(DEFAULT_CATEGORIES.length)
    expect(await t.db.ds.getRepository(RoutingRule).count()).toBe(DEFAULT_ROUTING_RULES.length)
  })

  it('lists the categories of one kind in display order', async () => {
    const hazards = await listCategories(t.db.ds.manager, 'hazard_tip')
    expect(hazards.map((c) => c.code)).toEqual(['self_built_house', 'fire', 'gas', 'other_hazard'])
  })
})

describe('GET /api/tickets/categories', () => {
  it('answers without sign-in, limits in working minutes', async () => {
    const res = await request(t.server).get('/api/tickets/categories')
    expect(res.status).toBe(200)
    const categories = Categories.parse(res.body)
    expect(categories).toHaveLength(DEFAULT_CATEGORIES.length)
    expect(categories[0]).toEqual({ code: 'sanitation', name: '环境卫生', kind: 'report', acceptWithin: 120, resolveWithin: 1350, active: true, emergency: false })
  })

  it('filters by kind', async () => {
    const res = await request(t.server).get('/api/tickets/categories?kind=fraud_tip')
    const categories = Categories.parse(res.body)
    expect(categories.map((c) => c.code)).toEqual(['telecom_fraud', 'online_fraud', 'investment_fraud', 'pension_fraud', 'other_fraud'])
    expect(categories.every((c) => c.acceptWithin === 30)).toBe(true)
  })

  it('returns 400 validation_failed for an unknown kind', async () => {
    const res = await request(t.server).get('/api/tickets/categories?kind=complaint')
    expect(res.status).toBe(400)
    expect(ProblemSchema.parse(res.body).errors?.[0]?.path).toBe('kind')
  })
})

describe('PATCH /api/tickets/categories/:code (district admin)', () => {
  it('changes the limits, and switching a category off hides it from the form but not from the admin', async () => {
    const res = await request(t.server).patch('/api/tickets/categories/other').set('Authorization', auth(admin)).send({ acceptWithin: 60, resolveWithin: 900, active: false })
    expect(res.status).toBe(200)
    expect(CategoryViewSchema.parse(res.body)).toEqual({ code: 'other', name: '其他', kind: 'report', acceptWithin: 60, resolveWithin: 900, active: false, emergency: false })
    expect(await getCategory(t.db.ds.manager, 'other')).toMatchObject({ acceptWithinMinutes: 60, resolveWithinMinutes: 900, active: false })

    const publicList = Categories.parse((await request(t.server).get('/api/tickets/categories?kind=report')).body)
    expect(publicList.map((c) => c.code)).not.toContain('other')
    const residentAsks = Categories.parse((await request(t.server).get('/api/tickets/categories?kind=report&includeInactive=true').set('Authorization', auth(resident))).body)
    expect(residentAsks.map((c) => c.code)).not.toContain('other')
    const adminList = Categories.parse((await request(t.server).get('/api/tickets/categories?kind=report&includeInactive=true').set('Authorization', auth(admin))).body)
    expect(adminList.find((c) => c.code === 'other')).toMatchObject({ active: false })
  })

  it('returns 400 when accepting would take longer than resolving, changing nothing', async () => {
    const res = await request(t.server).patch('/api/tickets/categories/sanitation').set('Authorization', auth(admin)).send({ acceptWithin: 2000 })
    expect(res.status).toBe(400)
    expect(ProblemSchema.parse(res.body).errors?.[0]?.path).toBe('acceptWithin')
    expect(await getCategory(t.db.ds.manager, 'sanitation')).toMatchObject({ acceptWithinMinutes: 120 })
  })

  it.each([
    [{}, ''],
    [{ acceptWithin: 0 }, 'acceptWithin'],
    [{ resolveWithin: 1.5 }, 'resolveWithin'],
    [{ resolveWithin: 1_000_000 }, 'resolveWithin'],
    [{ active: 'no' }, 'active'],
    [{ kind: 'fraud_tip' }, 'kind']
  ])('returns 400 validation_failed for %j at “%s”', async (body, path) => {
    const res = await request(t.server).patch('/api/tickets/categories/sanitation').set('Authorization', auth(admin)).send(body)
    expect(res.status).toBe(400)
    const problem = ProblemSchema.parse(res.body)
    expect(problem.code).toBe('validation_failed')
    expect(problem.errors?.[0]?.path).toBe(path)
  })

  it('returns 404 for an unknown category', async () => {
    const res = await request(t.server).patch('/api/tickets/categories/parking').set('Authorization', auth(admin)).send({ active: false })
    expect(res.status).toBe(404)
  })

  it('returns 401 anonymous and 403 to community staff and residents', async () => {
    expect((await request(t.server).patch('/api/tickets/categories/sanitation').send({ active: false })).status).toBe(401)
    expect((await request(t.server).patch('/api/tickets/categories/sanitation').set('Authorization', auth(communityStaff)).send({ active: false })).status).toBe(403)
    expect((await request(t.server).patch('/api/tickets/categories/sanitation').set('Authorization', auth(resident)).send({ active: false })).status).toBe(403)
    expect(await getCategory(t.db.ds.manager, 'sanitation')).toMatchObject({ active: true })
  })
})
