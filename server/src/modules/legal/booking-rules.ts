import type { LegalBooking, LegalSlot, LegalStation } from './legal.entity'

/** Whether a resident could book the slot now: not started, far enough ahead, and a seat left. */
export function isBookable(slot: LegalSlot, station: LegalStation, now: Date): boolean {
  return slot.booked < slot.capacity && slot.startsAt.getTime() - now.getTime() >= station.minLeadMinutes * 60_000
}

/** The last moment a booking may still be cancelled or moved (the station's cut-off before the start). */
export function changeableUntil(booking: Pick<LegalBooking, 'startsAt'>, station: LegalStation): Date {
  return new Date(booking.startsAt.getTime() - station.cancelCutoffMinutes * 60_000)
}
