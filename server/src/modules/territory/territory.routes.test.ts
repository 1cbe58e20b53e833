import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { CommunityViewSchema, DepartmentViewSchema, GridViewSchema, LocateViewSchema, ProblemSchema, SEED_PLACES, STREETS, StreetViewSchema } from '@palm/shared'
import { createTestContext, type TestContext } from '../../../test/test-app'
import { bearer, createUser } from '../../../test/factories'
import { planTerritory, seedTerritory } from '../demo/index'
import { containsPoint } from './grid-index'

let t: TestContext
beforeAll(async () => {
  t = await createTestContext()
  await seedTerritory(t.deps)
})
afterAll(async () => {
  await t.close()
})

function expectValidationProblem(res: request.Response, path: string) {
  expect(res.status).toBe(400)
  expect(res.headers['content-type']).toMatch(/application\/problem\+json/)
  const problem = ProblemSchema.parse(res.body)
  expect(problem.code).toBe('validation_failed')
  expect(problem.errors?.map((e) => e.path)).toContain(path)
}

describe('GET /api/territory/streets', () => {
  it('lists the 18 sub-districts with their codes, without sign-in', async () => {
    const res = await request(t.server).get('/api/territory/streets')
    expect(res.status).toBe(200)
    const streets = z.array(StreetViewSchema).parse(res.body)
    expect(streets).toEqual(STREETS.map((s) => ({ code: s.code, name: s.name })))
  })

  it('answers the same to a signed-in resident', async () => {
    const resident = await createUser(t.deps.ds, 'resident')
    const res = await request(t.server).get('/api/territory/streets').set('Authorization', bearer(t.deps.config, resident))
    expect(res.status).toBe(200)
    expect(res.body).toHaveLength(18)
  })

  it('is read-only: POST answers 405 problem+json', async () => {
    const res = await request(t.server).post('/api/territory/streets').send({ code: '140213099', name: 'x' })
    expect(res.status).toBe(405)
    ProblemSchema.parse(res.body)
  })
})

describe('GET /api/territory/communities', () => {
  it('lists a street’s communities and villages, 永和社区 among 水泊寺’s, marked synthetic', async () => {
    const res = await request(t.server).get('/api/territory/communities').query({ streetCode: '140213066' })
    expect(res.status).toBe(200)
    const communities = z.array(CommunityViewSchema).parse(res.body)
    expect(communities.every((c) => c.streetCode === '140213066' && c.synthetic)).toBe(true)
    expect(communities).toContainEqual({ code: SEED_PLACES.yongheCommunity.communityCode, name: '永和社区', streetCode: '140213066', kind: 'community', synthetic: true })
    expect(communities.some((c) => c.kind === 'village')).toBe(true)
  })

  it('lists every community of the district when no street is given', async () => {
    const res = await request(t.server).get('/api/territory/communities')
    expect(res.status).toBe(200)
    expect(z.array(CommunityViewSchema).parse(res.body).length).toBe(planTerritory().communities.length)
  })

  it('answers 404 not_found for a street that does not exist', async () => {
    const res = await request(t.server).get('/api/territory/communities').query({ streetCode: '140213099' })
    expect(res.status).toBe(404)
    expect(ProblemSchema.parse(res.body).code).toBe('not_found')
  })

  it('answers 400 with the path for a malformed street code', async () => {
    expectValidationProblem(await request(t.server).get('/api/territory/communities').query({ streetCode: '066' }), 'streetCode')
  })
})

describe('GET /api/territory/departments', () => {
  it('lists the departments, housing, justice, anti-fraud and health among them', async () => {
    const res = await request(t.server).get('/api/territory/departments')
    expect(res.status).toBe(200)
    const departments = z.array(DepartmentViewSchema).parse(res.body)
    expect(departments.map((d) => d.code)).toEqual(expect.arrayContaining(['housing_bureau', 'justice_bureau', 'anti_fraud_centre', 'health_commission']))
    expect(departments.find((d) => d.code === 'housing_bureau')?.name).toBe('区住建局')
  })
})

describe('GET /api/territory/grids', () => {
  it('gives a community’s grids with GeoJSON polygons that hold the community’s seed point', async () => {
    const res = await request(t.server).get('/api/territory/grids').query({ communityCode: SEED_PLACES.yongheCommunity.communityCode })
    expect(res.status).toBe(200)
    const grids = z.array(GridViewSchema).parse(res.body)
    expect(grids.length).toBeGreaterThan(0)
    expect(grids.every((g) => g.communityCode === SEED_PLACES.yongheCommunity.communityCode && g.synthetic)).toBe(true)
    const holding = grids.filter((g) => containsPoint(g.polygon.coordinates, SEED_PLACES.yongheCommunity.point))
    expect(holding).toHaveLength(1)
  })

  it('gives a street’s grids', async () => {
    const res = await request(t.server).get('/api/territory/grids').query({ streetCode: '140213066' })
    expect(res.status).toBe(200)
    const grids = z.array(GridViewSchema).parse(res.body)
    expect(grids.length).toBe(planTerritory().grids.filter((g) => g.streetCode === '140213066').length)
  })

  it('answers 400 with the path when neither a community nor a street is named', async () => {
    expectValidationProblem(await request(t.server).get('/api/territory/grids'), 'communityCode')
  })

  it('answers 400 with the path for a malformed community code', async () => {
    expectValidationProblem(await request(t.server).get('/api/territory/grids').query({ communityCode: 'yonghe' }), 'communityCode')
  })

  it('answers 404 not_found for a community that does not exist', async () => {
    const res = await request(t.server).get('/api/territory/grids').query({ communityCode: '140213066999' })
    expect(res.status).toBe(404)
    expect(ProblemSchema.parse(res.body).code).toBe('not_found')
  })
})

describe('GET /api/territory/locate', () => {
  it('puts 永和社区’s point in 永和社区 of 水泊寺街道, marked synthetic', async () => {
    const res = await request(t.server).get('/api/territory/locate').query(SEED_PLACES.yongheCommunity.point)
    expect(res.status).toBe(200)
    const view = LocateViewSchema.parse(res.body)
    expect(view.street).toEqual({ code: '140213066', name: '水泊寺街道' })
    expect(view.community).toEqual({ code: SEED_PLACES.yongheCommunity.communityCode, name: '永和社区', synthetic: true })
    expect(view.grid.code).toMatch(/^066-\d{3}$/)
    expect(view.grid.synthetic).toBe(true)
  })

  it('finds the right grid for a point inside each of 永和社区’s grids', async () => {
    const plan = planTerritory()
    for (const g of plan.grids.filter((x) => x.communityCode === SEED_PLACES.yongheCommunity.communityCode)) {
      const point = plan.tiling.pointInCell(g.cell.row, g.cell.col, 0.35, 0.65)
      const res = await request(t.server).get('/api/territory/locate').query(point)
      expect(res.status).toBe(200)
      expect(LocateViewSchema.parse(res.body).grid).toEqual({ code: g.code, name: g.name, synthetic: true })
    }
  })

  it('locates 御龙庭三期 into its community', async () => {
    const res = await request(t.server).get('/api/territory/locate').query(SEED_PLACES.yulongting3.point)
    expect(res.status).toBe(200)
    expect(LocateViewSchema.parse(res.body).community.code).toBe(SEED_PLACES.yulongting3.communityCode)
  })

  it.each([
    ['Beijing', { lat: '39.9042', lng: '116.4074' }],
    ['just south of the district', { lat: '40.0199999', lng: '113.25' }],
    ['on the district box’s east side', { lat: '40.08', lng: '113.32' }],
    ['on the district box’s north side', { lat: '40.14', lng: '113.25' }]
  ])('answers 404 out_of_district for a point %s', async (_where, query) => {
    const res = await request(t.server).get('/api/territory/locate').query(query)
    expect(res.status).toBe(404)
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/)
    expect(ProblemSchema.parse(res.body).code).toBe('out_of_district')
  })

  it('answers 200 on the box’s south-west corner, which belongs to the district', async () => {
    const res = await request(t.server).get('/api/territory/locate').query({ lat: '40.02', lng: '113.18' })
    expect(res.status).toBe(200)
    expect(LocateViewSchema.parse(res.body).grid.code).toBeTruthy()
  })

  it.each([
    ['lat', 'missing', '/api/territory/locate?lng=113.25'],
    ['lng', 'missing', '/api/territory/locate?lat=40.08'],
    ['lat', 'not a number', '/api/territory/locate?lat=abc&lng=113.25'],
    ['lat', 'empty', '/api/territory/locate?lat=&lng=113.25'],
    ['lng', 'in exponent form', '/api/territory/locate?lat=40.08&lng=1e2'],
    ['lat', 'out of range', '/api/territory/locate?lat=91&lng=113.25'],
    ['lng', 'out of range', '/api/territory/locate?lat=40.08&lng=-181'],
    ['lat', 'given twice', '/api/territory/locate?lat=40.08&lat=40.09&lng=113.25']
  ])('answers 400 with path %s when it is %s', async (path, _how, url) => {
    expectValidationProblem(await request(t.server).get(url), path)
  })
})
