import type { ScopedObject } from '../auth/policy'
import { isInScope } from '../auth/policy'
import type { Actor } from '../auth/actor'
import type { LegalProvider, LegalStation } from './legal.entity'

/** Staff roles that run stations (each within their scope; the justice bureau through its department code). */
export const STATION_STAFF_ROLES = ['community_staff', 'street_admin', 'district_admin', 'department_staff'] as const

export function stationScope(station: Pick<LegalStation, 'streetCode' | 'communityCode' | 'departmentCode'>): ScopedObject {
  return { streetCode: station.streetCode, communityCode: station.communityCode, departmentCode: station.departmentCode }
}

/** Whether the actor runs this station: a staff role whose scope holds it. */
export function mayManageStation(actor: Actor, station: Pick<LegalStation, 'streetCode' | 'communityCode' | 'departmentCode'>): boolean {
  return (STATION_STAFF_ROLES as readonly string[]).includes(actor.role) && isInScope(actor, stationScope(station))
}

/** Station staff, or the provider's own account, handle a booking (no-show, consultation record). */
export function mayHandleBooking(actor: Actor, station: LegalStation, provider: LegalProvider): boolean {
  return mayManageStation(actor, station) || (provider.userId !== null && provider.userId === actor.id)
}
