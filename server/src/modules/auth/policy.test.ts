import { ROLES, type Role } from '@palm/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestDatabase, type TestDatabase } from '../../../test/db'
import type { Actor } from './actor'
import { ROLE_SCOPE, isInScope, scopeCondition, type ScopedObject } from './policy'

/** Objects spread over two streets, their communities and grids, a department queue and two owners. */
const OBJECTS: Array<ScopedObject & { id: string }> = [
  { id: 'g1', streetCode: 'S1', communityCode: 'C1', gridCode: 'G1', ownerId: 'u1' },
  { id: 'g2', streetCode: 'S1', communityCode: 'C1', gridCode: 'G2', ownerId: 'u2' },
  { id: 'c2', streetCode: 'S1', communityCode: 'C2', gridCode: 'G3' },
  { id: 's2', streetCode: 'S2', communityCode: 'C9', gridCode: 'G9', ownerId: 'u1' },
  { id: 'd1', streetCode: 'S2', communityCode: 'C9', departmentCode: 'D1' },
  { id: 'none' }
]

const actor = (role: Role, scope: Actor['scope'] = {}, id = 'u1'): Actor => ({ id, role, displayName: role, scope })
const ACTORS: Actor[] = [
  actor('district_admin'),
  actor('street_admin', { streetCode: 'S1' }),
  actor('street_admin'),
  actor('community_staff', { communityCode: 'C1', streetCode: 'S1' }),
  actor('grid_worker', { gridCode: 'G1', gridCodes: ['G1'] }),
  actor('grid_worker', { gridCode: 'G1', gridCodes: ['G1', 'G3'] }),
  actor('grid_worker'),
  actor('department_staff', { departmentCode: 'D1' }),
  actor('resident', {}, 'u1'),
  actor('volunteer', {}, 'u2')
]

let db: TestDatabase
beforeAll(async () => {
  db = await openTestDatabase()
  await db.ds.query(
    'CREATE TABLE scope_probe (id VARCHAR(8) NOT NULL PRIMARY KEY, street_code VARCHAR(16), community_code VARCHAR(16), grid_code VARCHAR(16), department_code VARCHAR(16), owner_id VARCHAR(8))'
  )
  for (const o of OBJECTS) {
    await db.ds.query('INSERT INTO scope_probe VALUES (?, ?, ?, ?, ?, ?)', [o.id, o.streetCode ?? null, o.communityCode ?? null, o.gridCode ?? null, o.departmentCode ?? null, o.ownerId ?? null])
  }
})
afterAll(async () => {
  await db.close()
})

const COLUMNS = { street: 'street_code', community: 'community_code', grid: 'grid_code', department: 'department_code', owner: 'owner_id' }

async function rowsMatching(a: Actor): Promise<string[]> {
  const qb = db.ds.createQueryBuilder().select('p.id', 'id').from('scope_probe', 'p').orderBy('p.id')
  const scope = scopeCondition(a, 'p', COLUMNS)
  if (scope) qb.where(scope.sql, scope.params)
  return ((await qb.getRawMany()) as Array<{ id: string }>).map((r) => r.id)
}

describe('the role → scope table', () => {
  it('gives every role a scope', () => {
    expect(Object.keys(ROLE_SCOPE).sort()).toEqual([...ROLES].sort())
  })

  it.each(ACTORS.map((a) => [`${a.role} ${JSON.stringify(a.scope)}`, a] as const))('builds an SQL filter that keeps exactly what the in-memory check allows: %s', async (_name, a) => {
    const allowed = OBJECTS.filter((o) => isInScope(a, o))
      .map((o) => o.id)
      .sort()
    expect(await rowsMatching(a)).toEqual(allowed)
  })

  it('lets each level see its own territory only', () => {
    const seen = (a: Actor) => OBJECTS.filter((o) => isInScope(a, o)).map((o) => o.id)
    expect(seen(ACTORS[0] as Actor)).toEqual(OBJECTS.map((o) => o.id))
    expect(seen(actor('street_admin', { streetCode: 'S1' }))).toEqual(['g1', 'g2', 'c2'])
    expect(seen(actor('street_admin'))).toEqual([])
    expect(seen(actor('community_staff', { communityCode: 'C1' }))).toEqual(['g1', 'g2'])
    expect(seen(actor('grid_worker', { gridCode: 'G1', gridCodes: ['G1', 'G3'] }))).toEqual(['g1', 'c2'])
    expect(seen(actor('department_staff', { departmentCode: 'D1' }))).toEqual(['d1'])
    expect(seen(actor('resident', {}, 'u1'))).toEqual(['g1', 's2'])
  })

  it('matches nothing at a level the table has no column for', () => {
    expect(scopeCondition(actor('resident'), 'p', { street: 'street_code' })?.sql).toBe('1 = 0')
    expect(scopeCondition(actor('district_admin'), 'p', {})).toBeNull()
  })
})
