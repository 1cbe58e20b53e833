import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HazardViewSchema, ProblemSchema } from '@palm/shared'
import { createTestContext, type TestContext } from '../../../test/test-app'
import { bearer, createUser } from '../../../test/factories'
import { createServiceStaff, createServiceTerritory, idemKey, type ServiceTerritory } from '../../../test/services-factories'
import type { User } from '../auth/user.entity'
import { Ticket } from '../tickets/index'
import { HazardEntry } from './hazard.entity'

let t: TestContext
let territory: ServiceTerritory
let staff: Awaited<ReturnType<typeof createServiceStaff>>
let reporter: User
const auth = (u: Pick<User, 'id' | 'role'>) => bearer(t.deps.config, u)

beforeAll(async () => {
  t = await createTestContext()
  t.setNow(new Date('2026-12-01T02:00:00Z'))
  territory = await createServiceTerritory(t.db.ds)
  staff = await createServiceStaff(t.db.ds, territory)
  reporter = await createUser(t.db.ds, 'resident', { displayName: '举报人甲' })
})
afterAll(async () => {
  await t.close()
})

const tip = (body: Record<string, unknown>) =>
  request(t.server)
    .post('/api/tickets')
    .set('Authorization', auth(reporter))
    .set('Idempotency-Key', idemKey())
    .send({ location: territory.g1.center, ...body })

describe('fraud tips are checked by kind', () => {
  it('returns 400 with details.phone for an invalid phone number, and files nothing', async () => {
    const before = await t.db.ds.getRepository(Ticket).count()
    const res = await tip({ kind: 'fraud_tip', category: 'telecom_fraud', description: '冒充公检法', anonymous: true, details: { phone: '12345' } })
    expect(res.status).toBe(400)
    expect(ProblemSchema.parse(res.body).errors?.[0]?.path).toBe('details.phone')
    expect(await t.db.ds.getRepository(Ticket).count()).toBe(before)
  })

  it('returns 400 with details.url for a link that is not http(s)', async () => {
    const res = await tip({ kind: 'fraud_tip', category: 'online_fraud', description: '钓鱼链接', details: { url: 'javascript:alert(1)' } })
    expect(res.status).toBe(400)
    expect(res.body.errors[0].path).toBe('details.url')
  })

  it('files a valid anonymous tip to the anti-fraud centre', async () => {
    const res = await tip({
      kind: 'fraud_tip',
      category: 'investment_fraud',
      description: '群里推荐的理财 App 无法提现',
      anonymous: true,
      details: { phone: '0352-7654321', url: 'https://licai.example.cn', appName: '某某理财', amountLost: 5000 }
    })
    expect(res.status).toBe(201)
    expect(res.body.department.code).toBe('anti_fraud_centre')
  })
})

describe('verified hazard tips enter the ledger', () => {
  it('enters an accepted self-built-house tip as verified, without its anonymous reporter', async () => {
    const filed = await tip({
      kind: 'hazard_tip',
      category: 'self_built_house',
      description: '邻居私自加盖三层，墙体有裂缝',
      anonymous: true,
      details: { hazardKind: 'self_built_house', place: '永和社区7号院', building: '7号楼' }
    })
    expect(filed.status).toBe(201)
    const ticketId = filed.body.id as string
    const early = await request(t.server).post(`/api/hazards/from-ticket/${ticketId}`).set('Authorization', auth(staff.w1)).send({ riskLevel: 'high' })
    expect(early.status).toBe(409)
    expect(early.body.code).toBe('invalid_transition')

    const accepted = await request(t.server).post(`/api/tickets/${ticketId}/transitions`).set('Authorization', auth(staff.w1)).send({ event: 'accept' })
    expect(accepted.status).toBe(200)
    const outsider = await request(t.server).post(`/api/hazards/from-ticket/${ticketId}`).set('Authorization', auth(staff.sa2)).send({ riskLevel: 'high' })
    expect(outsider.status).toBe(404)

    const res = await request(t.server).post(`/api/hazards/from-ticket/${ticketId}`).set('Authorization', auth(staff.w1)).send({ riskLevel: 'high' })
    expect(res.status).toBe(201)
    const view = HazardViewSchema.parse(res.body)
    expect(view).toMatchObject({ status: 'verified', kind: 'self_built_house', place: '永和社区7号院', building: '7号楼', sourceTicketId: ticketId, gridCode: territory.g1.code })
    expect(JSON.stringify(res.body)).not.toContain('举报人甲')
    expect(JSON.stringify(res.body)).not.toContain(reporter.id)
    const row = await t.db.ds.getRepository(HazardEntry).findOneByOrFail({ id: view.id })
    expect(row.departmentCode).toBe('housing_bureau')

    const housing = await request(t.server).get(`/api/hazards/${view.id}`).set('Authorization', auth(staff.housing))
    expect(housing.status).toBe(200)
    const csv = await request(t.server).get('/api/hazards/export.csv').set('Authorization', auth(staff.sa1))
    expect(csv.text).toContain('永和社区7号院')
    expect(csv.text).not.toContain('举报人甲')

    const twice = await request(t.server).post(`/api/hazards/from-ticket/${ticketId}`).set('Authorization', auth(staff.w1)).send({ riskLevel: 'high' })
    expect(twice.status).toBe(409)
    expect(await t.db.ds.getRepository(HazardEntry).countBy({ sourceTicketId: ticketId })).toBe(1)
  })

  it('returns 404 for a ticket that is not a hazard tip', async () => {
    const filed = await tip({ kind: 'report', category: 'sanitation', description: '垃圾堆积' })
    const res = await request(t.server).post(`/api/hazards/from-ticket/${filed.body.id}`).set('Authorization', auth(staff.da)).send({})
    expect(res.status).toBe(404)
  })
})
