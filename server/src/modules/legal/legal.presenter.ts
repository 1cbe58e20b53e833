import type { BookingStatus, BookingView, ProviderKind, ProviderView, ScheduleView, SlotView, StationKind, StationLevel, StationView } from '@palm/shared'
import { In, type EntityManager } from 'typeorm'
import { loadTerritoryNames, type TerritoryNames } from '../territory/index'
import type { BookingParts } from './booking-parts'
import { changeableUntil, isBookable } from './booking-rules'
import { User } from '../auth/user.entity'
import { LegalProvider, type LegalSchedule, type LegalSlot, type LegalStation } from './legal.entity'
import type { RankedStation } from './legal-admin.service'
import type { StationSlots } from './legal-slots.service'
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

/** Views of a list of stations (each with its distance when it has one), with their street and community names (two reads). */
export async function presentStations(em: EntityManager, ranked: readonly RankedStation[]): Promise<StationView[]> {
  const stations = ranked.map((r) => r.station)
  const names = await loadTerritoryNames(em, { streetCodes: stations.map((s) => s.streetCode), communityCodes: stations.map((s) => s.communityCode) })
  return ranked.map((r) => presentStation(r.station, names, undefined, r.distance))
}

/** The view of one station with its active providers (what its page and its staff's edits show). */
export async function presentStationDetail(em: EntityManager, station: LegalStation): Promise<StationView> {
  const providers = await em.find(LegalProvider, { where: { stationId: station.id, active: true }, order: { name: 'ASC' } })
  const names = await loadTerritoryNames(em, { streetCodes: [station.streetCode], communityCodes: [station.communityCode] })
  return presentStation(station, names, providers)
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

/** The slots of one station, each with whether a resident could book it now. */
export function presentSlots(listed: StationSlots, now: Date): SlotView[] {
  return listed.slots.map(({ slot, provider }) => presentSlot(slot, listed.station, provider, now))
}

/** A booking as its resident sees it; `residentName` is given for the staff and provider who handle it. */
export function presentBooking(parts: BookingParts, residentName?: string): BookingView {
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
    ...(residentName !== undefined ? { resident: { displayName: residentName } } : {}),
    record: b.recordSummary !== null && b.recordAt !== null ? { summary: b.recordSummary, advice: b.recordAdvice ?? '', writtenAt: b.recordAt.toISOString(), writtenBy: b.recordBy ?? '' } : null,
    createdAt: b.createdAt.toISOString(),
    cancelledAt: b.cancelledAt ? b.cancelledAt.toISOString() : null
  }
}

/** Views of bookings; those the caller handles name the resident (one read of the residents' names). */
export async function presentBookings(em: EntityManager, list: readonly BookingParts[]): Promise<BookingView[]> {
  const userIds = [...new Set(list.filter((p) => p.forHandler).map((p) => p.booking.userId))]
  const users = userIds.length ? await em.find(User, { where: { id: In(userIds) }, select: { id: true, displayName: true } }) : []
  const nameById = new Map(users.map((u) => [u.id, u.displayName]))
  return list.map((p) => presentBooking(p, p.forHandler ? (nameById.get(p.booking.userId) ?? '') : undefined))
}

/** The view of one booking, as presentBookings. */
export async function presentOneBooking(em: EntityManager, parts: BookingParts): Promise<BookingView> {
  const [view] = await presentBookings(em, [parts])
  if (!view) throw new Error('a booking presents as one view')
  return view
}
