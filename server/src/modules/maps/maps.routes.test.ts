import { MapGridsViewSchema, MapTicketsViewSchema, MetaViewSchema, ProblemSchema, StationViewSchema, TicketViewSchema } from '@palm/shared'
import request from 'supertest'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { loadConfig, ConfigError } from '../../config'
import { tileImageSources } from '../../http/security'
import { bearer } from '../../../test/factories'
import { insertTicketRow } from '../../../test/routing-factories'
import { createStationRow } from '../../../test/services-factories'
import { MONDAY_MORNING, createTicketWorld, reportBody, submitTicket, type TicketWorld } from '../../../test/tickets-factories'
import { createTestContext, type TestContext } from '../../../test/test-app'
import { LegalStation } from '../legal/legal.entity'
import { Ticket } from '../tickets/index'
import { convertPoint, pointsToStored } from '../../http/coords'

/*
 * docs/maps.md: one coordinate system (WGS-84 stored, converted at the edge with gcoord), the grid
 * layer, the staff map in scope, stations by distance. Runs on SQLite and MariaDB (TEST_DB).
 */

let t: TestContext
let w: TicketWorld

beforeAll(async () => {
  t = await createTestContext()
  w = await createTicketWorld(t.db.ds)
})
afterAll(async () => {
  await t.close()
})
beforeEach(() => {
  t.setNow(MONDAY_MORNING)
})

const count = () => t.db.ds.getRepository(Ticket).count()
const auth = (user: { id: string; role: string }) => bearer(t.deps.config, user as never)

function expectProblem(res: request.Response, status: number, code: string, path?: string) {
  expect(res.status).toBe(status)
  expect(res.headers['content-type']).toContain('application/problem+json')
  const problem = ProblemSchema.parse(res.body)
  expect(problem.code).toBe(code)
  if (path !== undefined) expect(problem.errors?.map((e) => e.path)).toContain(path)
}

describe('conversion (gcoord, known pairs)', () => {
  it('GCJ-02 (113.25, 40.08) is WGS-84 (113.2430453, 40.0788450), as the territory import converts it', () => {
    expect(convertPoint({ lat: 40.08, lng: 113.25 }, 'gcj02', 'wgs84')).toEqual({ lat: 40.078845, lng: 113.2430453 })
  })

  it('WGS-84 → GCJ-02 in Datong is about 590 m east and 130 m north, and back to within 1e-6°', () => {
    const gcj = convertPoint({ lat: 40.055, lng: 113.255 }, 'wgs84', 'gcj02')
    expect(gcj.lng).toBeCloseTo(113.26195, 4)
    expect(gcj.lat).toBeCloseTo(40.05615, 4)
    const back = convertPoint(gcj, 'gcj02', 'wgs84')
    expect(Math.abs(back.lat - 40.055)).toBeLessThan(1e-6)
    expect(Math.abs(back.lng - 113.255)).toBeLessThan(1e-6)
  })

  it('BD-09 is GCJ-02 shifted by about (0.0065, 0.006), and wgs84 stays as it is', () => {
    const gcj = convertPoint({ lat: 40.055, lng: 113.255 }, 'wgs84', 'gcj02')
    const bd = convertPoint({ lat: 40.055, lng: 113.255 }, 'wgs84', 'bd09')
    expect(bd.lng - gcj.lng).toBeCloseTo(0.0064, 3)
    expect(bd.lat - gcj.lat).toBeCloseTo(0.0062, 3)
    expect(convertPoint({ lat: 40.055, lng: 113.255 }, 'wgs84', 'wgs84')).toEqual({ lat: 40.055, lng: 113.255 })
  })

  it('the edge converts every declared point of a parsed body and drops the declaration; a bare coordSystem stays', () => {
    const body = { location: { lat: 40.08, lng: 113.25, coordSystem: 'gcj02' }, list: [{ lat: 40.08, lng: 113.25 }], coordSystem: 'gcj02' }
    pointsToStored(body)
    expect(body.location).toEqual({ lat: 40.078845, lng: 113.2430453 })
    expect(body.list[0]).toEqual({ lat: 40.08, lng: 113.25 })
    expect(body.coordSystem).toBe('gcj02')
  })
})

describe('a ticket’s GPS point and its map-picked point land in the same grid', () => {
  it('GPS (wgs84, the default) and WeChat’s map (gcj02 of the same spot) both route to 永和一网格, stored within a metre', async () => {
    const gps = w.g1.center
    const picked = { ...convertPoint(gps, 'wgs84', 'gcj02'), coordSystem: 'gcj02' }
    const a = TicketViewSchema.parse((await submitTicket(t, w.users.R1, reportBody(w, { location: gps }))).body)
    const b = TicketViewSchema.parse((await submitTicket(t, w.users.R2, reportBody(w, { location: picked }))).body)
    expect(a.grid?.code).toBe(w.g1.code)
    expect(b.grid?.code).toBe(w.g1.code)
    expect(a.location).toEqual({ ...gps, coordSystem: 'wgs84' })
    expect(b.location?.coordSystem).toBe('wgs84')
    expect(Math.abs((b.location?.lat ?? 0) - gps.lat)).toBeLessThan(1e-5)
    expect(Math.abs((b.location?.lng ?? 0) - gps.lng)).toBeLessThan(1e-5)
  })

  it('the same GCJ-02 numbers declared as wgs84 land ~600 m east, in the next grid: why the system must be said', async () => {
    const picked = convertPoint(w.g1.center, 'wgs84', 'gcj02')
    const view = TicketViewSchema.parse((await submitTicket(t, w.users.R3, reportBody(w, { location: { ...picked, coordSystem: 'wgs84' } }))).body)
    expect(view.grid?.code).toBe(w.g2.code)
  })

  it('locate answers the grid under a GCJ-02 point when told so', async () => {
    const picked = convertPoint(w.g1.center, 'wgs84', 'gcj02')
    const res = await request(t.server)
      .get('/api/territory/locate')
      .query({ ...picked, coordSystem: 'gcj02' })
    expect(res.status).toBe(200)
    expect(res.body.grid.code).toBe(w.g1.code)
  })
})

describe('bad points: problem+json with a stable code, nothing written', () => {
  it.each([
    ['an unknown system', { lat: 40.055, lng: 113.255, coordSystem: 'epsg3857' }, 400, 'unsupported_coordinate_system', 'location.coordSystem'],
    ['a system spelt otherwise', { lat: 40.055, lng: 113.255, coordSystem: 'GCJ-02' }, 400, 'unsupported_coordinate_system', 'location.coordSystem'],
    ['a system that is no string', { lat: 40.055, lng: 113.255, coordSystem: 2 }, 400, 'unsupported_coordinate_system', 'location.coordSystem'],
    ['a GCJ-02 point outside the district (Beijing)', { lat: 39.9087, lng: 116.3975, coordSystem: 'gcj02' }, 400, 'out_of_district', 'location'],
    ['a BD-09 point in the box but in no grid', { lat: 40.135, lng: 113.315, coordSystem: 'bd09' }, 400, 'out_of_district', 'location'],
    ['lat and lng swapped (declared wgs84)', { lat: 113.255, lng: 40.055, coordSystem: 'wgs84' }, 400, 'validation_failed', 'location.lat']
  ])('%s', async (_name, location, status, code, path) => {
    const before = await count()
    expectProblem(await submitTicket(t, w.users.R1, reportBody(w, { location })), status, code, path)
    expect(await count()).toBe(before)
  })

  it('locate: an unknown system is 400 unsupported_coordinate_system; a converted point outside is 404 out_of_district', async () => {
    expectProblem(await request(t.server).get('/api/territory/locate').query({ lat: 40.055, lng: 113.255, coordSystem: 'mercator' }), 400, 'unsupported_coordinate_system', 'coordSystem')
    expectProblem(await request(t.server).get('/api/territory/locate').query({ lat: 39.9, lng: 116.4, coordSystem: 'gcj02' }), 404, 'out_of_district')
  })

  it('the map reads refuse an unknown system and unknown parameters', async () => {
    expectProblem(await request(t.server).get('/api/map/grids').query({ coordSystem: 'utm' }), 400, 'unsupported_coordinate_system', 'coordSystem')
    expectProblem(await request(t.server).get('/api/map/grids').query({ bbox: '1,2,3,4' }), 400, 'validation_failed', 'bbox')
    expectProblem(await request(t.server).get('/api/map/tickets').set('Authorization', auth(w.users.W1)).query({ coordSystem: 'x' }), 400, 'unsupported_coordinate_system', 'coordSystem')
  })
})

describe('GET /api/map/grids: the grid layer as GeoJSON', () => {
  it('serves every grid (public) in WGS-84 and says so, with a bounding box', async () => {
    const res = await request(t.server).get('/api/map/grids')
    expect(res.status).toBe(200)
    const view = MapGridsViewSchema.parse(res.body)
    expect(view.coordSystem).toBe('wgs84')
    const g1 = view.features.find((f) => f.id === w.g1.code)
    expect(g1?.properties).toMatchObject({ name: '永和一网格', communityCode: w.ca.code, communityName: '永和社区', streetCode: w.s1.code })
    expect(g1?.geometry.coordinates[0]?.[0]).toEqual([113.25, 40.05])
    expect(view.bbox?.[0]).toBeLessThanOrEqual(113.2)
  })

  it('filters by community and by grid codes, and converts to GCJ-02 for WeChat’s map', async () => {
    const community = MapGridsViewSchema.parse((await request(t.server).get('/api/map/grids').query({ communityCode: w.ca.code })).body)
    expect(community.features.map((f) => f.id).sort()).toEqual([w.g1.code, w.g2.code])
    const gcj = MapGridsViewSchema.parse((await request(t.server).get('/api/map/grids').query({ gridCodes: w.g3.code, coordSystem: 'gcj02' })).body)
    expect(gcj.coordSystem).toBe('gcj02')
    expect(gcj.features.map((f) => f.id)).toEqual([w.g3.code])
    const [lng, lat] = gcj.features[0]?.geometry.coordinates[0]?.[0] ?? [0, 0]
    expect(convertPoint({ lat, lng }, 'gcj02', 'wgs84').lng).toBeCloseTo(113.2, 5)
  })
})

describe('GET /api/map/tickets: each staff member’s scope only', () => {
  const ids: Record<string, string> = {}
  beforeAll(async () => {
    const row = async (name: string, grid: typeof w.g1, fields: Parameters<typeof insertTicketRow>[1] = {}) => {
      const ticket = await insertTicketRow(t.db.ds, {
        gridCode: grid.code,
        communityCode: grid.communityCode,
        streetCode: grid.streetCode,
        lat: grid.center.lat,
        lng: grid.center.lng,
        description: `地图测试 ${name}`,
        ...fields
      })
      ids[name] = ticket.id
    }
    await row('g1', w.g1)
    await row('g1-overdue', w.g1, { dueAt: new Date(MONDAY_MORNING.getTime() - 3600_000) })
    await row('g2', w.g2)
    await row('g3', w.g3)
    await row('g1-closed', w.g1, { state: 'closed', stateGroup: 'done' })
    await row('g1-department', w.g1, { level: 'department', departmentCode: 'housing_bureau' })
    const noPoint = await insertTicketRow(t.db.ds, { gridCode: w.g1.code, communityCode: w.ca.code, streetCode: w.s1.code })
    ids['no-point'] = noPoint.id
  })

  const mapOf = async (user: { id: string; role: string }, query: Record<string, string> = {}) => {
    const res = await request(t.server).get('/api/map/tickets').set('Authorization', auth(user)).query(query)
    expect(res.status).toBe(200)
    return MapTicketsViewSchema.parse(res.body)
  }
  const mine = (view: { items: Array<{ id: string }> }) => new Set(view.items.map((i) => i.id))

  it('a grid worker sees the open tickets of their grid with a point, overdue marked, and their grid as the scope', async () => {
    const view = await mapOf(w.users.W1)
    const seen = mine(view)
    expect(seen.has(ids['g1'] as string)).toBe(true)
    expect(seen.has(ids['g1-overdue'] as string)).toBe(true)
    for (const hidden of ['g2', 'g3', 'g1-closed', 'g1-department', 'no-point']) expect(seen.has(ids[hidden] as string)).toBe(false)
    expect(view.items.find((i) => i.id === ids['g1-overdue'])?.overdue).toBe(true)
    expect(view.items.find((i) => i.id === ids['g1'])?.point).toEqual({ ...w.g1.center, coordSystem: 'wgs84' })
    expect(view.scope).toEqual({ gridCodes: [w.g1.code] })
    // Every marker opens: the detail allows what the map shows.
    for (const item of view.items) expect((await request(t.server).get(`/api/tickets/${item.id}`).set('Authorization', auth(w.users.W1))).status).toBe(200)
  })

  it('state=all adds the closed ones; the points come in GCJ-02 when asked', async () => {
    const all = await mapOf(w.users.W1, { state: 'all', coordSystem: 'gcj02' })
    expect(mine(all).has(ids['g1-closed'] as string)).toBe(true)
    const item = all.items.find((i) => i.id === ids['g1'])
    expect(item?.point.coordSystem).toBe('gcj02')
    expect(item?.point.lng).toBeCloseTo(convertPoint(w.g1.center, 'wgs84', 'gcj02').lng, 6)
  })

  it('another grid’s worker, community staff, street admins, department staff and the district each see their own', async () => {
    expect(mine(await mapOf(w.users.W3))).toEqual(new Set([ids['g3']]))
    const community = mine(await mapOf(w.users.CSA))
    expect([ids['g1'], ids['g2']].every((id) => community.has(id as string))).toBe(true)
    expect(community.has(ids['g3'] as string)).toBe(false)
    expect(mine(await mapOf(w.users.SA2))).toEqual(new Set([ids['g3']]))
    const department = mine(await mapOf(w.users.DEP))
    expect(department.has(ids['g1-department'] as string)).toBe(true)
    expect(department.has(ids['g1'] as string)).toBe(false)
    const district = mine(await mapOf(w.users.DA))
    expect(['g1', 'g2', 'g3', 'g1-department'].every((n) => district.has(ids[n] as string))).toBe(true)
  })

  it('residents get 403 and anonymous callers 401', async () => {
    expectProblem(await request(t.server).get('/api/map/tickets').set('Authorization', auth(w.users.R1)), 403, 'forbidden')
    expectProblem(await request(t.server).get('/api/map/tickets'), 401, 'unauthenticated')
  })
})

describe('legal stations nearest first when a point is known', () => {
  it('sorts by distance with metres, in the system declared; stations without a point come last', async () => {
    const near = await createStationRow(t.db.ds, { name: '地图测试近站', lat: w.g1.center.lat, lng: w.g1.center.lng })
    const far = await createStationRow(t.db.ds, { name: '地图测试远站', lat: w.g3.center.lat, lng: w.g3.center.lng })
    const from = convertPoint({ lat: w.g1.center.lat + 0.001, lng: w.g1.center.lng }, 'wgs84', 'gcj02')
    const res = await request(t.server)
      .get('/api/legal/stations')
      .query({ ...from, coordSystem: 'gcj02' })
    expect(res.status).toBe(200)
    const items = StationViewSchema.array().parse(res.body.items)
    const order = items.map((s) => s.id)
    expect(order.indexOf(near.id)).toBeLessThan(order.indexOf(far.id))
    const nearView = items.find((s) => s.id === near.id)
    expect(nearView?.distance).toBeGreaterThan(100)
    expect(nearView?.distance).toBeLessThan(120)
    expect(nearView?.location).toEqual({ ...w.g1.center, coordSystem: 'wgs84' })
    const withoutPoint = items.filter((s) => s.location === null)
    if (withoutPoint.length) expect(order.indexOf(withoutPoint[0]?.id as string)).toBeGreaterThan(order.indexOf(far.id))
    await t.db.ds.getRepository(LegalStation).delete([near.id, far.id])
  })

  it('refuses half a point and an unknown system', async () => {
    expectProblem(await request(t.server).get('/api/legal/stations').query({ lat: 40.05 }), 400, 'validation_failed', 'lng')
    expectProblem(await request(t.server).get('/api/legal/stations').query({ lat: 40.05, lng: 113.25, coordSystem: 'wgs-84' }), 400, 'unsupported_coordinate_system', 'coordSystem')
  })
})

describe('the H5 map’s tile source from config, told in /api/meta', () => {
  const base = { NODE_ENV: 'test', JWT_SECRET: 'test-secret-test-secret-test-secret-0123' }

  it('none by default: the map draws the grid layer only', async () => {
    const meta = MetaViewSchema.parse((await request(t.server).get('/api/meta')).body)
    expect(meta.mapTiles).toBeUndefined()
  })

  it('Tianditu with its key (WGS-84 tiles: the grids line up as stored); a custom GCJ-02 source says so', () => {
    const tianditu = loadConfig({ ...base, MAP_TILES: 'tianditu', MAP_TILE_KEY: 'k3y' }).mapTiles
    expect(tianditu?.coordSystem).toBe('wgs84')
    expect(tianditu?.urls[0]).toContain('tk=k3y')
    const tencent = loadConfig({
      ...base,
      MAP_TILES: 'custom',
      MAP_TILE_URL: 'https://rt{s}.map.gtimg.com/tile?z={z}&x={x}&y={-y}',
      MAP_TILE_SUBDOMAINS: '0123',
      MAP_TILE_COORD_SYSTEM: 'gcj02'
    }).mapTiles
    expect(tencent).toMatchObject({ provider: 'custom', coordSystem: 'gcj02', subdomains: '0123' })
  })

  it('the CSP lets images come from the tile hosts only, a {s} subdomain widened to *', async () => {
    expect(tileImageSources(null)).toEqual([])
    expect(tileImageSources(loadConfig({ ...base, MAP_TILES: 'tianditu', MAP_TILE_KEY: 'k' }).mapTiles)).toEqual(['https://*.tianditu.gov.cn'])
    expect(tileImageSources(loadConfig({ ...base, MAP_TILES: 'custom', MAP_TILE_URL: 'https://tiles.example.cn:8443/{z}/{x}/{y}.png' }).mapTiles)).toEqual(['https://tiles.example.cn:8443'])
    const withTiles = await createTestContext({ mapTiles: loadConfig({ ...base, MAP_TILES: 'tianditu', MAP_TILE_KEY: 'k' }).mapTiles })
    try {
      const csp = (await request(withTiles.server).get('/api/meta')).headers['content-security-policy'] as string
      expect(csp).toMatch(/img-src 'self' data: blob: https:\/\/\*\.tianditu\.gov\.cn/)
      expect(MetaViewSchema.parse((await request(withTiles.server).get('/api/meta')).body).mapTiles?.provider).toBe('tianditu')
    } finally {
      await withTiles.close()
    }
    expect((await request(t.server).get('/api/meta')).headers['content-security-policy']).toMatch(/img-src 'self' data: blob:;/)
  })

  it('production refuses Tianditu without a key and a custom source without an https URL', () => {
    const prod = { ...base, NODE_ENV: 'production', DATABASE_URL: 'mysql://u:p@h:3306/d', WECHAT_APPID: 'a', WECHAT_SECRET: 's' }
    expect(() => loadConfig({ ...prod, MAP_TILES: 'tianditu' })).toThrow(ConfigError)
    expect(() => loadConfig({ ...prod, MAP_TILES: 'custom', MAP_TILE_URL: 'http://tiles.example/{z}/{x}/{y}.png' })).toThrow(ConfigError)
    expect(() => loadConfig({ ...prod, MAP_TILES: 'bing' })).toThrow(ConfigError)
  })
})
