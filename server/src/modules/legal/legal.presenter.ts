import type { BookingStatus, BookingView, ProviderKind, ProviderView, ScheduleView, SlotView, StationKind, StationLevel, StationView } from '@palm/shared'
import type { TerritoryNames } from '../territory/index'
import type { LegalBooking, LegalProvider, LegalSchedule, LegalSlot, LegalStation } from './legal.entity'
import { presentPoint } from '../../http/coords'

export function parseTopics(raw: string): string[] {
  const value = JSON.parse(raw) as unknown
  return Array.isArray(value) ? value.filter((t): t is string => typeof t === 'string') : []
}

export function presentProvider(p: LegalProvider): ProviderView {
  return { id: p.id, stationId: p.stationId, name: p.name, kind: p.kind as ProviderKind, topics: parseTopics(p.topics), bio: p.bio, active: p.active }
}

export function presentStation(s: LegalStation, names: TerritoryNames, providers?: LegalProvider[], distance?: number): StationView {
  return {
    id: s.id,
    name: s.name,
    level: s.level as StationLevel,
    kind: s.kind as StationKind,
    street: names.street(s.streetCode),
    community: names.community(s.communityCode),
    address: s.address,
    location: s.lat !== null && s.lng !== null ? presentPoint(s.lat, s.lng) : null,
    phone: s.phone,
    topics: parseTopics(s.topics),
    minLeadMinutes: s.minLeadMinutes,
    cancelCutoffMinutes: s.cancelCutoffMinutes,
    active: s.active,
    ...(providers ? { providers: providers.map(presentProvider) } : {}),
    ...(distance !== undefined ? { distance: Math.round(distance) } : {})
  }
}

export function presentSchedule(s: LegalSchedule): ScheduleView {
  return {
    id: s.id,
    providerId: s.providerId,
    weekday: s.weekday,
    startTime: s.startTime,
    endTime: s.endTime,
    slotMinutes: s.slotMinutes,
    capacity: s.capacity,
    active: s.active
  }
}

/** Whether a resident could book the slot now: not started, far enough ahead, and a seat left. */
export function isBookable(slot: LegalSlot, station: LegalStation, now: Date): boolean {
  return slot.booked < slot.capacity && slot.startsAt.getTime() - now.getTime() >= station.minLeadMinutes * 60_000
}

export function presentSlot(slot: LegalSlot, station: LegalStation, provider: LegalProvider, now: Date): SlotView {
  return {
    id: slot.id,
    stationId: slot.stationId,
    provider: { id: provider.id, name: provider.name, kind: provider.kind as ProviderKind },
    startsAt: slot.startsAt.toISOString(),
    endsAt: slot.endsAt.toISOString(),
    capacity: slot.capacity,
    booked: slot.booked,
    remaining: Math.max(0, slot.capacity - slot.booked),
    bookable: isBookable(slot, station, now)
  }
}

/** The last moment a booking may still be cancelled or moved (the station's cut-off before the start). */
export function changeableUntil(booking: Pick<LegalBooking, 'startsAt'>, station: LegalStation): Date {
  return new Date(booking.startsAt.getTime() - station.cancelCutoffMinutes * 60_000)
}

export interface BookingParts {
  booking: LegalBooking
  slot: LegalSlot
  station: LegalStation
  provider: LegalProvider
  /** Set only for staff views: the resident's display name. */
  residentName?: string
}

export function presentBooking(parts: BookingParts): BookingView {
  const { booking: b, slot, station, provider } = parts
  return {
    id: b.id,
    slotId: b.slotId,
    station: { id: station.id, name: station.name },
    provider: { id: provider.id, name: provider.name, kind: provider.kind as ProviderKind },
    startsAt: slot.startsAt.toISOString(),
    endsAt: slot.endsAt.toISOString(),
    topic: b.topic,
    description: b.description,
    status: b.status as BookingStatus,
    ticketId: b.ticketId,
    changeableUntil: changeableUntil(b, station).toISOString(),
    ...(parts.residentName !== undefined ? { resident: { displayName: parts.residentName } } : {}),
    record: b.recordSummary !== null && b.recordAt !== null ? { summary: b.recordSummary, advice: b.recordAdvice ?? '', writtenAt: b.recordAt.toISOString(), writtenBy: b.recordBy ?? '' } : null,
    createdAt: b.createdAt.toISOString(),
    cancelledAt: b.cancelledAt ? b.cancelledAt.toISOString() : null
  }
}
