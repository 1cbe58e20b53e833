import { In, type EntityManager } from 'typeorm'
import { recordAudit } from '../audit/index'
import { STORED_COORDINATE_SYSTEM, TerritoryImportLimits, type TerritoryImportBody, type TerritoryImportCounts, type TerritoryImportReport, type TerritoryIssue } from '@palm/shared'
import type { AppDeps } from '../../deps'
import { withTx } from '../../db/tx'
import { invalidateGridIndex } from './grid-index-cache'
import { checkTerritory } from './territory-checks'
import { bboxOf, parseTerritoryFiles, type AreaGeometry, type ParsedFeature } from './territory-file'
import { findUsesOfRemoved, type Moves } from './territory-in-use'
import { bumpTerritoryVersion, lockTerritoryVersion, readTerritoryVersion } from './territory-version'
import { Community, Grid, Street } from './territory.entity'

const CHUNK = 200

interface Changes<T> {
  create: T[]
  update: T[]
}

interface Plan {
  streets: Changes<Street>
  communities: Changes<Community>
  grids: Changes<Grid>
  unchanged: number
  removedCommunities: string[]
  removedGrids: string[]
  moves: Moves
}

/** The form geometry is stored and compared in: `{type, coordinates}` and nothing else. */
export function canonicalGeometry(g: AreaGeometry | { type: string; coordinates: unknown }): string {
  return JSON.stringify({ type: g.type, coordinates: g.coordinates })
}

function canonicalStored(polygon: string | null): string | null {
  if (polygon === null) return null
  return canonicalGeometry(JSON.parse(polygon) as { type: string; coordinates: unknown })
}

function communityKind(f: ParsedFeature): string {
  return f.kind ?? (Number(f.code.slice(9)) >= 201 ? 'village' : 'community')
}

/**
 * Compares the file with the database: what to create, update or leave, what the file leaves out
 * in the streets it covers (to be removed), and which grids and communities move to another parent.
 */
async function planChanges(em: EntityManager, features: readonly ParsedFeature[]): Promise<Plan> {
  const [streets, communities, grids] = await Promise.all([em.find(Street), em.find(Community), em.find(Grid)])
  const plan: Plan = {
    streets: { create: [], update: [] },
    communities: { create: [], update: [] },
    grids: { create: [], update: [] },
    unchanged: 0,
    removedCommunities: [],
    removedGrids: [],
    moves: { grids: [], communities: [] }
  }
  const byCode = <T extends { code: string }>(rows: T[]) => new Map(rows.map((r) => [r.code, r]))
  const dbStreets = byCode(streets)
  const dbCommunities = byCode(communities)
  const dbGrids = byCode(grids)
  const fileCommunities = new Map(features.filter((f) => f.level === 'community').map((f) => [f.code, f]))
  const track = <T>(changes: Changes<T>, existing: unknown, same: boolean, row: T) => {
    if (!existing) changes.create.push(row)
    else if (same) plan.unchanged++
    else changes.update.push(row)
  }
  for (const f of features) {
    const polygon = f.geometry ? canonicalGeometry(f.geometry) : null
    if (f.level === 'street') {
      const old = dbStreets.get(f.code)
      const row = Object.assign(new Street(), { code: f.code, name: f.name, synthetic: f.synthetic, polygon })
      track(plan.streets, old, !!old && old.name === row.name && Boolean(old.synthetic) === row.synthetic && canonicalStored(old.polygon) === polygon, row)
    } else if (f.level === 'community') {
      const old = dbCommunities.get(f.code)
      const row = Object.assign(new Community(), { code: f.code, streetCode: f.parentCode ?? '', name: f.name, kind: communityKind(f), synthetic: f.synthetic, polygon })
      if (old && old.streetCode !== row.streetCode) plan.moves.communities.push(f.code)
      track(
        plan.communities,
        old,
        !!old && old.name === row.name && old.streetCode === row.streetCode && old.kind === row.kind && Boolean(old.synthetic) === row.synthetic && canonicalStored(old.polygon) === polygon,
        row
      )
    } else if (f.bbox && polygon) {
      const old = dbGrids.get(f.code)
      const streetCode = fileCommunities.get(f.parentCode ?? '')?.parentCode ?? ''
      const [minLng, minLat, maxLng, maxLat] = f.bbox
      const row = Object.assign(new Grid(), { code: f.code, name: f.name, communityCode: f.parentCode ?? '', streetCode, polygon, minLat, minLng, maxLat, maxLng, synthetic: f.synthetic })
      if (old && (old.communityCode !== row.communityCode || old.streetCode !== row.streetCode)) plan.moves.grids.push(f.code)
      track(
        plan.grids,
        old,
        !!old &&
          old.name === row.name &&
          old.communityCode === row.communityCode &&
          old.streetCode === row.streetCode &&
          Boolean(old.synthetic) === row.synthetic &&
          canonicalStored(old.polygon) === polygon,
        row
      )
    }
  }
  const covered = new Set(features.filter((f) => f.level === 'street').map((f) => f.code))
  const inFile = new Set(features.map((f) => `${f.level}:${f.code}`))
  plan.removedCommunities = communities.filter((c) => covered.has(c.streetCode) && !inFile.has(`community:${c.code}`)).map((c) => c.code)
  plan.removedGrids = grids.filter((g) => covered.has(g.streetCode) && !inFile.has(`grid:${g.code}`)).map((g) => g.code)
  return plan
}

/** The stored grids of the streets the file does not cover, as context for the overlap check. */
async function storedGridsOutside(em: EntityManager, features: readonly ParsedFeature[]): Promise<ParsedFeature[]> {
  const covered = new Set(features.filter((f) => f.level === 'street').map((f) => f.code))
  const inFile = new Set(features.filter((f) => f.level === 'grid').map((f) => f.code))
  const grids = await em.find(Grid)
  return grids
    .filter((g) => !covered.has(g.streetCode) && !inFile.has(g.code))
    .map((g) => {
      const geometry = JSON.parse(g.polygon) as AreaGeometry
      return { level: 'grid', code: g.code, name: g.name, parentCode: g.communityCode, kind: null, synthetic: Boolean(g.synthetic), geometry, geometryUsable: true, bbox: bboxOf(geometry) }
    })
}

function changeCount(plan: Plan): number {
  const n = (c: Changes<unknown>) => c.create.length + c.update.length
  return n(plan.streets) + n(plan.communities) + n(plan.grids) + plan.removedCommunities.length + plan.removedGrids.length
}

async function writePlan(em: EntityManager, plan: Plan): Promise<void> {
  for (const [entity, changes] of [
    [Street, plan.streets],
    [Community, plan.communities],
    [Grid, plan.grids]
  ] as const) {
    for (let i = 0; i < changes.create.length; i += CHUNK) {
      await em
        .createQueryBuilder()
        .insert()
        .into(entity)
        .values(changes.create.slice(i, i + CHUNK))
        .updateEntity(false)
        .execute()
    }
    for (const row of changes.update) {
      const { code, ...rest } = row
      await em.update(entity, { code }, rest)
    }
  }
  for (let i = 0; i < plan.removedGrids.length; i += CHUNK) await em.delete(Grid, { code: In(plan.removedGrids.slice(i, i + CHUNK)) })
  for (let i = 0; i < plan.removedCommunities.length; i += CHUNK) await em.delete(Community, { code: In(plan.removedCommunities.slice(i, i + CHUNK)) })
}

/** Keeps the report readable for a file where everything is wrong; counts stay exact. */
function capIssues(issues: TerritoryIssue[]): TerritoryIssue[] {
  if (issues.length <= TerritoryImportLimits.maxIssues) return issues
  const shown = issues.slice(0, TerritoryImportLimits.maxIssues)
  shown.push({ code: 'too_many_issues', message: `${issues.length - TerritoryImportLimits.maxIssues} more not shown; fix these first.` })
  return shown
}

/**
 * Imports a territory file (or three): validates everything first, then, when nothing blocks it and
 * this is not a dry run, upserts streets, communities and grids by code in one transaction, removes
 * what the file leaves out of the streets it covers (never anything open tickets or staff accounts
 * still use), bumps the territory version and rebuilds this instance's grid index. Tickets keep
 * their codes. A second import of the same file finds everything unchanged and writes nothing.
 * @throws BadRequestError `unsupported_coordinate_system` when a file declares no or an unknown system
 */
export async function importTerritory(deps: Pick<AppDeps, 'ds' | 'now'>, body: TerritoryImportBody, dryRun: boolean): Promise<TerritoryImportReport> {
  const started = performance.now()
  const files = Array.isArray(body) ? body : [body]
  const parsed = parseTerritoryFiles(files)
  const checked = checkTerritory(parsed.features, await storedGridsOutside(deps.ds.manager, parsed.features))
  const errors = [...parsed.issues, ...checked.errors]
  const warnings = [...checked.warnings]
  const level = (l: ParsedFeature['level']) => parsed.features.filter((f) => f.level === l).length

  const decide = async (em: EntityManager) => {
    const plan = await planChanges(em, parsed.features)
    const uses = await findUsesOfRemoved(em, plan.removedGrids, plan.removedCommunities, plan.moves)
    errors.push(...uses.errors)
    warnings.push(...uses.warnings)
    const write = errors.length === 0 && !dryRun && changeCount(plan) > 0
    if (write) await writePlan(em, plan)
    const version = write ? await bumpTerritoryVersion(em, deps.now()) : await readTerritoryVersion(em)
    if (write)
      await recordAudit(em, {
        action: 'territory.import',
        objectType: 'territory',
        objectId: String(version),
        detail: {
          created: [plan.streets, plan.communities, plan.grids].map((c) => c.create.length),
          updated: [plan.streets, plan.communities, plan.grids].map((c) => c.update.length),
          removed: plan.removedGrids.length + plan.removedCommunities.length
        }
      })
    return { plan, write, version }
  }
  const { plan, write, version } = dryRun
    ? await decide(deps.ds.manager)
    : await withTx(deps.ds, async (em) => {
        await lockTerritoryVersion(em)
        return decide(em)
      })
  if (write) invalidateGridIndex(deps.ds)

  const all: Array<Changes<unknown>> = [plan.streets, plan.communities, plan.grids]
  const counts: TerritoryImportCounts = {
    streets: level('street'),
    communities: level('community'),
    grids: level('grid'),
    created: all.reduce((sum, c) => sum + c.create.length, 0),
    updated: all.reduce((sum, c) => sum + c.update.length, 0),
    unchanged: plan.unchanged,
    removed: plan.removedGrids.length + plan.removedCommunities.length
  }
  return {
    valid: errors.length === 0,
    dryRun,
    written: write,
    coordinateSystem: { declared: parsed.declared, stored: STORED_COORDINATE_SYSTEM, converted: parsed.converted },
    counts,
    errors: capIssues(errors),
    warnings: capIssues(warnings),
    version,
    tookMs: Math.round(performance.now() - started)
  }
}
