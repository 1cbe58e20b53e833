import request from 'supertest'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { HazardViewSchema, ProblemSchema } from '@palm/shared'
import { createTestContext, type TestContext } from '../../../test/test-app'
import { bearer, createUser } from '../../../test/factories'
import { createServiceStaff, createServiceTerritory, type ServiceTerritory } from '../../../test/services-factories'
import type { User } from '../auth/user.entity'
import { HazardEntry, HazardEntryEvent } from './hazard.entity'

const NOW = new Date('2026-12-01T02:00:00Z')
const DAY = 86_400_000

let t: TestContext
let territory: ServiceTerritory
let staff: Awaited<ReturnType<typeof createServiceStaff>>
const auth = (u: Pick<User, 'id' | 'role'>) => bearer(t.deps.config, u)

beforeAll(async () => {
  t = await createTestContext()
  territory = await createServiceTerritory(t.db.ds)
  staff = await createServiceStaff(t.db.ds, territory)
})
afterAll(async () => {
  await t.close()
})
beforeEach(() => {
  t.setNow(NOW)
})

async function report(user: User, body: Record<string, unknown> = {}) {
  return request(t.server)
    .post('/api/hazards')
    .set('Authorization', auth(user))
    .send({ place: '永和社区3号院', building: '3号楼', kind: 'self_built_house', riskLevel: 'high', description: '加盖两层，墙体开裂', ...body })
}

async function fire(user: User, id: string, body: Record<string, unknown>) {
  return request(t.server).post(`/api/hazards/${id}/transitions`).set('Authorization', auth(user)).send(body)
}

describe('entering hazards', () => {
  it("puts a grid worker's inspection in their own grid, status reported, with the housing bureau on self-built houses", async () => {
    const res = await report(staff.w1)
    expect(res.status).toBe(201)
    const view = HazardViewSchema.parse(res.body)
    expect(view).toMatchObject({ status: 'reported', gridCode: territory.g1.code, street: { code: territory.s1.code, name: '水泊寺街道' }, overdue: false })
    expect(view.events?.[0]).toMatchObject({ event: 'report', toStatus: 'reported' })
    const row = await t.db.ds.getRepository(HazardEntry).findOneByOrFail({ id: view.id })
    expect(row.departmentCode).toBe('housing_bureau')
  })

  it('returns 404 when a grid worker enters a hazard in another grid, and stores nothing', async () => {
    const before = await t.db.ds.getRepository(HazardEntry).count()
    const res = await report(staff.w1, { gridCode: territory.g3.code })
    expect(res.status).toBe(404)
    expect(await t.db.ds.getRepository(HazardEntry).count()).toBe(before)
  })

  it('places an entry by its location through the grid index', async () => {
    const res = await report(staff.sa1, { location: territory.g2.center, kind: 'gas', riskLevel: 'medium' })
    expect(res.status).toBe(201)
    expect(res.body.community.code).toBe(territory.ca2.code)
  })

  it('refuses residents (403)', async () => {
    const resident = await createUser(t.db.ds, 'resident')
    expect((await report(resident)).status).toBe(403)
    expect((await request(t.server).get('/api/hazards').set('Authorization', auth(resident))).status).toBe(403)
  })

  it('returns 400 with the field path for an unknown kind', async () => {
    const res = await report(staff.w1, { kind: 'earthquake' })
    expect(res.status).toBe(400)
    expect(ProblemSchema.parse(res.body).errors?.[0]?.path).toBe('kind')
  })
})

describe('the ledger life cycle (挂单销账)', () => {
  it('moves reported → verified → appraised → rectifying → closed, recording each step', async () => {
    const id = (await report(staff.w1)).body.id as string
    expect((await fire(staff.w1, id, { event: 'verify', note: '现场核实属实' })).body.status).toBe('verified')
    const appraised = await fire(staff.csA, id, { event: 'appraise', appraisal: 'C级危房', appraisalOrg: '大同市房屋安全鉴定所', riskLevel: 'critical' })
    expect(appraised.body).toMatchObject({ status: 'appraised', riskLevel: 'critical', appraisal: 'C级危房' })
    const deadline = new Date(NOW.getTime() + 30 * DAY).toISOString()
    const rectifying = await fire(staff.csA, id, { event: 'start_rectification', rectificationPlan: '拆除加盖部分', rectificationDeadline: deadline })
    expect(rectifying.body).toMatchObject({ status: 'rectifying', rectificationDeadline: deadline, overdue: false })
    const closed = await fire(staff.sa1, id, { event: 'close', note: '加盖部分已拆除，复查合格' })
    const view = HazardViewSchema.parse(closed.body)
    expect(view.status).toBe('closed')
    expect(view.closedAt).not.toBeNull()
    expect(view.events?.map((e) => e.event)).toEqual(['report', 'verify', 'appraise', 'start_rectification', 'close'])
    expect(await t.db.ds.getRepository(HazardEntryEvent).countBy({ entryId: id })).toBe(5)
  })

  it('returns 409 invalid_transition for a skipped step and changes nothing', async () => {
    const id = (await report(staff.w1)).body.id as string
    const res = await fire(staff.w1, id, { event: 'close', note: '直接销账' })
    expect(res.status).toBe(409)
    expect(res.body.code).toBe('invalid_transition')
    expect((await t.db.ds.getRepository(HazardEntry).findOneByOrFail({ id })).status).toBe('reported')
  })

  it('returns 400 when rectification has no deadline', async () => {
    const id = (await report(staff.w1)).body.id as string
    await fire(staff.w1, id, { event: 'verify' })
    const res = await fire(staff.csA, id, { event: 'start_rectification', rectificationPlan: '加固' })
    expect(res.status).toBe(400)
    expect(res.body.errors[0].path).toBe('rectificationDeadline')
  })

  it('flags an entry overdue once its deadline passes while it is still open', async () => {
    const id = (await report(staff.w1)).body.id as string
    await fire(staff.w1, id, { event: 'verify' })
    await fire(staff.csA, id, { event: 'start_rectification', rectificationPlan: '更换燃气管', rectificationDeadline: new Date(NOW.getTime() + 2 * DAY).toISOString() })
    t.setNow(new Date(NOW.getTime() + 3 * DAY))
    const res = await request(t.server).get(`/api/hazards/${id}`).set('Authorization', auth(staff.csA))
    expect(res.body.overdue).toBe(true)
    const overdue = await request(t.server).get('/api/hazards').query({ overdue: 'true' }).set('Authorization', auth(staff.csA))
    expect(overdue.body.items.map((h: { id: string }) => h.id)).toContain(id)
  })

  it('returns 404 to staff of another street acting on an entry', async () => {
    const id = (await report(staff.w1)).body.id as string
    const res = await fire(staff.sa2, id, { event: 'verify' })
    expect(res.status).toBe(404)
    expect((await request(t.server).get(`/api/hazards/${id}`).set('Authorization', auth(staff.csB))).status).toBe(404)
  })
})

describe('lists and the CSV export', () => {
  it("shows each street admin only their street's rows, whatever streetCode they ask for", async () => {
    await report(staff.w3, { place: '永泰某院', kind: 'fire' })
    const mine = await request(t.server).get('/api/hazards').set('Authorization', auth(staff.sa1))
    expect(mine.status).toBe(200)
    expect(mine.body.items.length).toBeGreaterThan(0)
    expect(mine.body.items.every((h: { street: { code: string } }) => h.street.code === territory.s1.code)).toBe(true)
    const other = await request(t.server).get('/api/hazards').query({ streetCode: territory.s2.code }).set('Authorization', auth(staff.sa1))
    expect(other.body.items).toEqual([])
    const da = await request(t.server).get('/api/hazards').query({ streetCode: territory.s2.code }).set('Authorization', auth(staff.da))
    expect(da.body.items.length).toBeGreaterThan(0)
  })

  it('pages with a cursor without repeating or skipping rows', async () => {
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const query: Record<string, string> = { limit: '2', ...(cursor ? { cursor } : {}) }
      const res = await request(t.server).get('/api/hazards').query(query).set('Authorization', auth(staff.da))
      seen.push(...res.body.items.map((h: { id: string }) => h.id))
      cursor = res.body.nextCursor
    } while (cursor)
    expect(new Set(seen).size).toBe(seen.length)
    expect(seen.length).toBe(await t.db.ds.getRepository(HazardEntry).count())
  })

  it('exports UTF-8 CSV with a BOM, quoted cells and formulas defused, in scope only', async () => {
    await report(staff.w1, { place: '=HYPERLINK("http://evil.example","点我")', building: '5号楼, 东单元', description: '第一行\n第二行 "引号"' })
    const res = await request(t.server)
      .get('/api/hazards/export.csv')
      .set('Authorization', auth(staff.sa1))
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = []
        r.on('data', (c: Buffer) => chunks.push(c))
        r.on('end', () => cb(null, Buffer.concat(chunks)))
      })
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8')
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="hazard-ledger-2026-12-01\.csv"/)
    const bytes = res.body as Buffer
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const text = bytes.toString('utf8').slice(1)
    expect(text.split('\r\n')[0]).toBe('台账编号,街道,社区,网格,地点,楼栋,隐患类型,风险等级,状态,鉴定机构,鉴定结论,整改方案,整改期限,是否逾期,登记时间,销账时间,情况描述')
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""点我"")"`)
    expect(text).toContain('"5号楼, 东单元"')
    expect(text).toContain('"第一行\n第二行 ""引号"""')
    expect(text).not.toContain('永泰某院')
  })

  it('exports nothing of another street to a street admin', async () => {
    const res = await request(t.server).get('/api/hazards/export.csv').query({ streetCode: territory.s1.code }).set('Authorization', auth(staff.sa2))
    expect(res.status).toBe(200)
    expect(
      res.text
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\r\n')
    ).toHaveLength(1)
  })
})
