import { type EntityManager, type EntityTarget, type ObjectLiteral } from 'typeorm'
import type { AppDeps } from '../../deps'
import { withTx } from '../../db/tx'
import { StaffGrid } from '../auth/staff-grid.entity'
import { User } from '../auth/user.entity'
import { invalidateGridIndex } from '../territory/grid-index-cache'
import { Community, Department, Grid, Street } from '../territory/territory.entity'
import { planTerritory } from './territory-plan'

/** Rows per INSERT: well under SQLite's and MySQL's placeholder limits, few enough round trips to stay fast. */
const CHUNK = 250

export interface SeedTerritoryCounts {
  streets: number
  communities: number
  grids: number
  departments: number
  users: number
}

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

/**
 * Inserts the rows whose key is not in the table yet and returns how many it inserted. Rows already
 * there are left as they are (an admin may have renamed a community or put a worker off duty), and
 * INSERT … IGNORE covers a second instance seeding at the same moment.
 */
async function insertMissing<T extends ObjectLiteral>(em: EntityManager, entity: EntityTarget<T>, key: keyof T & string, rows: readonly T[]): Promise<number> {
  const repo = em.getRepository(entity)
  const existing = new Set<unknown>()
  for (const part of chunks(
    rows.map((r) => r[key]),
    500
  )) {
    const found = await repo.createQueryBuilder('t').select(`t.${key}`, 'k').where(`t.${key} IN (:...keys)`, { keys: part }).getRawMany<{ k: unknown }>()
    for (const row of found) existing.add(row.k)
  }
  const missing = rows.filter((r) => !existing.has(r[key]))
  for (const part of chunks(missing)) {
    await em.createQueryBuilder().insert().into(entity).values(part).orIgnore().updateEntity(false).execute()
  }
  return missing.length
}

/**
 * Seeds the demo territory: the 18 real streets, the synthetic communities, villages and grids, the
 * departments, and a staff account for every scope (grid workers, community staff, street admins,
 * the district admin, department staff; grid workers with their staff_grids row), none with a password. Idempotent: a second run inserts
 * nothing. Runs in one transaction, then drops the cached grid index so lookups see the new grids.
 */
export async function seedTerritory(deps: Pick<AppDeps, 'ds' | 'now' | 'log'>): Promise<SeedTerritoryCounts> {
  const plan = planTerritory()
  const now = deps.now()
  const counts = await withTx(deps.ds, async (em) => ({
    streets: await insertMissing(
      em,
      Street,
      'code',
      plan.streets.map((s) => Object.assign(new Street(), { ...s, synthetic: false }))
    ),
    departments: await insertMissing(
      em,
      Department,
      'code',
      plan.departments.map((d) => Object.assign(new Department(), d))
    ),
    communities: await insertMissing(
      em,
      Community,
      'code',
      plan.communities.map((c) => Object.assign(new Community(), { code: c.code, name: c.name, streetCode: c.streetCode, kind: c.kind, synthetic: true }))
    ),
    grids: await insertMissing(
      em,
      Grid,
      'code',
      plan.grids.map((g) =>
        Object.assign(new Grid(), {
          code: g.code,
          name: g.name,
          communityCode: g.communityCode,
          streetCode: g.streetCode,
          polygon: JSON.stringify(g.polygon),
          minLat: g.minLat,
          minLng: g.minLng,
          maxLat: g.maxLat,
          maxLng: g.maxLng,
          synthetic: true
        })
      )
    ),
    users: await insertMissing(
      em,
      User,
      'id',
      plan.staff.map((s) =>
        Object.assign(new User(), {
          ...s,
          openid: null,
          unionid: null,
          openidSource: null,
          passwordHash: null,
          totpSecret: null,
          totpLastStep: null,
          phone: null,
          disabled: false,
          mustChangePassword: false,
          failedLogins: 0,
          lockedUntil: null,
          demoKey: null,
          synthetic: true,
          createdAt: now,
          updatedAt: now
        })
      )
    )
  }))
  // Every seeded grid worker covers their grid (staff_grids is what routing and the sign-in check read).
  await withTx(deps.ds, (em) =>
    insertMissing(
      em,
      StaffGrid,
      'userId',
      plan.staff.flatMap((s) => (s.role === 'grid_worker' && s.gridCode ? [Object.assign(new StaffGrid(), { userId: s.id, gridCode: s.gridCode, isPrimary: true })] : []))
    )
  )
  invalidateGridIndex(deps.ds)
  deps.log.info({ inserted: counts }, 'demo territory seeded')
  return counts
}
