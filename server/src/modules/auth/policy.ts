import type { Role } from '@palm/shared'
import type { EntityManager } from 'typeorm'
import { NotFoundError } from '../../errors'
import { Community } from '../territory/territory.entity'
import { actorGridCodes, type Actor } from './actor'

/** Where an object lives: the territory (and department queue) it belongs to, and who owns it. */
export interface ScopedObject {
  gridCode?: string | null
  communityCode?: string | null
  streetCode?: string | null
  departmentCode?: string | null
  ownerId?: string | null
}

/** What a role's scope is measured by: the whole district, one level of the territory or a department's queue, or ownership. */
export type ScopeLevel = 'district' | 'street' | 'community' | 'grid' | 'department' | 'owner'

/**
 * The one role → scope table (docs/server-structure.md "Scope"). Both the in-memory check
 * (isInScope) and the SQL filter (scopeCondition) are built from it, so a list and a single read
 * can never disagree about who sees what. Territory nests (grid ⊂ community ⊂ street ⊂ district),
 * so matching the code at the actor's level is enough.
 */
export const ROLE_SCOPE: Readonly<Record<Role, ScopeLevel>> = {
  district_admin: 'district',
  street_admin: 'street',
  community_staff: 'community',
  grid_worker: 'grid',
  department_staff: 'department',
  resident: 'owner',
  volunteer: 'owner'
}

type CodeLevel = Exclude<ScopeLevel, 'district' | 'owner'>
const OBJECT_FIELD = { street: 'streetCode', community: 'communityCode', grid: 'gridCode', department: 'departmentCode' } as const satisfies Record<CodeLevel, keyof ScopedObject>

/** The codes at the actor's level that their scope covers (a grid worker's every grid); empty when their account names none. */
export function scopeCodes(actor: Actor): readonly string[] {
  const level = ROLE_SCOPE[actor.role]
  if (level === 'grid') return actorGridCodes(actor)
  if (level === 'district' || level === 'owner') return []
  const code = actor.scope[OBJECT_FIELD[level]]
  return code ? [code] : []
}

/**
 * The one answer to "is this object inside this actor's scope": the object carries one of the
 * actor's codes at the actor's level; residents and volunteers match only what they own. Callers
 * deny with 404 so existence is not revealed.
 */
export function isInScope(actor: Actor, obj: ScopedObject): boolean {
  const level = ROLE_SCOPE[actor.role]
  if (level === 'district') return true
  if (level === 'owner') return !!obj.ownerId && obj.ownerId === actor.id
  const code = obj[OBJECT_FIELD[level]]
  return !!code && scopeCodes(actor).includes(code)
}

/** The columns a table keeps its territory (and owner) in, as the query builder names them. */
export type ScopeColumns = Partial<Record<CodeLevel | 'owner', string>>
const ENTITY_COLUMNS: ScopeColumns = { street: 'streetCode', community: 'communityCode', grid: 'gridCode', department: 'departmentCode' }

/**
 * The same rule as isInScope as a SQL condition on `<alias>.<column>`, or null for the whole
 * district. A level the table has no column for matches nothing; one code keeps a single-range plan
 * on its index, several (a grid worker's grids) read one range each.
 */
export function scopeCondition(actor: Actor, alias: string, columns: ScopeColumns = ENTITY_COLUMNS): { sql: string; params: Record<string, string | string[]> } | null {
  const level = ROLE_SCOPE[actor.role]
  if (level === 'district') return null
  const column = columns[level]
  if (!column) return { sql: '1 = 0', params: {} }
  if (level === 'owner') return { sql: `${alias}.${column} = :scopeOwner`, params: { scopeOwner: actor.id } }
  const codes = scopeCodes(actor)
  if (codes.length === 0) return { sql: '1 = 0', params: {} }
  if (codes.length > 1) return { sql: `${alias}.${column} IN (:...scopeCodes)`, params: { scopeCodes: [...codes] } }
  return { sql: `${alias}.${column} = :scopeCode`, params: { scopeCode: codes[0] ?? '' } }
}

/**
 * The community named in a request, if it exists and lies in the actor's scope; otherwise 404, so a
 * staff member cannot learn of (or write into) a community outside their area.
 * @throws NotFoundError
 */
export async function requireCommunityInScope(em: EntityManager, actor: Actor, communityCode: string, extra: ScopedObject = {}): Promise<Community> {
  const community = await em.findOneBy(Community, { code: communityCode })
  if (!community || !isInScope(actor, { ...extra, communityCode: community.code, streetCode: community.streetCode })) {
    throw new NotFoundError('No such community in your area.')
  }
  return community
}
