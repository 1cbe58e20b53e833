import { randomUUID } from 'node:crypto'
import {
  LegalLimits,
  distanceMetres,
  addDaysToDateKey,
  isStaffRole,
  chinaClock,
  chinaInstant,
  isoWeekdayOfDateKey,
  minutesOfHhmm,
  type CreateProviderInput,
  type CreateScheduleInput,
  type CreateStationInput,
  type ProviderView,
  type Role,
  type ScheduleView,
  type SlotQuery,
  type SlotView,
  type StationLevel,
  type StationView,
  type UpdateProviderInput,
  type UpdateStationInput
} from '@palm/shared'
import { In, type EntityManager } from 'typeorm'
import { BadRequestError, ForbiddenError, NotFoundError } from '../../errors'
import type { Actor } from '../auth/actor'
import { isInScope, requireCommunityInScope } from '../auth/policy'
import { User } from '../auth/user.entity'
import { Department, Street } from '../territory/territory.entity'
import { loadTerritoryNames } from '../territory/index'
import { LegalProvider, LegalSchedule, LegalSlot, LegalStation } from './legal.entity'
import { STATION_STAFF_ROLES, mayManageStation } from './legal.policy'
import { presentProvider, presentSchedule, presentSlot, presentStation } from './legal.presenter'

/** The justice bureau runs the district-level and special stations (department scope of its staff). */
export const JUSTICE_DEPARTMENT = 'justice_bureau'

/**
 * Active stations: by level and name, or, when a point is given (already WGS-84: parseQuery converts),
 * nearest first with the distance in metres; stations without a point come last.
 */
export async function listStations(em: EntityManager, query: { level?: StationLevel; streetCode?: string; communityCode?: string; lat?: number; lng?: number }): Promise<StationView[]> {
  const qb = em.getRepository(LegalStation).createQueryBuilder('s').where('s.active = :active', { active: true })
  if (query.level) qb.andWhere('s.level = :level', { level: query.level })
  if (query.streetCode) qb.andWhere('(s.streetCode = :street OR s.streetCode IS NULL)', { street: query.streetCode })
  if (query.communityCode) qb.andWhere('(s.communityCode = :community OR s.communityCode IS NULL)', { community: query.communityCode })
  const stations = await qb.getMany()
  const order: Record<string, number> = { district: 0, special: 1, street: 2, community: 3 }
  stations.sort((a, b) => (order[a.level] ?? 9) - (order[b.level] ?? 9) || a.name.localeCompare(b.name, 'zh-CN'))
  const origin = query.lat !== undefined && query.lng !== undefined ? { lat: query.lat, lng: query.lng } : undefined
  const distances = new Map(stations.map((s) => [s.id, origin && s.lat !== null && s.lng !== null ? distanceMetres(origin, { lat: s.lat, lng: s.lng }) : undefined]))
  // A stable sort: equally far (or pointless) stations keep the level-and-name order.
  if (origin) stations.sort((a, b) => (distances.get(a.id) ?? Infinity) - (distances.get(b.id) ?? Infinity))
  const names = await loadTerritoryNames(em, { streetCodes: stations.map((s) => s.streetCode), communityCodes: stations.map((s) => s.communityCode) })
  return stations.map((s) => presentStation(s, names, undefined, distances.get(s.id)))
}

/** A station with its active providers. @throws NotFoundError */
export async function getStation(em: EntityManager, id: string): Promise<StationView> {
  const station = await em.findOneBy(LegalStation, { id })
  if (!station) throw new NotFoundError('No such station.')
  const providers = await em.find(LegalProvider, { where: { stationId: id, active: true }, order: { name: 'ASC' } })
  const names = await loadTerritoryNames(em, { streetCodes: [station.streetCode], communityCodes: [station.communityCode] })
  return presentStation(station, names, providers)
}

/** The station, if the actor runs it; otherwise 404 (out of scope looks like absent). */
export async function requireManagedStation(em: EntityManager, actor: Actor, stationId: string): Promise<LegalStation> {
  if (!(STATION_STAFF_ROLES as readonly string[]).includes(actor.role)) throw new ForbiddenError('Only station staff manage stations.')
  const station = await em.findOneBy(LegalStation, { id: stationId })
  if (!station || !mayManageStation(actor, station)) throw new NotFoundError('No such station in your area.')
  return station
}

/**
 * Works out where a new station belongs from its level and codes, checking they exist and are the
 * actor's. Every station also belongs to the justice bureau (which runs the legal service network
 * and whose queue receives the consultation tickets), unless another department is named.
 */
async function placeStation(em: EntityManager, actor: Actor, input: CreateStationInput) {
  const departmentCode = input.departmentCode ?? JUSTICE_DEPARTMENT
  if (!(await em.existsBy(Department, { code: departmentCode }))) {
    throw new BadRequestError('validation_failed', 'No such department.', [{ path: 'departmentCode', code: 'unknown_department', message: 'Choose one of GET /api/territory/departments.' }])
  }
  if (input.communityCode) {
    const community = await requireCommunityInScope(em, actor, input.communityCode, { departmentCode })
    return { streetCode: community.streetCode, communityCode: input.level === 'community' ? community.code : null, departmentCode }
  }
  if (input.streetCode) {
    const street = await em.findOneBy(Street, { code: input.streetCode })
    if (!street || !isInScope(actor, { streetCode: input.streetCode, departmentCode })) throw new NotFoundError('No such street in your area.')
    return { streetCode: street.code, communityCode: null, departmentCode }
  }
  const scope = { streetCode: null, communityCode: null, departmentCode }
  if (!isInScope(actor, scope)) throw new ForbiddenError('District-level stations are set up by the district or the justice bureau.')
  return scope
}

/** @throws ForbiddenError; NotFoundError for a street or community out of scope */
export async function createStation(em: EntityManager, now: Date, actor: Actor, input: CreateStationInput): Promise<StationView> {
  if (!(STATION_STAFF_ROLES as readonly string[]).includes(actor.role)) throw new ForbiddenError('Only station staff manage stations.')
  const place = await placeStation(em, actor, input)
  const station = Object.assign(new LegalStation(), {
    id: randomUUID(),
    name: input.name,
    level: input.level,
    kind: input.kind,
    ...place,
    address: input.address,
    lat: input.location?.lat ?? null,
    lng: input.location?.lng ?? null,
    phone: input.phone ?? null,
    topics: JSON.stringify(input.topics),
    minLeadMinutes: input.minLeadMinutes,
    cancelCutoffMinutes: input.cancelCutoffMinutes,
    active: true,
    synthetic: false,
    createdAt: now,
    updatedAt: now
  })
  await em.insert(LegalStation, station)
  return getStation(em, station.id)
}

/** @throws NotFoundError when the station is not the actor's */
export async function updateStation(em: EntityManager, now: Date, actor: Actor, id: string, input: UpdateStationInput): Promise<StationView> {
  await requireManagedStation(em, actor, id)
  const patch: Partial<LegalStation> = { updatedAt: now }
  if (input.name !== undefined) patch.name = input.name
  if (input.address !== undefined) patch.address = input.address
  if (input.location) {
    patch.lat = input.location.lat
    patch.lng = input.location.lng
  }
  if (input.phone !== undefined) patch.phone = input.phone
  if (input.topics) patch.topics = JSON.stringify(input.topics)
  if (input.minLeadMinutes !== undefined) patch.minLeadMinutes = input.minLeadMinutes
  if (input.cancelCutoffMinutes !== undefined) patch.cancelCutoffMinutes = input.cancelCutoffMinutes
  if (input.active !== undefined) patch.active = input.active
  await em.update(LegalStation, { id }, patch)
  return getStation(em, id)
}

/**
 * The provider's own account, when one is named, must be an active staff account: whoever it names
 * becomes a handler of the station's bookings (mayHandleBooking), so an id in the body is checked like
 * any other (docs/security.md API1-3). A resident, a disabled or an unknown account is a 404.
 */
async function requireProviderAccount(em: EntityManager, userId: string): Promise<string> {
  const user = await em.getRepository(User).findOne({ where: { id: userId }, select: { id: true, role: true, disabled: true } })
  if (!user || user.disabled || !isStaffRole(user.role as Role)) throw new NotFoundError('No such staff account.')
  return user.id
}

/** @throws NotFoundError for a station out of scope or a provider account that is no active staff account */
export async function createProvider(em: EntityManager, now: Date, actor: Actor, stationId: string, input: CreateProviderInput): Promise<ProviderView> {
  const station = await requireManagedStation(em, actor, stationId)
  const userId = input.userId ? await requireProviderAccount(em, input.userId) : null
  const provider = Object.assign(new LegalProvider(), {
    id: randomUUID(),
    stationId: station.id,
    name: input.name,
    kind: input.kind,
    topics: JSON.stringify(input.topics),
    bio: input.bio,
    userId,
    active: true,
    synthetic: false,
    createdAt: now
  })
  await em.insert(LegalProvider, provider)
  return presentProvider(provider)
}

/** The provider, if the actor runs its station; else 404. */
async function requireManagedProvider(em: EntityManager, actor: Actor, providerId: string): Promise<LegalProvider> {
  const provider = await em.findOneBy(LegalProvider, { id: providerId })
  if (!provider) throw new NotFoundError('No such provider in your area.')
  await requireManagedStation(em, actor, provider.stationId).catch(() => {
    throw new NotFoundError('No such provider in your area.')
  })
  return provider
}

export async function updateProvider(em: EntityManager, actor: Actor, providerId: string, input: UpdateProviderInput): Promise<ProviderView> {
  const provider = await requireManagedProvider(em, actor, providerId)
  if (input.name !== undefined) provider.name = input.name
  if (input.topics) provider.topics = JSON.stringify(input.topics)
  if (input.bio !== undefined) provider.bio = input.bio
  if (input.active !== undefined) provider.active = input.active
  await em.update(LegalProvider, { id: provider.id }, { name: provider.name, topics: provider.topics, bio: provider.bio, active: provider.active })
  return presentProvider(provider)
}

export async function createSchedule(em: EntityManager, now: Date, actor: Actor, providerId: string, input: CreateScheduleInput): Promise<ScheduleView> {
  const provider = await requireManagedProvider(em, actor, providerId)
  const schedule = Object.assign(new LegalSchedule(), { id: randomUUID(), providerId: provider.id, ...input, active: true, createdAt: now })
  await em.insert(LegalSchedule, schedule)
  return presentSchedule(schedule)
}

export async function listSchedules(em: EntityManager, actor: Actor, providerId: string): Promise<ScheduleView[]> {
  await requireManagedProvider(em, actor, providerId)
  const rows = await em.find(LegalSchedule, { where: { providerId }, order: { weekday: 'ASC', startTime: 'ASC' } })
  return rows.map(presentSchedule)
}

/** Switches a weekly rule off (or on); slots already generated stay, with their bookings. */
export async function setScheduleActive(em: EntityManager, actor: Actor, scheduleId: string, active: boolean): Promise<ScheduleView> {
  const schedule = await em.findOneBy(LegalSchedule, { id: scheduleId })
  if (!schedule) throw new NotFoundError('No such schedule in your area.')
  await requireManagedProvider(em, actor, schedule.providerId)
  await em.update(LegalSchedule, { id: scheduleId }, { active })
  return presentSchedule({ ...schedule, active })
}

function hhmmOf(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`
}

/**
 * Turns the active weekly schedules (of one station or provider, or all) into slots for the next
 * `days` local days, skipping times already past. Idempotent: the unique (provider, starts_at)
 * with INSERT … IGNORE means running it again, or on two instances at once, adds nothing twice.
 * Returns how many slots the schedules describe in that window.
 */
export async function generateSlots(em: EntityManager, now: Date, days: number, filter: { stationId?: string; providerId?: string } = {}): Promise<number> {
  const span = Math.min(Math.max(1, days), LegalLimits.maxGenerateDays)
  const providerWhere: { active: boolean; stationId?: string; id?: string } = { active: true }
  if (filter.stationId) providerWhere.stationId = filter.stationId
  if (filter.providerId) providerWhere.id = filter.providerId
  const providers = await em.find(LegalProvider, { where: providerWhere })
  if (providers.length === 0) return 0
  const stations = await em.find(LegalStation, { where: { id: In([...new Set(providers.map((p) => p.stationId))]), active: true } })
  const activeStations = new Set(stations.map((s) => s.id))
  const providerById = new Map(providers.filter((p) => activeStations.has(p.stationId)).map((p) => [p.id, p]))
  if (providerById.size === 0) return 0
  const schedules = await em.find(LegalSchedule, { where: { providerId: In([...providerById.keys()]), active: true } })
  const today = chinaClock(now).dateKey
  const rows: LegalSlot[] = []
  for (let d = 0; d < span; d++) {
    const dateKey = addDaysToDateKey(today, d)
    const weekday = isoWeekdayOfDateKey(dateKey)
    for (const schedule of schedules) {
      const provider = providerById.get(schedule.providerId)
      if (!provider || schedule.weekday !== weekday) continue
      const end = minutesOfHhmm(schedule.endTime)
      for (let m = minutesOfHhmm(schedule.startTime); m + schedule.slotMinutes <= end; m += schedule.slotMinutes) {
        const startsAt = chinaInstant(dateKey, hhmmOf(m))
        if (startsAt.getTime() <= now.getTime()) continue
        rows.push(
          Object.assign(new LegalSlot(), {
            id: randomUUID(),
            stationId: provider.stationId,
            providerId: provider.id,
            startsAt,
            endsAt: new Date(startsAt.getTime() + schedule.slotMinutes * 60_000),
            capacity: schedule.capacity,
            booked: 0,
            createdAt: now
          })
        )
      }
    }
  }
  for (let i = 0; i < rows.length; i += 100) {
    await em
      .createQueryBuilder()
      .insert()
      .into(LegalSlot)
      .values(rows.slice(i, i + 100))
      .orIgnore()
      .execute()
  }
  return rows.length
}

/** Slots of one station in a window (default: the next 14 days), earliest first. @throws NotFoundError */
export async function listSlots(em: EntityManager, now: Date, query: SlotQuery): Promise<SlotView[]> {
  const station = await em.findOneBy(LegalStation, { id: query.stationId, active: true })
  if (!station) throw new NotFoundError('No such station.')
  const from = query.from ? new Date(query.from) : now
  const to = query.to ? new Date(query.to) : new Date(from.getTime() + 14 * 86_400_000)
  if (to.getTime() - from.getTime() > LegalLimits.maxQueryDays * 86_400_000) {
    throw new BadRequestError('validation_failed', `Ask for at most ${LegalLimits.maxQueryDays} days at a time.`, [
      { path: 'to', code: 'too_big', message: `at most ${LegalLimits.maxQueryDays} days after from` }
    ])
  }
  const qb = em
    .getRepository(LegalSlot)
    .createQueryBuilder('slot')
    .where('slot.stationId = :station', { station: station.id })
    .andWhere('slot.startsAt >= :from AND slot.startsAt < :to', { from, to })
    .orderBy('slot.startsAt', 'ASC')
    .addOrderBy('slot.providerId', 'ASC')
  if (query.providerId) qb.andWhere('slot.providerId = :provider', { provider: query.providerId })
  const slots = await qb.getMany()
  const providers = await em.find(LegalProvider, { where: { stationId: station.id } })
  const providerById = new Map(providers.map((p) => [p.id, p]))
  return slots.flatMap((slot) => {
    const provider = providerById.get(slot.providerId)
    return provider && provider.active ? [presentSlot(slot, station, provider, now)] : []
  })
}
