import { ForbiddenError } from '../../errors'
import type { ScopedObject } from '../auth/policy'
import { isInScope } from '../auth/policy'
import type { Actor } from '../auth/actor'
import type { LegalBooking, LegalProvider, LegalStation } from './legal.entity'

/** Staff roles that run stations (each within their scope; the justice bureau through its department code). */
export const STATION_STAFF_ROLES = ['community_staff', 'street_admin', 'district_admin', 'department_staff'] as const
/** Residents and volunteers book consultations. */
export const BOOKING_ROLES = ['resident', 'volunteer'] as const

type StationPlace = Pick<LegalStation, 'streetCode' | 'communityCode' | 'departmentCode'>

export function stationScope(station: StationPlace): ScopedObject {
  return { streetCode: station.streetCode, communityCode: station.communityCode, departmentCode: station.departmentCode }
}

/** 403 unless the actor's role runs stations at all (function level; the record level is mayManageStation). */
export function assertStationStaff(actor: Actor): void {
  if (!(STATION_STAFF_ROLES as readonly string[]).includes(actor.role)) throw new ForbiddenError('Only station staff manage stations.')
}

/** 403 unless the actor's role books consultations. */
export function assertBooker(actor: Actor): void {
  if (!(BOOKING_ROLES as readonly string[]).includes(actor.role)) throw new ForbiddenError('Consultations are booked by residents.')
}

/** Whether the actor runs this station: a staff role whose scope holds it. */
export function mayManageStation(actor: Actor, station: StationPlace): boolean {
  return (STATION_STAFF_ROLES as readonly string[]).includes(actor.role) && isInScope(actor, stationScope(station))
}

/**
 * "May this actor set up a station here": the street (or, with no street, the district level) and
 * the department it will belong to lie in their scope. A street out of scope is 404; the district
 * level out of scope is 403 (it exists, and is the district's or the justice bureau's).
 */
export function mayPlaceStation(actor: Actor, place: StationPlace): boolean {
  return isInScope(actor, stationScope(place))
}

/** Station staff, or the provider's own account, handle a booking (no-show, consultation record). */
export function mayHandleBooking(actor: Actor, station: LegalStation, provider: LegalProvider): boolean {
  return mayManageStation(actor, station) || (provider.userId !== null && provider.userId === actor.id)
}

/** The resident who booked is the only one who cancels or moves a booking (anyone else: 404). */
export function ownsBooking(actor: Actor, booking: Pick<LegalBooking, 'userId'>): boolean {
  return booking.userId === actor.id
}
