import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEPARTMENTS, DISTRICT_BOUNDS, isInsideDistrictBounds, SEED_PLACES, STREETS } from '@palm/shared'
import { openTestDatabase, type TestDatabase } from '../../../test/db'
import type { AppDeps } from '../../deps'
import { createLogger } from '../../logger'
import { StaffGrid } from '../auth/staff-grid.entity'
import { User } from '../auth/user.entity'
import { containsPoint, type IndexedGrid } from '../territory/grid-index'
import { getGridIndex, toIndexedGrid } from '../territory/grid-index-cache'
import { Community, Department, Grid, Street } from '../territory/territory.entity'
import { createPrng, uniform } from './prng'
import { seedTerritory, type SeedTerritoryCounts } from './seed-territory'

let db: TestDatabase
let deps: Pick<AppDeps, 'ds' | 'now' | 'log'>
let firstRun: SeedTerritoryCounts
let grids: Grid[]
let indexed: IndexedGrid[]

beforeAll(async () => {
  db = await openTestDatabase()
  deps = { ds: db.ds, now: () => new Date('2026-05-20T08:00:00Z'), log: createLogger('silent') }
  firstRun = await seedTerritory(deps)
  grids = await db.ds.getRepository(Grid).find()
  indexed = grids.map(toIndexedGrid)
})
afterAll(async () => {
  await db.close()
})

function holders(point: { lat: number; lng: number }): IndexedGrid[] {
  return indexed.filter((g) => containsPoint(g.rings, point))
}

async function tableCounts() {
  const ds = db.ds
  return {
    streets: await ds.getRepository(Street).count(),
    communities: await ds.getRepository(Community).count(),
    grids: await ds.getRepository(Grid).count(),
    departments: await ds.getRepository(Department).count(),
    users: await ds.getRepository(User).count()
  }
}

describe('seedTerritory: what it puts in', () => {
  it('inserts the 18 real streets with their national codes and names, not marked synthetic', async () => {
    const streets = await db.ds.getRepository(Street).find({ order: { code: 'ASC' } })
    expect(streets.map((s) => ({ code: s.code, name: s.name }))).toEqual(STREETS.map((s) => ({ code: s.code, name: s.name })))
    expect(streets.map((s) => s.code)).toEqual(Array.from({ length: 18 }, (_, i) => `1402130${50 + i}`))
    expect(streets.every((s) => !s.synthetic)).toBe(true)
    expect(firstRun.streets).toBe(18)
  })

  it('inserts about 150 communities plus villages, all synthetic, each in a real street', async () => {
    const communities = await db.ds.getRepository(Community).find()
    const byKind = (k: string) => communities.filter((c) => c.kind === k).length
    expect(byKind('community')).toBeGreaterThanOrEqual(150)
    expect(byKind('village')).toBeGreaterThan(0)
    expect(byKind('community') + byKind('village')).toBe(communities.length)
    expect(communities.every((c) => c.synthetic)).toBe(true)
    const streetCodes = new Set<string>(STREETS.map((s) => s.code))
    expect(communities.every((c) => streetCodes.has(c.streetCode) && c.code.startsWith(c.streetCode) && c.code.length === 12)).toBe(true)
    expect(new Set(communities.map((c) => c.name)).size).toBe(communities.length)
  })

  it('puts 永和社区 in 水泊寺街道', async () => {
    const yonghe = await db.ds.getRepository(Community).findOneByOrFail({ name: '永和社区' })
    expect(yonghe.code).toBe(SEED_PLACES.yongheCommunity.communityCode)
    expect(yonghe.streetCode).toBe('140213066')
    expect(yonghe.kind).toBe('community')
    expect((await db.ds.getRepository(Street).findOneByOrFail({ code: yonghe.streetCode })).name).toBe('水泊寺街道')
  })

  it('inserts at least 600 synthetic grids, each inside its own community and street', async () => {
    expect(grids.length).toBeGreaterThanOrEqual(600)
    const communities = new Map((await db.ds.getRepository(Community).find()).map((c) => [c.code, c]))
    for (const g of grids) {
      expect(g.synthetic).toBe(true)
      expect(communities.get(g.communityCode)?.streetCode).toBe(g.streetCode)
      expect(g.code).toMatch(/^\d{3}-\d{3}$/)
      expect(g.streetCode.endsWith(g.code.slice(0, 3))).toBe(true)
    }
    const gridsPerCommunity = new Set(grids.map((g) => g.communityCode))
    expect(gridsPerCommunity.size).toBe(communities.size)
  })

  it('inserts the departments, with housing, justice, anti-fraud and health among them', async () => {
    const codes = (await db.ds.getRepository(Department).find()).map((d) => d.code)
    expect(codes.sort()).toEqual(DEPARTMENTS.map((d) => d.code).sort())
    expect(codes).toEqual(expect.arrayContaining(['housing_bureau', 'justice_bureau', 'anti_fraud_centre', 'health_commission']))
  })
})

describe('seedTerritory: the people', () => {
  let staff: User[]
  beforeAll(async () => {
    staff = await db.ds.getRepository(User).find()
  })

  it('gives every grid one or two grid workers whose scope is that grid, its community and its street', () => {
    const workers = staff.filter((u) => u.role === 'grid_worker')
    for (const g of grids) {
      const own = workers.filter((w) => w.gridCode === g.code)
      expect(own.length).toBeGreaterThanOrEqual(1)
      expect(own.length).toBeLessThanOrEqual(2)
      for (const w of own) {
        expect(w.communityCode).toBe(g.communityCode)
        expect(w.streetCode).toBe(g.streetCode)
      }
    }
    const onDuty = workers.filter((w) => w.onDuty).length
    expect(onDuty / workers.length).toBeGreaterThan(0.75)
    expect(onDuty).toBeLessThan(workers.length)
  })

  it('attaches every grid worker to their grid in staff_grids (what routing and the sign-in check read), as the primary grid', async () => {
    const rows = await db.ds.getRepository(StaffGrid).find()
    const workers = staff.filter((u) => u.role === 'grid_worker')
    expect(rows).toHaveLength(workers.length)
    const byUser = new Map(rows.map((r) => [r.userId, r]))
    for (const w of workers) expect(byUser.get(w.id)).toMatchObject({ gridCode: w.gridCode, isPrimary: true })
    await seedTerritory(deps)
    expect(await db.ds.getRepository(StaffGrid).count()).toBe(rows.length)
  })

  it('has someone on duty in every grid of 永和社区', () => {
    const yongheGrids = grids.filter((g) => g.communityCode === SEED_PLACES.yongheCommunity.communityCode)
    expect(yongheGrids.length).toBeGreaterThan(0)
    for (const g of yongheGrids) expect(staff.some((u) => u.role === 'grid_worker' && u.gridCode === g.code && u.onDuty)).toBe(true)
  })

  it('gives every community staff, every street one admin, the district one admin, every department one account', async () => {
    const communities = await db.ds.getRepository(Community).find()
    for (const c of communities) {
      const own = staff.filter((u) => u.role === 'community_staff' && u.communityCode === c.code)
      expect(own.length).toBeGreaterThanOrEqual(1)
      expect(own.every((u) => u.streetCode === c.streetCode)).toBe(true)
    }
    for (const s of STREETS) expect(staff.filter((u) => u.role === 'street_admin' && u.streetCode === s.code)).toHaveLength(1)
    expect(staff.filter((u) => u.role === 'district_admin')).toHaveLength(1)
    for (const d of DEPARTMENTS) expect(staff.filter((u) => u.role === 'department_staff' && u.departmentCode === d.code)).toHaveLength(1)
  })

  it('leaves every seeded account without a password, marked synthetic, with a masked name labelled （示例）', () => {
    expect(staff.length).toBeGreaterThanOrEqual(1000)
    for (const u of staff) {
      expect(u.passwordHash).toBeNull()
      expect(u.synthetic).toBe(true)
      expect(u.disabled).toBe(false)
      expect(u.username).toMatch(/^(gw|cs|sa|da|dept)-/)
      expect(u.displayName).toMatch(/\p{Script=Han}\*（示例）$/u)
    }
  })
})

describe('seedTerritory: idempotent', () => {
  it('inserts nothing and changes no count on a second run', async () => {
    const before = await tableCounts()
    const again = await seedTerritory(deps)
    expect(again).toEqual({ streets: 0, communities: 0, grids: 0, departments: 0, users: 0 })
    expect(await tableCounts()).toEqual(before)
  })

  it('keeps rows an admin changed, and puts back only rows that are missing', async () => {
    const users = db.ds.getRepository(User)
    const worker = await users.findOneByOrFail({ role: 'grid_worker', onDuty: true })
    await users.update({ id: worker.id }, { onDuty: false })
    const gone = grids[5] as Grid
    await db.ds.getRepository(Grid).delete({ code: gone.code })

    const again = await seedTerritory(deps)
    expect(again).toEqual({ streets: 0, communities: 0, grids: 1, departments: 0, users: 0 })
    expect((await users.findOneByOrFail({ id: worker.id })).onDuty).toBe(false)
    expect((await db.ds.getRepository(Grid).findOneByOrFail({ code: gone.code })).polygon).toBe(gone.polygon)
    await users.update({ id: worker.id }, { onDuty: true })
  })
})

describe('the grids tile the district box', () => {
  it('puts each of 10,000 random points in the box into exactly one grid, and the index agrees with a linear scan', async () => {
    const index = await getGridIndex(db.ds)
    expect(index.size).toBe(grids.length)
    const random = createPrng(20_260_520)
    const b = DISTRICT_BOUNDS
    let checked = 0
    for (let i = 0; i < 10_000; i++) {
      const p = { lat: uniform(random, b.minLat, b.maxLat), lng: uniform(random, b.minLng, b.maxLng) }
      const found = holders(p)
      expect(found).toHaveLength(1)
      expect(index.locate(p)?.code).toBe(found[0]?.code)
      expect(index.locateLinear(p)?.code).toBe(found[0]?.code)
      checked++
    }
    expect(checked).toBe(10_000)
  })

  it('puts every grid vertex and every edge midpoint inside the box into exactly one grid', async () => {
    const index = await getGridIndex(db.ds)
    for (const g of indexed) {
      const ring = g.rings[0] ?? []
      for (let i = 0; i < ring.length - 1; i++) {
        const [x1, y1] = ring[i] as [number, number]
        const [x2, y2] = ring[i + 1] as [number, number]
        for (const p of [
          { lng: x1, lat: y1 },
          { lng: (x1 + x2) / 2, lat: (y1 + y2) / 2 }
        ]) {
          const expected = isInsideDistrictBounds(p) ? 1 : 0
          expect(holders(p)).toHaveLength(expected)
          expect(index.locate(p)?.code).toBe(holders(p)[0]?.code)
        }
      }
    }
  })

  it('covers the box with no gap: the grids’ areas add up to the box’s', () => {
    let total = 0
    for (const g of indexed) {
      const ring = g.rings[0] ?? []
      for (let i = 0; i < ring.length - 1; i++) {
        const [x1, y1] = ring[i] as [number, number]
        const [x2, y2] = ring[i + 1] as [number, number]
        total += (x1 * y2 - x2 * y1) / 2
      }
    }
    const b = DISTRICT_BOUNDS
    expect(total).toBeCloseTo((b.maxLat - b.minLat) * (b.maxLng - b.minLng), 12)
  })

  it('finds no grid for points outside the box', async () => {
    const index = await getGridIndex(db.ds)
    const b = DISTRICT_BOUNDS
    for (const p of [
      { lat: b.minLat - 1e-6, lng: 113.25 },
      { lat: b.maxLat, lng: 113.25 },
      { lat: 40.08, lng: b.maxLng },
      { lat: 40.08, lng: b.minLng - 1e-6 },
      { lat: 39.9042, lng: 116.4074 }
    ]) {
      expect(holders(p)).toHaveLength(0)
      expect(index.locate(p)).toBeUndefined()
    }
  })

  it('makes each community, and each street, one connected piece', () => {
    const edgeKey = (a: readonly number[], b: readonly number[]) => [a.join(','), b.join(',')].sort().join('|')
    const edgesOf = new Map<string, string[]>()
    for (const g of indexed) {
      const ring = g.rings[0] ?? []
      for (let i = 0; i < ring.length - 1; i++) {
        const key = edgeKey(ring[i] ?? [], ring[i + 1] ?? [])
        edgesOf.set(key, [...(edgesOf.get(key) ?? []), g.code])
      }
    }
    const neighbours = new Map<string, Set<string>>()
    for (const codes of edgesOf.values()) {
      expect(codes.length).toBeLessThanOrEqual(2)
      const [a, b] = codes
      if (a && b) {
        neighbours.set(a, (neighbours.get(a) ?? new Set()).add(b))
        neighbours.set(b, (neighbours.get(b) ?? new Set()).add(a))
      }
    }
    const connected = (members: readonly IndexedGrid[]) => {
      const inSet = new Set(members.map((m) => m.code))
      const seen = new Set<string>()
      const queue = [members[0]?.code ?? '']
      while (queue.length) {
        const code = queue.pop() ?? ''
        if (seen.has(code) || !inSet.has(code)) continue
        seen.add(code)
        for (const n of neighbours.get(code) ?? []) queue.push(n)
      }
      return seen.size === inSet.size
    }
    const groupBy = (key: (g: IndexedGrid) => string) => {
      const groups = new Map<string, IndexedGrid[]>()
      for (const g of indexed) groups.set(key(g), [...(groups.get(key(g)) ?? []), g])
      return [...groups.values()]
    }
    for (const members of groupBy((g) => g.communityCode)) expect(connected(members)).toBe(true)
    for (const members of groupBy((g) => g.streetCode)) expect(connected(members)).toBe(true)
  })
})

describe('the seed’s places', () => {
  it.each(Object.entries(SEED_PLACES))('locates %s into its community and street', async (_key, place) => {
    const index = await getGridIndex(db.ds)
    const grid = index.locate(place.point)
    expect(grid?.communityCode).toBe(place.communityCode)
    expect(grid?.streetCode).toBe(place.streetCode)
  })

  it('puts 绿地世纪城 in 永和社区', () => {
    expect(SEED_PLACES.lvdiShijicheng.communityCode).toBe(SEED_PLACES.yongheCommunity.communityCode)
  })
})
