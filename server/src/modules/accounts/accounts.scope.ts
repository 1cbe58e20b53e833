import type { StaffRole } from '@palm/shared'
import { ForbiddenError, NotFoundError } from '../../errors'
import type { Actor } from '../auth/actor'
import type { ResolvedScope } from '../auth/staff-accounts.service'
import type { User } from '../auth/user.entity'

/** The roles that may open the accounts pages at all (list and view); writes need ACCOUNT_MANAGERS. */
export const ACCOUNT_READERS = ['district_admin', 'street_admin', 'community_staff'] as const
export const ACCOUNT_MANAGERS = ['district_admin', 'street_admin'] as const

/** Which roles' accounts each manager creates and manages (docs/accounts-and-duty.md "Accounts"). */
const MANAGED_ROLES: Partial<Record<string, readonly StaffRole[]>> = {
  district_admin: ['grid_worker', 'community_staff', 'street_admin', 'district_admin', 'department_staff'],
  street_admin: ['grid_worker', 'community_staff']
}

export type AccountAccess = 'manage' | 'view'

/**
 * What the caller may do with this account: the district admin manages every staff account, a
 * street admin the community staff and grid workers of its street, community staff see the grid
 * workers of their community. null: not theirs (the caller answers 404, not revealing it exists).
 */
export function accessTo(actor: Actor, user: Pick<User, 'role' | 'streetCode' | 'communityCode' | 'username'>): AccountAccess | null {
  if (!user.username) return null
  switch (actor.role) {
    case 'district_admin':
      return MANAGED_ROLES.district_admin?.includes(user.role as StaffRole) ? 'manage' : null
    case 'street_admin':
      return MANAGED_ROLES.street_admin?.includes(user.role as StaffRole) && !!actor.scope.streetCode && user.streetCode === actor.scope.streetCode ? 'manage' : null
    case 'community_staff':
      return user.role === 'grid_worker' && !!actor.scope.communityCode && user.communityCode === actor.scope.communityCode ? 'view' : null
    default:
      return null
  }
}

/** 403 unless the caller may create accounts of this role at all (function level). */
export function assertMayCreateRole(actor: Actor, role: StaffRole): void {
  if (!MANAGED_ROLES[actor.role]?.includes(role)) throw new ForbiddenError(`A ${actor.role} does not create ${role} accounts.`)
}

/**
 * 404 unless a resolved scope (where an account is created or moved to) lies in the caller's own:
 * a street admin stays inside its street. Answered like an unknown code, so other streets' codes are
 * not confirmed.
 */
export function assertScopeWithin(actor: Actor, scope: ResolvedScope): void {
  if (actor.role === 'district_admin') return
  if (actor.role === 'street_admin' && !!actor.scope.streetCode && scope.streetCode === actor.scope.streetCode) return
  throw new NotFoundError('No such place in your area.')
}

/** The SQL restriction of the accounts list (alias `u`) to the caller's scope, the same rule as accessTo. */
export function scopeCondition(actor: Actor): { sql: string; params: Record<string, unknown> } {
  switch (actor.role) {
    case 'district_admin':
      return { sql: 'u.role IN (:...scopeRoles)', params: { scopeRoles: MANAGED_ROLES.district_admin } }
    case 'street_admin':
      return { sql: 'u.role IN (:...scopeRoles) AND u.street_code = :scopeStreet', params: { scopeRoles: MANAGED_ROLES.street_admin, scopeStreet: actor.scope.streetCode ?? '' } }
    case 'community_staff':
      return { sql: "u.role = 'grid_worker' AND u.community_code = :scopeCommunity", params: { scopeCommunity: actor.scope.communityCode ?? '' } }
    default:
      return { sql: '1 = 0', params: {} }
  }
}
