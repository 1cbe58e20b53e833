import type { EntityManager } from 'typeorm'
import { NotFoundError } from '../../errors'
import { LegalBooking, LegalProvider, LegalSlot, LegalStation } from './legal.entity'

/** A booking with the slot, station and provider its view shows. */
export interface BookingParts {
  booking: LegalBooking
  slot: LegalSlot
  station: LegalStation
  provider: LegalProvider
  /** Set when the caller handles the booking (station staff, the provider): their view names the resident. */
  forHandler?: boolean
}

/** The slot, station and provider of a booking. @throws NotFoundError when one is gone */
export async function loadBookingParts(em: EntityManager, booking: LegalBooking): Promise<BookingParts> {
  const [slot, station, provider] = await Promise.all([
    em.findOneBy(LegalSlot, { id: booking.slotId }),
    em.findOneBy(LegalStation, { id: booking.stationId }),
    em.findOneBy(LegalProvider, { id: booking.providerId })
  ])
  if (!slot || !station || !provider) throw new NotFoundError('No such booking.')
  return { booking, slot, station, provider }
}
