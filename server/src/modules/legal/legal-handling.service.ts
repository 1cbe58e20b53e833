import type { ConsultationRecordInput } from '@palm/shared'
import { In, type EntityManager } from 'typeorm'
import type { AppDeps } from '../../deps'
import { ConflictError, NotFoundError } from '../../errors'
import type { Actor } from '../auth/actor'
import { resolveServiceTicket } from '../tickets/index'
import { loadBookingParts, type BookingParts } from './booking-parts'
import { LegalBooking, LegalProvider, LegalSlot, LegalStation } from './legal.entity'
import { mayHandleBooking, mayManageStation, ownsBooking } from './legal.policy'

/** A booking the actor handles (station staff in scope, or the provider's own account); else 404. */
async function requireHandledBooking(em: EntityManager, actor: Actor, bookingId: string): Promise<BookingParts> {
  const booking = await em.findOneBy(LegalBooking, { id: bookingId })
  if (!booking) throw new NotFoundError('No such booking.')
  const parts = await loadBookingParts(em, booking)
  if (!mayHandleBooking(actor, parts.station, parts.provider)) throw new NotFoundError('No such booking.')
  return { ...parts, forHandler: true }
}

/**
 * Records that the resident did not come. Only once the slot has started, and only for a live booking.
 * @throws NotFoundError; ConflictError `booking_not_active` | `consultation_not_started`
 */
export async function markNoShow(em: EntityManager, deps: AppDeps, actor: Actor, bookingId: string): Promise<BookingParts> {
  const now = deps.now()
  const parts = await requireHandledBooking(em, actor, bookingId)
  if (now.getTime() < parts.slot.startsAt.getTime()) throw new ConflictError('consultation_not_started', 'A no-show can be recorded once the slot has started.')
  const result = await em.createQueryBuilder().update(LegalBooking).set({ status: 'no_show', updatedAt: now }).where("id = :id AND status = 'booked'", { id: bookingId }).execute()
  if (result.affected !== 1) throw new ConflictError('booking_not_active', 'Only a live booking can be marked as a no-show.')
  parts.booking.status = 'no_show'
  return parts
}

/**
 * The provider's consultation record (summary and advice), which the resident then reads on the
 * booking. Writing it completes the booking; it may be corrected afterwards.
 * @throws NotFoundError; ConflictError `booking_not_active` | `consultation_not_started`
 */
export async function writeConsultationRecord(em: EntityManager, deps: AppDeps, actor: Actor, bookingId: string, input: ConsultationRecordInput): Promise<BookingParts> {
  const now = deps.now()
  const parts = await requireHandledBooking(em, actor, bookingId)
  if (now.getTime() < parts.slot.startsAt.getTime()) throw new ConflictError('consultation_not_started', 'The record is written once the consultation has started.')
  const result = await em
    .createQueryBuilder()
    .update(LegalBooking)
    .set({ status: 'completed', recordSummary: input.summary, recordAdvice: input.advice, recordBy: actor.displayName.slice(0, 64), recordAt: now, updatedAt: now })
    .where("id = :id AND status IN ('booked', 'completed')", { id: bookingId })
    .execute()
  if (result.affected !== 1) throw new ConflictError('booking_not_active', 'A cancelled or missed consultation has no record.')
  // The ticket is settled by whoever may (the justice bureau's staff); the record itself stays private to the resident.
  if (parts.booking.ticketId) await resolveServiceTicket(em, deps, actor, parts.booking.ticketId, '法律咨询已完成，咨询记录已发送给居民。')
  Object.assign(parts.booking, { status: 'completed', recordSummary: input.summary, recordAdvice: input.advice, recordBy: actor.displayName.slice(0, 64), recordAt: now })
  return parts
}

/** One booking: its resident, or the station staff / provider who handle it. @throws NotFoundError */
export async function getBooking(em: EntityManager, actor: Actor, bookingId: string): Promise<BookingParts> {
  const booking = await em.findOneBy(LegalBooking, { id: bookingId })
  if (!booking) throw new NotFoundError('No such booking.')
  if (ownsBooking(actor, booking)) return loadBookingParts(em, booking)
  return requireHandledBooking(em, actor, bookingId)
}

/**
 * `view=mine`: the caller's bookings, newest first. `view=station`: a station's bookings in a window,
 * for its staff (404 for a station out of scope).
 */
export async function listBookings(em: EntityManager, actor: Actor, query: { view: 'mine' | 'station'; stationId?: string; status?: string; from?: string; to?: string }): Promise<BookingParts[]> {
  const qb = em.getRepository(LegalBooking).createQueryBuilder('b')
  let forStaff = false
  if (query.view === 'mine') {
    qb.where('b.userId = :user', { user: actor.id }).orderBy('b.startsAt', 'DESC')
  } else {
    if (!query.stationId) throw new NotFoundError('Name the station (stationId).')
    const station = await em.findOneBy(LegalStation, { id: query.stationId })
    if (!station || !mayManageStation(actor, station)) throw new NotFoundError('No such station in your area.')
    qb.where('b.stationId = :station', { station: station.id }).orderBy('b.startsAt', 'ASC')
    forStaff = true
  }
  if (query.status) qb.andWhere('b.status = :status', { status: query.status })
  if (query.from) qb.andWhere('b.startsAt >= :from', { from: new Date(query.from) })
  if (query.to) qb.andWhere('b.startsAt < :to', { to: new Date(query.to) })
  const bookings = await qb.addOrderBy('b.id', 'ASC').take(200).getMany()
  if (bookings.length === 0) return []
  const [slots, stations, providers] = await Promise.all([
    em.find(LegalSlot, { where: { id: In([...new Set(bookings.map((b) => b.slotId))]) } }),
    em.find(LegalStation, { where: { id: In([...new Set(bookings.map((b) => b.stationId))]) } }),
    em.find(LegalProvider, { where: { id: In([...new Set(bookings.map((b) => b.providerId))]) } })
  ])
  const slotById = new Map(slots.map((s) => [s.id, s]))
  const stationById = new Map(stations.map((s) => [s.id, s]))
  const providerById = new Map(providers.map((p) => [p.id, p]))
  return bookings.flatMap((booking) => {
    const slot = slotById.get(booking.slotId)
    const station = stationById.get(booking.stationId)
    const provider = providerById.get(booking.providerId)
    if (!slot || !station || !provider) return []
    return [{ booking, slot, station, provider, ...(forStaff ? { forHandler: true } : {}) }]
  })
}
