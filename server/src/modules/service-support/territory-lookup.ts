import { In, type EntityManager } from 'typeorm'
import { NotFoundError } from '../../errors'
import type { Actor } from '../auth/actor'
import { isInScope, type ScopedObject } from '../auth/policy'
import { Community, Street } from '../territory/territory.entity'

export interface CodeName {
  code: string
  name: string
}

/** Names of the streets and communities a page of rows refers to, in two queries. */
export interface TerritoryNames {
  street: (code: string | null | undefined) => CodeName | null
  community: (code: string | null | undefined) => CodeName | null
}

export async function loadTerritoryNames(
  em: EntityManager,
  codes: { streetCodes?: Iterable<string | null | undefined>; communityCodes?: Iterable<string | null | undefined> }
): Promise<TerritoryNames> {
  const streetCodes = [...new Set([...(codes.streetCodes ?? [])].filter((c): c is string => !!c))]
  const communityCodes = [...new Set([...(codes.communityCodes ?? [])].filter((c): c is string => !!c))]
  const [streets, communities] = await Promise.all([
    streetCodes.length ? em.find(Street, { where: { code: In(streetCodes) } }) : Promise.resolve([]),
    communityCodes.length ? em.find(Community, { where: { code: In(communityCodes) } }) : Promise.resolve([])
  ])
  const streetByCode = new Map(streets.map((s) => [s.code, { code: s.code, name: s.name }]))
  const communityByCode = new Map(communities.map((c) => [c.code, { code: c.code, name: c.name }]))
  return {
    street: (code) => (code ? (streetByCode.get(code) ?? { code, name: code }) : null),
    community: (code) => (code ? (communityByCode.get(code) ?? { code, name: code }) : null)
  }
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

/**
 * How a staff member's list is narrowed to their scope: the column to compare and the value, or the
 * whole district. Citizens get `none` (they see no staff lists).
 */
export type TerritoryFilter =
  | { level: 'all' }
  | { level: 'street' | 'community' | 'grid' | 'department'; code: string; /** A grid worker's every grid (the first is `code`). */ codes?: readonly string[] }
  | { level: 'none' }

export function territoryFilterFor(actor: Actor): TerritoryFilter {
  const s = actor.scope
  switch (actor.role) {
    case 'district_admin':
      return { level: 'all' }
    case 'street_admin':
      return s.streetCode ? { level: 'street', code: s.streetCode } : { level: 'none' }
    case 'community_staff':
      return s.communityCode ? { level: 'community', code: s.communityCode } : { level: 'none' }
    case 'grid_worker':
      return s.gridCode ? { level: 'grid', code: s.gridCode, codes: s.gridCodes?.length ? s.gridCodes : [s.gridCode] } : { level: 'none' }
    case 'department_staff':
      return s.departmentCode ? { level: 'department', code: s.departmentCode } : { level: 'none' }
    default:
      return { level: 'none' }
  }
}

/** The SQL condition of a TerritoryFilter on a table with `<alias>.streetCode` etc., or null for all. */
export function territoryCondition(
  filter: TerritoryFilter,
  alias: string,
  columns: Partial<Record<'street' | 'community' | 'grid' | 'department', string>> = {
    street: 'streetCode',
    community: 'communityCode',
    grid: 'gridCode',
    department: 'departmentCode'
  }
): { sql: string; params: Record<string, string | string[]> } | null {
  if (filter.level === 'all') return null
  if (filter.level === 'none') return { sql: '1 = 0', params: {} }
  const column = columns[filter.level]
  if (!column) return { sql: '1 = 0', params: {} }
  if (filter.codes && filter.codes.length > 1) return { sql: `${alias}.${column} IN (:...scopeCodes)`, params: { scopeCodes: [...filter.codes] } }
  return { sql: `${alias}.${column} = :scopeCode`, params: { scopeCode: filter.code } }
}
