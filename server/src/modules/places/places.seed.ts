import { createHash } from 'node:crypto'
import { SEED_PLACES } from '@palm/shared'
import { In, type EntityManager } from 'typeorm'
import type { AppDeps } from '../../deps'
import { withTx } from '../../db/tx'
import { User } from '../auth/user.entity'
import { seededUserId, seededUsername } from '../demo/index'
import { Community, Grid } from '../territory/territory.entity'
import { locatePoint, type LocatedPlace } from '../territory/index'
import { CommunityOffice, GridCounts, GridEntry, Place, StaffCard } from './places.entity'

/**
 * Demo data of docs/places-and-grids.md, all synthetic (invented names, counts and numbers): three
 * places around 绿地世纪城 with QR codes, the profile of every grid of 永和社区 (counts, facilities,
 * situations, organisations), an office for every community and work numbers for 永和's grid
 * workers. Idempotent: stable ids, and nothing is written for a row that exists.
 */

/** A stable uuid-shaped id for a seed row, so a second run finds the first's rows. */
function seedId(key: string): string {
  const h = createHash('sha256').update(`places-seed:${key}`).digest('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`
}

/** Stable pseudo-random whole numbers from a key. */
function figure(key: string, min: number, span: number): number {
  return min + (createHash('sha256').update(key).digest().readUInt32BE(0) % span)
}

const LVDI = SEED_PLACES.lvdiShijicheng.point
const SEED_PLACE_ROWS = [
  { key: 'lvdi-3', code: 'demolvd3', name: '绿地世纪城3号楼（示例）', kind: 'building', address: '绿地世纪城小区3号楼', dLat: 0, dLng: 0 },
  { key: 'yonghe-shop', code: 'demoyhs2', name: '永和便民超市（示例）', kind: 'shop', address: '绿地世纪城南门东侧', dLat: -0.0006, dLng: 0.0004 },
  { key: 'yonghe-square', code: 'demoyhg2', name: '永和文化广场（示例）', kind: 'facility', address: '永和社区活动中心前', dLat: 0.0005, dLng: -0.0005 }
] as const

/** The three places around 绿地世纪城 (points already located: the grid index reads outside the transaction). */
async function seedPlaceRows(em: EntityManager, located: LocatedPlace[], organiserId: string, now: Date): Promise<number> {
  let rows = 0
  const existing = new Set((await em.getRepository(Place).find({ select: { id: true }, where: { id: In(SEED_PLACE_ROWS.map((p) => seedId(p.key))) } })).map((p) => p.id))
  for (const [i, p] of SEED_PLACE_ROWS.entries()) {
    const id = seedId(p.key)
    const at = located[i]
    if (existing.has(id) || !at) continue
    await em.getRepository(Place).insert({
      id,
      code: p.code,
      name: p.name,
      kind: p.kind,
      gridCode: at.grid.code,
      communityCode: at.grid.communityCode,
      streetCode: at.grid.streetCode,
      lat: LVDI.lat + p.dLat,
      lng: LVDI.lng + p.dLng,
      address: p.address,
      createdBy: organiserId,
      createdAt: now
    })
    rows++
  }
  return rows
}

const SEED_ENTRIES = (gridName: string) =>
  [
    { block: 'thing', name: '消防栓（示例）', kind: '消防设施', contact: null, note: '2 处，每月巡查' },
    { block: 'thing', name: '充电桩（示例）', kind: '便民设施', contact: null, note: '非机动车充电桩 20 个' },
    { block: 'situation', name: '老旧小区加装电梯（示例）', kind: '民情', contact: null, note: '3 号楼居民意见已征集，等待评估' },
    { block: 'organisation', name: `${gridName}志愿服务队（示例）`, kind: '志愿组织', contact: '0352-5550100', note: null },
    { block: 'organisation', name: '绿地世纪城业主委员会（示例）', kind: '业委会', contact: '0352-5550101', note: null }
  ] as const

/** One grid's counts (invented, stable per grid) and its facility, situation and organisation lines. */
async function seedGridProfile(em: EntityManager, grid: { code: string; name: string }, hasCounts: boolean, organiserId: string, now: Date): Promise<number> {
  let rows = 0
  if (!hasCounts) {
    const households = figure(`${grid.code}:households`, 380, 420)
    await em.getRepository(GridCounts).insert({
      gridCode: grid.code,
      households,
      residents: Math.round(households * 2.6),
      partyMembers: figure(`${grid.code}:party`, 30, 60),
      specialGroups: figure(`${grid.code}:special`, 5, 25),
      lowIncome: figure(`${grid.code}:dibao`, 3, 18),
      updatedBy: organiserId,
      updatedAt: now
    })
    rows++
  }
  const entries = SEED_ENTRIES(grid.name)
  const ids = entries.map((_, n) => seedId(`${grid.code}:entry:${n}`))
  const have = new Set((await em.getRepository(GridEntry).find({ select: { id: true }, where: { id: In(ids) } })).map((e) => e.id))
  for (const [n, e] of entries.entries()) {
    const id = ids[n] as string
    if (have.has(id)) continue
    await em.getRepository(GridEntry).insert({ id, gridCode: grid.code, block: e.block, name: e.name, kind: e.kind, contact: e.contact, note: e.note, createdBy: organiserId, createdAt: now })
    rows++
  }
  return rows
}

/** Every grid of 永和社区 gets its profile. */
async function seedGridProfiles(em: EntityManager, communityCode: string, organiserId: string, now: Date): Promise<number> {
  const grids = await em.getRepository(Grid).find({ select: { code: true, name: true }, where: { communityCode }, order: { code: 'ASC' } })
  const withCounts = new Set((await em.getRepository(GridCounts).find({ select: { gridCode: true }, where: { gridCode: In(grids.map((g) => g.code)) } })).map((c) => c.gridCode))
  let rows = 0
  for (const grid of grids) rows += await seedGridProfile(em, grid, withCounts.has(grid.code), organiserId, now)
  return rows
}

/** An office (invented address and number) for every community that has none. */
async function seedOffices(em: EntityManager, now: Date): Promise<number> {
  const communities = await em.getRepository(Community).find({ select: { code: true, name: true } })
  const offices = new Set((await em.getRepository(CommunityOffice).find({ select: { communityCode: true } })).map((o) => o.communityCode))
  let rows = 0
  for (const c of communities) {
    if (offices.has(c.code)) continue
    await em.getRepository(CommunityOffice).insert({
      communityCode: c.code,
      name: `${c.name}党群服务中心`,
      address: `${c.name}党群服务中心一楼（示例地址）`,
      phone: `0352-${figure(`${c.code}:office`, 5_000_000, 999_999)}`,
      hours: '工作日 9:00–12:00、13:30–18:00',
      updatedAt: now
    })
    rows++
  }
  return rows
}

/** Work numbers for the community's grid workers. */
async function seedWorkerCards(em: EntityManager, communityCode: string, now: Date): Promise<number> {
  const workers = await em.getRepository(User).find({ select: { id: true }, where: { role: 'grid_worker', communityCode } })
  const cards = new Set((await em.getRepository(StaffCard).find({ select: { userId: true }, where: { userId: In(workers.map((w) => w.id)) } })).map((c) => c.userId))
  let rows = 0
  for (const w of workers) {
    if (cards.has(w.id)) continue
    await em.getRepository(StaffCard).insert({ userId: w.id, workPhone: `0352-${figure(`${w.id}:work`, 6_000_000, 999_999)}`, photoUrl: null, updatedAt: now })
    rows++
  }
  return rows
}

export async function seedPlaces(deps: Pick<AppDeps, 'ds' | 'now' | 'log'>): Promise<void> {
  const now = deps.now()
  const yonghe = SEED_PLACES.yongheCommunity.communityCode
  const organiserId = seededUserId(seededUsername.communityStaff(yonghe))
  const located = await Promise.all(SEED_PLACE_ROWS.map((p) => locatePoint(deps.ds, { lat: LVDI.lat + p.dLat, lng: LVDI.lng + p.dLng })))
  const written = await withTx(deps.ds, async (em) => {
    const places = await seedPlaceRows(em, located, organiserId, now)
    const profiles = await seedGridProfiles(em, yonghe, organiserId, now)
    const offices = await seedOffices(em, now)
    const cards = await seedWorkerCards(em, yonghe, now)
    return places + profiles + offices + cards
  })
  deps.log.info({ rows: written }, 'demo places and grid profiles seeded')
}
