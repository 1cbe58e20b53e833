import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ProblemSchema, RoutingPreviewViewSchema, RoutingRuleViewSchema, type TicketView } from '@palm/shared'
import { createTestContext, type TestContext } from '../../../test/test-app'
import { bearer } from '../../../test/factories'
import { MONDAY_MORNING, createTicketWorld, fileTicket, reportBody, type TicketWorld } from '../../../test/tickets-factories'
import type { User } from '../auth/user.entity'
import { Department } from '../territory/index'
import { Ticket } from '../tickets/index'
import { invalidateRoutingReference } from './reference-data'
import { RoutingRule } from './routing-rule.entity'

/*
 * The replay before saving (POST /api/routing/rules/preview) and the rule writes around it: the
 * figures on generated tickets, the refusals (each with nothing changed), DELETE, and that a saved
 * rule routes the very next submission.
 */
let t: TestContext
let w: TicketWorld
let gridTickets: TicketView[]

const minutesAfterStart = (m: number) => new Date(MONDAY_MORNING.getTime() + m * 60_000)
const auth = (u: User) => bearer(t.deps.config, u)
const preview = (u: User | null, body: object) => {
  const req = request(t.server).post('/api/routing/rules/preview')
  return (u ? req.set('Authorization', auth(u)) : req).send(body)
}
const rulesSnapshot = async () => JSON.stringify(await t.db.ds.getRepository(RoutingRule).find({ order: { id: 'ASC' } }))
const ticketsSnapshot = async () => JSON.stringify(await t.db.ds.getRepository(Ticket).find({ order: { id: 'ASC' } }))

beforeAll(async () => {
  t = await createTestContext()
  w = await createTicketWorld(t.db.ds)
  // Ten sanitation reports in G1, routed to the grid (no rule for sanitation).
  gridTickets = []
  // A minute apart: "newest" is well defined on MariaDB too (DATETIME keeps whole seconds).
  for (let i = 0; i < 10; i++) {
    t.setNow(minutesAfterStart(i))
    gridTickets.push(await fileTicket(t, i % 2 ? w.users.R1 : w.users.R2, reportBody(w, { description: `楼道垃圾无人清运 ${i}` })))
  }
  // A department nobody may route to any more.
  await t.db.ds.getRepository(Department).insert({ code: 'old_bureau', name: '已撤销局', active: false })
  invalidateRoutingReference(t.db.ds)
})
afterAll(async () => {
  await t.close()
})

describe('POST /api/routing/rules/preview', () => {
  it('counts 10 of 10 grid tickets moving to the department a proposed rule names, saving nothing', async () => {
    expect(gridTickets.every((v) => v.grid?.code === w.g1.code)).toBe(true)
    const [rules, tickets] = [await rulesSnapshot(), await ticketsSnapshot()]
    const res = await preview(w.users.DA, { action: 'create', rule: { category: 'sanitation', departmentCode: 'housing_bureau', mode: 'instead' } })
    expect(res.status).toBe(200)
    const view = RoutingPreviewViewSchema.parse(res.body)
    expect(view).toMatchObject({ category: { code: 'sanitation', name: '环境卫生' }, total: 10, changed: 10 })
    expect(view.byTarget).toEqual([{ target: { level: 'department', code: 'housing_bureau', name: '区住建局', besideDepartment: null, label: '区住建局' }, count: 10 }])
    expect(view.samples).toHaveLength(10)
    expect(view.samples[0]?.before).toMatchObject({ level: 'grid', code: w.g1.code, label: `网格 ${w.g1.code}` })
    expect(new Set(view.samples.map((s) => s.number))).toEqual(new Set(gridTickets.map((v) => v.number)))
    expect([await rulesSnapshot(), await ticketsSnapshot()]).toEqual([rules, tickets])
  })

  it('shows a beside rule as the same grid plus the department', async () => {
    const view = RoutingPreviewViewSchema.parse((await preview(w.users.DA, { action: 'create', rule: { category: 'sanitation', departmentCode: 'health_commission', mode: 'beside' } })).body)
    expect(view.changed).toBe(10)
    expect(view.byTarget).toEqual([
      { target: { level: 'grid', code: w.g1.code, name: `网格 ${w.g1.code}`, besideDepartment: { code: 'health_commission', name: '区卫健委' }, label: `网格 ${w.g1.code} + 区卫健委` }, count: 10 }
    ])
  })

  it('counts nothing as changed when the proposal routes as before (an inactive new rule)', async () => {
    const view = RoutingPreviewViewSchema.parse(
      (await preview(w.users.DA, { action: 'create', rule: { category: 'sanitation', departmentCode: 'housing_bureau', mode: 'instead', active: false } })).body
    )
    expect(view).toMatchObject({ total: 10, changed: 0, byTarget: [], samples: [] })
  })

  it('replays only the newest `limit` tickets', async () => {
    const view = RoutingPreviewViewSchema.parse((await preview(w.users.DA, { action: 'create', rule: { category: 'sanitation', departmentCode: 'housing_bureau', mode: 'instead' }, limit: 3 })).body)
    expect([view.total, view.changed]).toEqual([3, 3])
    expect(view.samples.map((s) => s.number).sort()).toEqual(
      gridTickets
        .slice(-3)
        .map((v) => v.number)
        .sort()
    )
  })

  it('answers total 0 for a category without tickets', async () => {
    const view = RoutingPreviewViewSchema.parse((await preview(w.users.DA, { action: 'create', rule: { category: 'gas', departmentCode: 'emergency_management', mode: 'instead' } })).body)
    expect(view).toMatchObject({ total: 0, changed: 0, byTarget: [], samples: [] })
  })

  it('returns 409 category_without_receiver for a rule to a switched-off department, and changes nothing', async () => {
    const before = await rulesSnapshot()
    const res = await preview(w.users.DA, { action: 'create', rule: { category: 'sanitation', departmentCode: 'old_bureau', mode: 'instead' } })
    expect(res.status).toBe(409)
    expect(ProblemSchema.parse(res.body).code).toBe('category_without_receiver')
    expect(res.body.categories).toEqual(['sanitation'])
    expect(await rulesSnapshot()).toBe(before)
  })

  it('returns 409 conflict when proposing a second rule for a category that has one', async () => {
    const res = await preview(w.users.DA, { action: 'create', rule: { category: 'telecom_fraud', departmentCode: 'civil_affairs', mode: 'beside' } })
    expect([res.status, ProblemSchema.parse(res.body).code]).toEqual([409, 'conflict'])
  })

  it('returns 400 unknown_department and 404 for an unknown rule', async () => {
    const unknown = await preview(w.users.DA, { action: 'create', rule: { category: 'sanitation', departmentCode: 'ghost_bureau', mode: 'instead' } })
    expect(unknown.status).toBe(400)
    expect(ProblemSchema.parse(unknown.body).errors?.[0]).toMatchObject({ path: 'departmentCode', code: 'unknown_department' })
    const missing = await preview(w.users.DA, { action: 'deactivate', ruleId: 'no-such-rule' })
    expect([missing.status, ProblemSchema.parse(missing.body).code]).toEqual([404, 'not_found'])
  })

  it.each([
    [{ action: 'create', rule: { category: 'sanitation', departmentCode: 'housing_bureau', mode: 'instead' }, limit: 501 }, 'limit'],
    [{ action: 'create', rule: { category: 'sanitation', departmentCode: 'housing_bureau', mode: 'instead' }, limit: 0 }, 'limit'],
    [{ action: 'update', ruleId: 'default-telecom_fraud', changes: {} }, 'changes'],
    [{ action: 'rename', ruleId: 'default-telecom_fraud' }, 'action'],
    [{ action: 'create', rule: { category: 'sanitation', departmentCode: 'housing_bureau', mode: 'always' } }, 'rule.mode']
  ])('returns 400 validation_failed for %j at “%s”', async (body, path) => {
    const res = await preview(w.users.DA, body)
    expect(res.status).toBe(400)
    const problem = ProblemSchema.parse(res.body)
    expect(problem.code).toBe('validation_failed')
    expect(problem.errors?.[0]?.path).toBe(path)
  })

  it('returns 401 anonymous and 403 to a street admin and a resident', async () => {
    const body = { action: 'deactivate', ruleId: 'default-telecom_fraud' }
    expect((await preview(null, body)).status).toBe(401)
    expect((await preview(w.users.SA1, body)).status).toBe(403)
    expect((await preview(w.users.R1, body)).status).toBe(403)
  })
})

describe('saving a rule after its preview', () => {
  let ruleId = ''

  it('routes the next submission by the saved rule', async () => {
    const created = await request(t.server).post('/api/routing/rules').set('Authorization', auth(w.users.DA)).send({ category: 'sanitation', departmentCode: 'housing_bureau', mode: 'instead' })
    expect(created.status).toBe(201)
    ruleId = RoutingRuleViewSchema.parse(created.body).id
    t.setNow(minutesAfterStart(60))
    const next = await fileTicket(t, w.users.R3, reportBody(w, { description: '规则保存后的第一件' }))
    // The reporter reads a plain sentence; the stored decision names the department for staff.
    expect(next.routing.reason).toBe('已交职能部门处理')
    const row = await t.db.ds.getRepository(Ticket).findOneByOrFail({ id: next.id })
    expect(row.routingReason).toContain('区住建局')
    expect([row.level, row.departmentCode, row.assigneeId]).toEqual(['department', 'housing_bureau', null])
  })

  it('previews switching it off: only the ticket routed by the rule goes back to the grid', async () => {
    const view = RoutingPreviewViewSchema.parse((await preview(w.users.DA, { action: 'deactivate', ruleId })).body)
    expect([view.total, view.changed]).toEqual([11, 1])
    expect(view.byTarget).toEqual([{ target: expect.objectContaining({ level: 'grid', code: w.g1.code }), count: 1 }])
    expect(view.samples[0]?.before).toMatchObject({ level: 'department', code: 'housing_bureau' })
  })

  it('previews an edit to another department: every ticket moves', async () => {
    const view = RoutingPreviewViewSchema.parse((await preview(w.users.DA, { action: 'update', ruleId, changes: { departmentCode: 'urban_management' } })).body)
    expect(view.changed).toBe(11)
    expect(view.byTarget).toEqual([{ target: expect.objectContaining({ level: 'department', code: 'urban_management', label: '区城市管理局' }), count: 11 }])
  })

  it('refuses an edit to a switched-off department with 409 category_without_receiver, changing nothing', async () => {
    const before = await rulesSnapshot()
    const res = await request(t.server).patch(`/api/routing/rules/${ruleId}`).set('Authorization', auth(w.users.DA)).send({ departmentCode: 'old_bureau' })
    expect([res.status, ProblemSchema.parse(res.body).code]).toEqual([409, 'category_without_receiver'])
    expect(await rulesSnapshot()).toBe(before)
  })

  it('refuses a new rule to a switched-off department with 409, creating nothing', async () => {
    const before = await rulesSnapshot()
    const res = await request(t.server).post('/api/routing/rules').set('Authorization', auth(w.users.DA)).send({ category: 'gas', departmentCode: 'old_bureau', mode: 'beside' })
    expect([res.status, ProblemSchema.parse(res.body).code]).toEqual([409, 'category_without_receiver'])
    expect(await rulesSnapshot()).toBe(before)
  })

  it('lets a street admin read the rules but not delete one', async () => {
    const list = await request(t.server).get('/api/routing/rules').set('Authorization', auth(w.users.SA1))
    expect(list.status).toBe(200)
    expect(
      RoutingRuleViewSchema.array()
        .parse(list.body)
        .some((r) => r.id === ruleId)
    ).toBe(true)
    const before = await rulesSnapshot()
    expect((await request(t.server).delete(`/api/routing/rules/${ruleId}`).set('Authorization', auth(w.users.SA1))).status).toBe(403)
    expect((await request(t.server).delete(`/api/routing/rules/${ruleId}`).set('Authorization', auth(w.users.CSA))).status).toBe(403)
    expect((await request(t.server).delete(`/api/routing/rules/${ruleId}`)).status).toBe(401)
    expect(await rulesSnapshot()).toBe(before)
  })

  it('deletes the rule (204), after which the next submission goes to the grid again; a second delete is 404', async () => {
    const res = await request(t.server).delete(`/api/routing/rules/${ruleId}`).set('Authorization', auth(w.users.DA))
    expect(res.status).toBe(204)
    expect(await t.db.ds.getRepository(RoutingRule).existsBy({ id: ruleId })).toBe(false)
    t.setNow(minutesAfterStart(120))
    const next = await fileTicket(t, w.users.R3, reportBody(w, { description: '规则删除后的第一件' }))
    expect(next.grid?.code).toBe(w.g1.code)
    const again = await request(t.server).delete(`/api/routing/rules/${ruleId}`).set('Authorization', auth(w.users.DA))
    expect([again.status, ProblemSchema.parse(again.body).code]).toEqual([404, 'not_found'])
  })
})
