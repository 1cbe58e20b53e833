import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ProblemSchema } from '@palm/shared'
import { createLogger } from '../../logger'
import { testConfig } from '../../config'
import type { AppDeps } from '../../deps'
import { AppError } from '../../errors'
import { mapError } from '../../http/problem'
import { openTestDatabase, type TestDatabase } from '../../../test/db'
import { createGridWorker, createRoutingTerritory, insertTicketRow, type RoutingTerritory } from '../../../test/routing-factories'
import { Department } from '../territory/territory.entity'
import { RoutingRule } from './routing-rule.entity'
import { decideRoute, invalidateRoutingReference, routeOneLevelUp } from './index'

let db: TestDatabase
let deps: AppDeps
let territory: RoutingTerritory
const logged: Array<Record<string, unknown>> = []

beforeAll(async () => {
  db = await openTestDatabase()
  const log = createLogger('silent')
  log.error = ((obj: Record<string, unknown>) => {
    logged.push(obj)
  }) as typeof log.error
  deps = { config: testConfig(), ds: db.ds, log, now: () => new Date() }
  territory = await createRoutingTerritory(db.ds)
})
afterAll(async () => {
  await db.close()
})

/** The error a call threw, as the client would see it. */
async function problemOf(promise: Promise<unknown>) {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e
  )
  expect(err).toBeInstanceOf(AppError)
  return ProblemSchema.parse({ ...mapError(err).problem })
}

describe('decideRoute: territory', () => {
  it('routes a point in grid 066-012 to its on-duty worker with the fewest open tickets, saying why', async () => {
    const t = territory
    const busy = await createGridWorker(db.ds, t.g12.code, t.yonghe.code, t.street.code, { displayName: '李四' })
    const free = await createGridWorker(db.ds, t.g12.code, t.yonghe.code, t.street.code, { displayName: '张三' })
    await createGridWorker(db.ds, t.g12.code, t.yonghe.code, t.street.code, { displayName: '王五', onDuty: false })
    for (let i = 0; i < 2; i++) await insertTicketRow(db.ds, { assigneeId: busy.id, gridCode: t.g12.code, state: 'accepted' })
    await insertTicketRow(db.ds, { assigneeId: free.id, gridCode: t.g12.code, state: 'in_progress' })
    // Done tickets do not count as open work.
    for (let i = 0; i < 3; i++) await insertTicketRow(db.ds, { assigneeId: free.id, gridCode: t.g12.code, state: 'closed' })

    const d = await decideRoute(db.ds.manager, deps, { category: 'sanitation', kind: 'report', location: t.g12.center })
    expect(d).toMatchObject({
      level: 'grid',
      gridCode: '066-012',
      communityCode: t.yonghe.code,
      streetCode: t.street.code,
      departmentCode: null,
      assigneeId: free.id
    })
    expect(d.reason).toBe('按位置落入网格 066-012（永和社区）；在岗网格员 张三，当前 1 件在办（2 人在岗，取在办最少者）')
    expect(d.inputs).toMatchObject({ category: 'sanitation', kind: 'report', location: t.g12.center, gridCode: '066-012' })
    expect(d.inputs.onDuty).toEqual([
      { id: free.id, open: 1 },
      { id: busy.id, open: 2 }
    ])
  })

  it('breaks a tie between equally busy workers by the lowest id', async () => {
    const t = territory
    const a = await createGridWorker(db.ds, t.g21.code, t.lvdi.code, t.street.code)
    const b = await createGridWorker(db.ds, t.g21.code, t.lvdi.code, t.street.code)
    const d = await decideRoute(db.ds.manager, deps, { category: 'other', kind: 'report', location: t.g21.center })
    expect(d.assigneeId).toBe([a.id, b.id].sort()[0])
  })

  it('sends a point in a grid with nobody on duty to the community queue', async () => {
    const t = territory
    await createGridWorker(db.ds, t.g13.code, t.yonghe.code, t.street.code, { onDuty: false })
    const d = await decideRoute(db.ds.manager, deps, { category: 'sanitation', kind: 'report', location: t.g13.center })
    expect(d).toMatchObject({ level: 'community', gridCode: '066-013', communityCode: t.yonghe.code, assigneeId: null })
    expect(d.reason).toBe('按位置落入网格 066-013（永和社区）；该网格无在岗网格员，转永和社区队列')
  })

  it('sends a request without a point to the chosen community’s queue', async () => {
    const d = await decideRoute(db.ds.manager, deps, { category: 'neighbour_dispute', kind: 'report', communityCode: territory.lvdi.code })
    expect(d).toMatchObject({ level: 'community', gridCode: null, communityCode: territory.lvdi.code, streetCode: territory.street.code, assigneeId: null })
    expect(d.reason).toContain('绿地社区')
  })

  it('sends a request with only a street to that street’s centre', async () => {
    const d = await decideRoute(db.ds.manager, deps, { category: 'other', kind: 'report', streetCode: territory.street.code })
    expect(d).toMatchObject({ level: 'street', streetCode: territory.street.code, communityCode: null, assigneeId: null })
    expect(d.reason).toContain('水泊寺街道综治中心')
  })

  it('sends a request with no place at all to the district centre', async () => {
    const d = await decideRoute(db.ds.manager, deps, { category: 'other', kind: 'report' })
    expect(d).toMatchObject({ level: 'district', gridCode: null, communityCode: null, streetCode: null, assigneeId: null })
    expect(d.reason).toContain('区综治中心')
  })
})

describe('decideRoute: category rules (data)', () => {
  it('sends a fraud tip to the anti-fraud centre instead of the grid, keeping where it happened', async () => {
    const d = await decideRoute(db.ds.manager, deps, { category: 'telecom_fraud', kind: 'fraud_tip', location: territory.g12.center })
    expect(d).toMatchObject({ level: 'department', departmentCode: 'anti_fraud_centre', assigneeId: null, gridCode: '066-012' })
    expect(d.reason).toMatch(/^类别「电信诈骗」按规则转反诈中心队列（不经网格）/)
    expect(d.inputs.rule).toMatchObject({ departmentCode: 'anti_fraud_centre', mode: 'instead' })
  })

  it('sends a self-built-house hazard to the housing bureau beside the grid worker', async () => {
    const t = territory
    const d = await decideRoute(db.ds.manager, deps, { category: 'self_built_house', kind: 'hazard_tip', location: t.g12.center })
    expect(d).toMatchObject({ level: 'grid', gridCode: '066-012', departmentCode: 'housing_bureau' })
    expect(d.assigneeId).not.toBeNull()
    expect(d.reason).toContain('同时转区住建局')
  })

  it('follows a rule an admin switched off: the territory path alone', async () => {
    // Written past the API, so the in-memory copy of the rules is dropped by hand (the API does it itself).
    await db.ds.getRepository(RoutingRule).update({ category: 'legal_consultation' }, { active: false })
    invalidateRoutingReference(db.ds)
    const d = await decideRoute(db.ds.manager, deps, { category: 'legal_consultation', kind: 'legal_consultation', communityCode: territory.yonghe.code })
    expect(d).toMatchObject({ level: 'community', departmentCode: null })
    await db.ds.getRepository(RoutingRule).update({ category: 'legal_consultation' }, { active: true })
    invalidateRoutingReference(db.ds)
    const again = await decideRoute(db.ds.manager, deps, { category: 'legal_consultation', kind: 'legal_consultation', communityCode: territory.yonghe.code })
    expect(again).toMatchObject({ level: 'department', departmentCode: 'justice_bureau' })
  })

  it('names the department by its row when the territory has one', async () => {
    // The migration brings the department; an admin may rename it, and the reason follows the row.
    await db.ds.getRepository(Department).update({ code: 'health_commission' }, { name: '平城区卫生健康委员会' })
    invalidateRoutingReference(db.ds)
    const d = await decideRoute(db.ds.manager, deps, { category: 'testing_point_request', kind: 'testing_point_request', communityCode: territory.lvdi.code })
    expect(d).toMatchObject({ level: 'community', departmentCode: 'health_commission' })
    expect(d.reason).toContain('平城区卫生健康委员会')
  })
})

describe('decideRoute: refusals', () => {
  it('refuses a point in no grid with 400 out_of_district', async () => {
    const p = await problemOf(decideRoute(db.ds.manager, deps, { category: 'sanitation', kind: 'report', location: { lat: 40.13, lng: 113.31 } }))
    expect(p).toMatchObject({ status: 400, code: 'out_of_district' })
    expect(p.errors?.[0]?.path).toBe('location')
  })

  it('refuses a point far outside the district with 400 out_of_district', async () => {
    const p = await problemOf(decideRoute(db.ds.manager, deps, { category: 'sanitation', kind: 'report', location: { lat: 39.9, lng: 116.4 } }))
    expect(p.code).toBe('out_of_district')
  })

  it('refuses an unknown category with 400 unknown_category', async () => {
    const p = await problemOf(decideRoute(db.ds.manager, deps, { category: 'no_such_thing', kind: 'report' }))
    expect(p).toMatchObject({ status: 400, code: 'unknown_category' })
  })

  it('refuses a category of another kind with 400 unknown_category', async () => {
    const p = await problemOf(decideRoute(db.ds.manager, deps, { category: 'telecom_fraud', kind: 'report' }))
    expect(p.code).toBe('unknown_category')
  })

  it('refuses an unknown community with 400 validation_failed on communityCode', async () => {
    const p = await problemOf(decideRoute(db.ds.manager, deps, { category: 'other', kind: 'report', communityCode: '999999999999' }))
    expect(p).toMatchObject({ status: 400, code: 'validation_failed' })
    expect(p.errors?.[0]?.path).toBe('communityCode')
  })

  it('fails loudly with routing_failed, logging the inputs, when a rule names a department that does not exist', async () => {
    const now = new Date()
    // Written past the API on purpose: the API refuses such a rule, but a department can disappear later.
    await db.ds.getRepository(RoutingRule).insert({ id: 'ghost-rule', category: 'gas', departmentCode: 'ghost_bureau', mode: 'instead', active: true, createdAt: now, updatedAt: now })
    invalidateRoutingReference(db.ds)
    logged.length = 0
    const p = await problemOf(decideRoute(db.ds.manager, deps, { category: 'gas', kind: 'hazard_tip', location: territory.g12.center }))
    expect(p).toMatchObject({ status: 500, code: 'routing_failed' })
    expect(logged).toHaveLength(1)
    expect(logged[0]).toMatchObject({ code: 'routing_failed', inputs: { category: 'gas', kind: 'hazard_tip', location: territory.g12.center } })
  })
})

describe('routeOneLevelUp', () => {
  const base = { category: 'sanitation', gridCode: '066-012', communityCode: '140213066001', streetCode: '140213066', reason: '超时未签收' }

  it('moves grid → community → street → district, and the district stays', async () => {
    const community = await routeOneLevelUp(db.ds.manager, deps, { ...base, level: 'grid' })
    expect(community).toMatchObject({ level: 'community', assigneeId: null, gridCode: '066-012', communityCode: '140213066001' })
    expect(community.reason).toBe('由网格 066-012上报至永和社区队列：超时未签收')
    const street = await routeOneLevelUp(db.ds.manager, deps, { ...base, level: 'community' })
    expect(street).toMatchObject({ level: 'street', streetCode: '140213066' })
    expect(street.reason).toContain('水泊寺街道综治中心')
    const district = await routeOneLevelUp(db.ds.manager, deps, { ...base, level: 'street' })
    expect(district.level).toBe('district')
    const stays = await routeOneLevelUp(db.ds.manager, deps, { ...base, level: 'district' })
    expect(stays.level).toBe('district')
  })

  it('skips levels it has no code for: a community-less ticket goes from the grid to the street', async () => {
    const d = await routeOneLevelUp(db.ds.manager, deps, { ...base, communityCode: null, level: 'grid' })
    expect(d.level).toBe('street')
  })

  it('hands a department ticket back to the district centre, leaving the department queue', async () => {
    const d = await routeOneLevelUp(db.ds.manager, deps, { ...base, category: 'online_fraud', level: 'department', reason: '不属于本部门职责' })
    expect(d).toMatchObject({ level: 'district', departmentCode: null })
  })

  it('keeps a beside department on the way up', async () => {
    const d = await routeOneLevelUp(db.ds.manager, deps, { ...base, category: 'self_built_house', level: 'grid' })
    expect(d).toMatchObject({ level: 'community', departmentCode: 'housing_bureau' })
  })
})
