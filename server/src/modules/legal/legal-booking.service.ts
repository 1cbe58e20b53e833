import { randomUUID } from 'node:crypto'
import type { CreateBookingInput, RescheduleBookingInput } from '@palm/shared'
import type { EntityManager } from 'typeorm'
import type { AppDeps } from '../../deps'
import { ConflictError, NotFoundError } from '../../errors'
import type { Actor } from '../auth/actor'
import { isUniqueViolation } from '../../db/errors'
import { openServiceTicket, withdrawServiceTicket } from '../tickets/index'
import { loadBookingParts, type BookingParts } from './booking-parts'
import { changeableUntil } from './booking-rules'
import { LegalBooking, LegalProvider, LegalSlot, LegalStation } from './legal.entity'
import { assertBooker, ownsBooking } from './legal.policy'

interface SlotContext {
  slot: LegalSlot
  station: LegalStation
  provider: LegalProvider
}

async function loadSlotContext(em: EntityManager, slotId: string): Promise<SlotContext> {
  const slot = await em.findOneBy(LegalSlot, { id: slotId })
  if (!slot) throw new NotFoundError('No such slot.')
  const [station, provider] = await Promise.all([em.findOneBy(LegalStation, { id: slot.stationId }), em.findOneBy(LegalProvider, { id: slot.providerId })])
  if (!station || !provider || !station.active || !provider.active) throw new NotFoundError('No such slot.')
  return { slot, station, provider }
}

/**
 * The time rules of taking a seat: not started, and at least the station's lead time ahead.
 * @throws ConflictError `slot_in_past`, `slot_too_soon`
 */
function assertSlotTimeBookable(ctx: SlotContext, now: Date): void {
  const ahead = ctx.slot.startsAt.getTime() - now.getTime()
  if (ahead <= 0) throw new ConflictError('slot_in_past', 'This slot has already started.')
  if (ahead < ctx.station.minLeadMinutes * 60_000) {
    throw new ConflictError('slot_too_soon', `Book at least ${ctx.station.minLeadMinutes} minutes ahead.`, { minLeadMinutes: ctx.station.minLeadMinutes })
  }
}

/**
 * Takes one seat: `booked = booked + 1 WHERE booked < capacity`, and the affected-row count says
 * whether it worked. The database serialises the check and the increment, so the slot cannot pass
 * its capacity however many requests arrive at once, on MariaDB or SQLite alike.
 * @throws ConflictError `slot_full`
 */
async function takeSeat(em: EntityManager, slotId: string): Promise<void> {
  const result = await em
    .createQueryBuilder()
    .update(LegalSlot)
    .set({ booked: () => 'booked + 1' })
    .where('id = :slotId AND booked < capacity', { slotId })
    .execute()
  if (result.affected !== 1) throw slotFull()
}

const slotFull = () => new ConflictError('slot_full', 'This slot is fully booked.')
const alreadyBooked = () => new ConflictError('already_booked', 'You already hold a booking for this slot.')

/**
 * The fast refusal of a full slot (issue 12.4): the slot as just read (a plain, non-locking read)
 * has no seat left, so the request is answered before it writes anything or queues for the slot's
 * row lock behind the bookings in flight. The answer is the one the locking path would give: 409
 * `already_booked` to someone holding a seat in it (a unique-index read), else 409 `slot_full`. The
 * read may be a moment old: seats it shows free that are gone are refused by takeSeat's conditional
 * UPDATE as before (which stays the only judge of a free seat, so nothing is overbooked), and a seat
 * freed by a cancellation in that moment is refused as if the request had come a moment earlier
 * (docs/performance.md "Contention").
 * @throws ConflictError `already_booked` | `slot_full`
 */
async function refuseWhenFull(em: EntityManager, actor: Actor, slot: LegalSlot): Promise<void> {
  if (slot.booked < slot.capacity) return
  if (await em.existsBy(LegalBooking, { userId: actor.id, activeSlotId: slot.id })) throw alreadyBooked()
  throw slotFull()
}

/** Gives a seat back (cancellation, reschedule); never below zero. */
async function releaseSeat(em: EntityManager, slotId: string): Promise<void> {
  await em
    .createQueryBuilder()
    .update(LegalSlot)
    .set({ booked: () => 'booked - 1' })
    .where('id = :slotId AND booked > 0', { slotId })
    .execute()
}

/** Inserts the booking row; the unique (user, active slot) turns a second live booking into 409. */
async function insertBooking(em: EntityManager, booking: LegalBooking): Promise<void> {
  try {
    await em.insert(LegalBooking, booking)
  } catch (err) {
    if (isUniqueViolation(err)) throw alreadyBooked()
    throw err
  }
}

/**
 * Books a consultation: time rules, a full slot refused at once (refuseWhenFull), one live booking
 * per resident per slot (unique index), a seat by conditional UPDATE, and a `legal_consultation`
 * ticket for the station, all in the caller's transaction (so a refusal leaves nothing behind).
 * @throws NotFoundError; ConflictError `slot_in_past` | `slot_too_soon` | `already_booked` | `slot_full`
 */
export async function createBooking(em: EntityManager, deps: AppDeps, actor: Actor, input: CreateBookingInput): Promise<BookingParts> {
  assertBooker(actor)
  const now = deps.now()
  const ctx = await loadSlotContext(em, input.slotId)
  assertSlotTimeBookable(ctx, now)
  await refuseWhenFull(em, actor, ctx.slot)
  const booking: LegalBooking = Object.assign(new LegalBooking(), {
    id: randomUUID(),
    slotId: ctx.slot.id,
    activeSlotId: ctx.slot.id,
    stationId: ctx.station.id,
    providerId: ctx.provider.id,
    userId: actor.id,
    startsAt: ctx.slot.startsAt,
    topic: input.topic,
    description: input.description,
    status: 'booked',
    ticketId: null,
    recordSummary: null,
    recordAdvice: null,
    recordBy: null,
    recordAt: null,
    createdAt: now,
    cancelledAt: null,
    updatedAt: now
  })
  await insertBooking(em, booking)
  await takeSeat(em, ctx.slot.id)
  ctx.slot.booked += 1
  const ticket = await openBookingTicket(em, deps, actor, booking, ctx)
  booking.ticketId = ticket.id
  await em.update(LegalBooking, { id: booking.id }, { ticketId: ticket.id })
  return { booking, ...ctx }
}

/**
 * The `legal_consultation` ticket of a booking: filed by the resident for the station's community
 * (or the station's point), and routed by the category rule to the justice bureau's queue, which
 * runs the stations.
 */
async function openBookingTicket(em: EntityManager, deps: AppDeps, actor: Actor, booking: LegalBooking, ctx: SlotContext) {
  return openServiceTicket(em, deps, actor, {
    kind: 'legal_consultation',
    category: 'legal_consultation',
    description: `【${booking.topic}】${booking.description}`,
    ...(ctx.station.communityCode ? { communityCode: ctx.station.communityCode } : {}),
    ...(ctx.station.lat !== null && ctx.station.lng !== null ? { location: { lat: ctx.station.lat, lng: ctx.station.lng } } : {}),
    address: ctx.station.address,
    details: {
      bookingId: booking.id,
      stationId: ctx.station.id,
      slotId: ctx.slot.id,
      topic: booking.topic,
      startsAt: ctx.slot.startsAt.toISOString()
    }
  })
}

/** The resident's own booking, or 404 for anyone else's. */
async function requireOwnBooking(em: EntityManager, actor: Actor, bookingId: string): Promise<BookingParts> {
  const booking = await em.findOneBy(LegalBooking, { id: bookingId })
  if (!booking || !ownsBooking(actor, booking)) throw new NotFoundError('No such booking.')
  return loadBookingParts(em, booking)
}

/** @throws ConflictError `booking_not_active`, `change_cutoff_passed` */
function assertChangeable(parts: BookingParts, now: Date): void {
  if (parts.booking.status !== 'booked') throw new ConflictError('booking_not_active', 'This booking is no longer active.')
  const until = changeableUntil(parts.booking, parts.station)
  if (now.getTime() > until.getTime()) {
    throw new ConflictError('change_cutoff_passed', `Bookings can be changed until ${parts.station.cancelCutoffMinutes} minutes before the start.`, {
      changeableUntil: until.toISOString()
    })
  }
}

/**
 * Cancels the resident's booking before the station's cut-off and gives the seat back. The status
 * change is conditional (`WHERE status = 'booked'`), so two cancels at once release one seat.
 * @throws NotFoundError; ConflictError `booking_not_active` | `change_cutoff_passed`
 */
export async function cancelBooking(em: EntityManager, deps: AppDeps, actor: Actor, bookingId: string): Promise<BookingParts> {
  const now = deps.now()
  const parts = await requireOwnBooking(em, actor, bookingId)
  assertChangeable(parts, now)
  const result = await em
    .createQueryBuilder()
    .update(LegalBooking)
    .set({ status: 'cancelled', activeSlotId: null, cancelledAt: now, updatedAt: now })
    .where("id = :id AND status = 'booked'", { id: bookingId })
    .execute()
  if (result.affected !== 1) throw new ConflictError('booking_not_active', 'This booking is no longer active.')
  await releaseSeat(em, parts.booking.slotId)
  if (parts.booking.ticketId) await withdrawServiceTicket(em, deps, actor, parts.booking.ticketId, '居民已取消预约')
  Object.assign(parts.booking, { status: 'cancelled', activeSlotId: null, cancelledAt: now, updatedAt: now })
  parts.slot.booked = Math.max(0, parts.slot.booked - 1)
  return parts
}

/**
 * Moves a booking to another slot of the same station, under the same cut-off as cancelling: the
 * new seat is taken by conditional UPDATE before the old one is released, in one transaction.
 * @throws NotFoundError; ConflictError as createBooking and cancelBooking
 */
export async function rescheduleBooking(em: EntityManager, deps: AppDeps, actor: Actor, bookingId: string, input: RescheduleBookingInput): Promise<BookingParts> {
  const now = deps.now()
  const parts = await requireOwnBooking(em, actor, bookingId)
  assertChangeable(parts, now)
  if (input.slotId === parts.booking.slotId) throw new ConflictError('already_booked', 'The booking is already in this slot.')
  const target = await loadSlotContext(em, input.slotId)
  if (target.station.id !== parts.station.id) throw new NotFoundError('No such slot at this station.')
  assertSlotTimeBookable(target, now)
  try {
    const moved = await em
      .createQueryBuilder()
      .update(LegalBooking)
      .set({ slotId: target.slot.id, activeSlotId: target.slot.id, providerId: target.provider.id, startsAt: target.slot.startsAt, updatedAt: now })
      .where("id = :id AND status = 'booked' AND slot_id = :old", { id: bookingId, old: parts.booking.slotId })
      .execute()
    if (moved.affected !== 1) throw new ConflictError('booking_not_active', 'This booking is no longer active.')
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError('already_booked', 'You already hold a booking for that slot.')
    throw err
  }
  await takeSeat(em, target.slot.id)
  await releaseSeat(em, parts.booking.slotId)
  target.slot.booked += 1
  Object.assign(parts.booking, { slotId: target.slot.id, activeSlotId: target.slot.id, providerId: target.provider.id, startsAt: target.slot.startsAt, updatedAt: now })
  return { booking: parts.booking, ...target }
}
