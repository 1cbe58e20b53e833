import type { Role } from '@palm/shared'
import type { Session } from '../../../services/session'

/**
 * Who may use which staff page, mirroring the server's role lists (the server still checks role and
 * scope on every call; these only decide which links a staff member sees).
 */
export const StaffRoles = {
  points: ['community_staff', 'street_admin', 'district_admin'],
  approveRequests: ['community_staff'],
  stations: ['community_staff', 'street_admin', 'district_admin', 'department_staff'],
  hazards: ['grid_worker', 'community_staff', 'street_admin', 'district_admin', 'department_staff'],
  hazardWriters: ['grid_worker', 'community_staff', 'street_admin', 'district_admin'],
  activities: ['community_staff', 'street_admin', 'district_admin', 'department_staff'],
  volunteers: ['community_staff', 'street_admin', 'district_admin'],
  alerts: ['department_staff', 'community_staff', 'street_admin', 'district_admin']
} as const satisfies Record<string, readonly Role[]>

export function hasRole(session: Session | undefined, roles: readonly Role[]): boolean {
  return Boolean(session && roles.includes(session.user.role))
}

/** The territory filter of a staff member's lists: their community, else their street, else all. */
export function scopeFilter(session: Session | undefined): { communityCode?: string; streetCode?: string } {
  const scope = session?.user.scope ?? {}
  if (scope.communityCode) return { communityCode: scope.communityCode }
  if (scope.streetCode) return { streetCode: scope.streetCode }
  return {}
}
