import { createHash } from 'node:crypto'
import { DEPARTMENTS, DISTRICT_BOUNDS, DISTRICT_CODE, STREETS, type CommunityKind, type GeoJsonPolygon, type Role } from '@palm/shared'
import { buildJitteredTiling, type Tiling, type TilingCell } from './jittered-tiling'
import { communityNames, staffDisplayName, villageNames } from './names'
import { createPrng } from './prng'

/**
 * The demo district as plain data, computed without a database: the 18 real streets laid out as
 * contiguous blocks of a jittered lattice over the district box, each block cut into contiguous
 * communities and villages, each lattice cell one grid, and the staff who work there. The same
 * inputs always give the same plan, which is what makes seeding idempotent and SEED_PLACES stable.
 */

/** 24 × 30 cells of about 555 m × 400 m: 720 grids. */
export const DEMO_TILING_SPEC = { bounds: DISTRICT_BOUNDS, rows: 24, cols: 30, jitter: 0.22, seed: 140_213 } as const

interface StreetLayout {
  suffix: string
  width: number
  communities: number
  villages: number
}

/**
 * Three bands of eight lattice rows, south to north, each split west to east into street blocks.
 * The old-town streets sit in the middle; the outer streets hold the villages. The arrangement is
 * plausible, not surveyed: the boundaries are synthetic.
 */
const BANDS: ReadonlyArray<{ firstRow: number; rows: number; streets: readonly StreetLayout[] }> = [
  {
    firstRow: 0,
    rows: 8,
    streets: [
      { suffix: '067', width: 6, communities: 6, villages: 7 },
      { suffix: '055', width: 4, communities: 10, villages: 0 },
      { suffix: '056', width: 5, communities: 10, villages: 0 },
      { suffix: '059', width: 5, communities: 10, villages: 0 },
      { suffix: '060', width: 4, communities: 7, villages: 7 },
      { suffix: '066', width: 6, communities: 7, villages: 7 }
    ]
  },
  {
    firstRow: 8,
    rows: 8,
    streets: [
      { suffix: '053', width: 4, communities: 10, villages: 0 },
      { suffix: '054', width: 6, communities: 10, villages: 0 },
      { suffix: '051', width: 5, communities: 10, villages: 0 },
      { suffix: '050', width: 5, communities: 10, villages: 0 },
      { suffix: '057', width: 6, communities: 10, villages: 0 },
      { suffix: '065', width: 4, communities: 7, villages: 6 }
    ]
  },
  {
    firstRow: 16,
    rows: 8,
    streets: [
      { suffix: '063', width: 6, communities: 6, villages: 7 },
      { suffix: '062', width: 4, communities: 10, villages: 0 },
      { suffix: '052', width: 5, communities: 10, villages: 0 },
      { suffix: '061', width: 5, communities: 6, villages: 7 },
      { suffix: '058', width: 4, communities: 10, villages: 0 },
      { suffix: '064', width: 6, communities: 6, villages: 7 }
    ]
  }
]

/** The seed's community (docs/domain.md "The territory"): the first community of 水泊寺街道. */
export const YONGHE = { streetCode: `${DISTRICT_CODE}066`, code: `${DISTRICT_CODE}066001`, name: '永和社区' } as const

export interface PlannedCommunity {
  code: string
  name: string
  streetCode: string
  kind: CommunityKind
  cells: TilingCell[]
}

export interface PlannedGrid {
  code: string
  name: string
  communityCode: string
  streetCode: string
  polygon: GeoJsonPolygon
  minLat: number
  minLng: number
  maxLat: number
  maxLng: number
  cell: TilingCell
}

export interface PlannedStaff {
  id: string
  username: string
  role: Role
  displayName: string
  gridCode: string | null
  communityCode: string | null
  streetCode: string | null
  departmentCode: string | null
  onDuty: boolean
}

export interface TerritoryPlan {
  tiling: Tiling
  streets: ReadonlyArray<{ code: string; name: string }>
  communities: PlannedCommunity[]
  grids: PlannedGrid[]
  departments: ReadonlyArray<{ code: string; name: string }>
  staff: PlannedStaff[]
}

/**
 * A stable id for a seeded account, derived from its username: re-seeding finds the same row by
 * primary key, and two instances seeding at once insert the same ids (one wins, the other skips).
 */
export function seededUserId(username: string): string {
  const h = createHash('sha256').update(`palm-demo-user:${username}`).digest('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${h.slice(18, 20)}-${h.slice(20, 32)}`
}

/** The seeded account of a scope, by username: what demo sign-in picks for a staff persona. */
export const seededUsername = {
  gridWorker: (gridCode: string, n = 1) => `gw-${gridCode}-${n}`,
  communityStaff: (communityCode: string, n = 1) => `cs-${communityCode}-${n}`,
  streetAdmin: (streetCode: string) => `sa-${streetCode}`,
  districtAdmin: () => `da-${DISTRICT_CODE}`,
  departmentStaff: (departmentCode: string) => `dept-${departmentCode}`
} as const

/** Cells of a block in a snake order (row by row, turning at each end), so any run of it is contiguous. */
function snakeOrder(tiling: Tiling, firstRow: number, rows: number, firstCol: number, width: number, fromNorth: boolean): TilingCell[] {
  const out: TilingCell[] = []
  for (let k = 0; k < rows; k++) {
    const row = fromNorth ? firstRow + rows - 1 - k : firstRow + k
    for (let j = 0; j < width; j++) {
      const col = k % 2 === 0 ? firstCol + j : firstCol + width - 1 - j
      out.push(tiling.cell(row, col))
    }
  }
  return out
}

/** Splits cells into `parts` consecutive runs whose sizes differ by at most one. */
function splitRuns<T>(items: readonly T[], parts: number): T[][] {
  const runs: T[][] = []
  let start = 0
  for (let p = 0; p < parts; p++) {
    const size = Math.floor(items.length / parts) + (p < items.length % parts ? 1 : 0)
    runs.push(items.slice(start, start + size))
    start += size
  }
  return runs
}

function streetName(code: string): string {
  const street = STREETS.find((s) => s.code === code)
  if (!street) throw new Error(`street ${code} is not one of the district's 18`)
  return street.name
}

/** Builds the whole demo territory; deterministic. */
export function planTerritory(): TerritoryPlan {
  const tiling = buildJitteredTiling(DEMO_TILING_SPEC)
  const random = createPrng(DEMO_TILING_SPEC.seed)
  const totalCommunities = BANDS.flatMap((b) => b.streets).reduce((n, s) => n + s.communities, 0)
  const totalVillages = BANDS.flatMap((b) => b.streets).reduce((n, s) => n + s.villages, 0)
  const invented = communityNames(totalCommunities, random)
  const villages = villageNames(totalVillages, random)

  const communities: PlannedCommunity[] = []
  const grids: PlannedGrid[] = []
  for (const [bandIndex, band] of BANDS.entries()) {
    let firstCol = 0
    for (const layout of band.streets) {
      const streetCode = `${DISTRICT_CODE}${layout.suffix}`
      streetName(streetCode)
      // Communities lie toward the town centre (the middle band), villages toward the district's edge.
      const cells = snakeOrder(tiling, band.firstRow, band.rows, firstCol, layout.width, bandIndex !== 2)
      const runs = splitRuns(cells, layout.communities + layout.villages)
      let streetGridSeq = 0
      runs.forEach((run, i) => {
        const isVillage = i >= layout.communities
        const number = isVillage ? 201 + i - layout.communities : 1 + i
        const code = `${streetCode}${String(number).padStart(3, '0')}`
        const name = code === YONGHE.code ? YONGHE.name : isVillage ? villages.shift() : invented.shift()
        if (!name) throw new Error('ran out of names')
        communities.push({ code, name, streetCode, kind: isVillage ? 'village' : 'community', cells: run })
        run.forEach((cell, n) => {
          streetGridSeq++
          grids.push({
            code: `${layout.suffix}-${String(streetGridSeq).padStart(3, '0')}`,
            name: `${name}第${n + 1}网格`,
            communityCode: code,
            streetCode,
            polygon: { type: 'Polygon', coordinates: [cell.ring] },
            minLat: cell.minLat,
            minLng: cell.minLng,
            maxLat: cell.maxLat,
            maxLng: cell.maxLng,
            cell
          })
        })
      })
      firstCol += layout.width
    }
  }
  return { tiling, streets: STREETS, communities, grids, departments: DEPARTMENTS, staff: planStaff(communities, grids, random) }
}

/**
 * One or two grid workers per grid (about one in ten off duty, except in 永和社区 where the seed's
 * story needs someone on duty), two staff per community, one admin per street, one district admin,
 * one account per department. No account has a password: staff set one with the password command,
 * and demo sign-in uses them as they are.
 */
function planStaff(communities: readonly PlannedCommunity[], grids: readonly PlannedGrid[], random: () => number): PlannedStaff[] {
  const staff: PlannedStaff[] = []
  const add = (username: string, role: Role, displayName: string, scope: Partial<Omit<PlannedStaff, 'id' | 'username' | 'role' | 'displayName'>>) =>
    staff.push({
      id: seededUserId(username),
      username,
      role,
      displayName,
      gridCode: scope.gridCode ?? null,
      communityCode: scope.communityCode ?? null,
      streetCode: scope.streetCode ?? null,
      departmentCode: scope.departmentCode ?? null,
      onDuty: scope.onDuty ?? false
    })
  for (const grid of grids) {
    const workers = random() < 0.35 ? 2 : 1
    for (let n = 1; n <= workers; n++) {
      const onDuty = grid.communityCode === YONGHE.code || random() >= (n === 1 ? 0.1 : 0.25)
      add(seededUsername.gridWorker(grid.code, n), 'grid_worker', staffDisplayName('', random), {
        gridCode: grid.code,
        communityCode: grid.communityCode,
        streetCode: grid.streetCode,
        onDuty
      })
    }
  }
  for (const c of communities) {
    const scope = { communityCode: c.code, streetCode: c.streetCode }
    const place = c.kind === 'village' ? '村委' : '社区'
    add(seededUsername.communityStaff(c.code, 1), 'community_staff', staffDisplayName(`${place}综治专干`, random), scope)
    add(seededUsername.communityStaff(c.code, 2), 'community_staff', staffDisplayName(`${place}工作人员`, random), scope)
  }
  for (const s of STREETS) {
    add(seededUsername.streetAdmin(s.code), 'street_admin', staffDisplayName(`${s.name}政法委员`, random), { streetCode: s.code })
  }
  add(seededUsername.districtAdmin(), 'district_admin', staffDisplayName('区综治中心', random), {})
  for (const d of DEPARTMENTS) {
    add(seededUsername.departmentStaff(d.code), 'department_staff', staffDisplayName(d.name, random), { departmentCode: d.code })
  }
  return staff
}
