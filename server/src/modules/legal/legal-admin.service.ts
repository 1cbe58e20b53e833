import { randomUUID } from 'node:crypto'
import {
  distanceMetres,
  isStaffRole,
  type CreateProviderInput,
  type CreateScheduleInput,
  type CreateStationInput,
  type Role,
  type StationLevel,
  type UpdateProviderInput,
  type UpdateStationInput
} from '@palm/shared'
import type { EntityManager } from 'typeorm'
import { BadRequestError, ForbiddenError, NotFoundError } from '../../errors'
import type { Actor } from '../auth/actor'
import { requireCommunityInScope } from '../auth/policy'
import { User } from '../auth/user.entity'
import { Department, Street } from '../territory/territory.entity'
import { LegalProvider, LegalSchedule, LegalStation } from './legal.entity'
import { assertStationStaff, mayManageStation, mayPlaceStation } from './legal.policy'

/** The justice bureau runs the district-level and special stations (department scope of its staff). */
export const JUSTICE_DEPARTMENT = 'justice_bureau'

/** A station of the residents' list with its distance in metres from the point asked about, if any. */
export interface RankedStation {
  station: LegalStation
  distance?: number
}

/**
 * Active stations: by level and name, or, when a point is given (already WGS-84: parseQuery converts),
 * nearest first with the distance in metres; stations without a point come last.
 */
export async function listStations(em: EntityManager, query: { level?: StationLevel; streetCode?: string; communityCode?: string; lat?: number; lng?: number }): Promise<RankedStation[]> {
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
  return stations.map((station) => ({ station, distance: distances.get(station.id) }))
}

/** A station (any caller may read it; the view adds its active providers). @throws NotFoundError */
export async function getStation(em: EntityManager, id: string): Promise<LegalStation> {
  const station = await em.findOneBy(LegalStation, { id })
  if (!station) throw new NotFoundError('No such station.')
  return station
}

/** The station, if the actor runs it; otherwise 404 (out of scope looks like absent). */
export async function requireManagedStation(em: EntityManager, actor: Actor, stationId: string): Promise<LegalStation> {
  assertStationStaff(actor)
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
    if (!street || !mayPlaceStation(actor, { streetCode: input.streetCode, communityCode: null, departmentCode })) throw new NotFoundError('No such street in your area.')
    return { streetCode: street.code, communityCode: null, departmentCode }
  }
  const scope = { streetCode: null, communityCode: null, departmentCode }
  if (!mayPlaceStation(actor, scope)) throw new ForbiddenError('District-level stations are set up by the district or the justice bureau.')
  return scope
}

/** @throws ForbiddenError; NotFoundError for a street or community out of scope */
export async function createStation(em: EntityManager, now: Date, actor: Actor, input: CreateStationInput): Promise<LegalStation> {
  assertStationStaff(actor)
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
export async function updateStation(em: EntityManager, now: Date, actor: Actor, id: string, input: UpdateStationInput): Promise<LegalStation> {
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
export async function createProvider(em: EntityManager, now: Date, actor: Actor, stationId: string, input: CreateProviderInput): Promise<LegalProvider> {
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
  return provider
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

export async function updateProvider(em: EntityManager, actor: Actor, providerId: string, input: UpdateProviderInput): Promise<LegalProvider> {
  const provider = await requireManagedProvider(em, actor, providerId)
  if (input.name !== undefined) provider.name = input.name
  if (input.topics) provider.topics = JSON.stringify(input.topics)
  if (input.bio !== undefined) provider.bio = input.bio
  if (input.active !== undefined) provider.active = input.active
  await em.update(LegalProvider, { id: provider.id }, { name: provider.name, topics: provider.topics, bio: provider.bio, active: provider.active })
  return provider
}

export async function createSchedule(em: EntityManager, now: Date, actor: Actor, providerId: string, input: CreateScheduleInput): Promise<LegalSchedule> {
  const provider = await requireManagedProvider(em, actor, providerId)
  const schedule = Object.assign(new LegalSchedule(), { id: randomUUID(), providerId: provider.id, ...input, active: true, createdAt: now })
  await em.insert(LegalSchedule, schedule)
  return schedule
}

export async function listSchedules(em: EntityManager, actor: Actor, providerId: string): Promise<LegalSchedule[]> {
  await requireManagedProvider(em, actor, providerId)
  return em.find(LegalSchedule, { where: { providerId }, order: { weekday: 'ASC', startTime: 'ASC' } })
}

/** Switches a weekly rule off (or on); slots already generated stay, with their bookings. */
export async function setScheduleActive(em: EntityManager, actor: Actor, scheduleId: string, active: boolean): Promise<LegalSchedule> {
  const schedule = await em.findOneBy(LegalSchedule, { id: scheduleId })
  if (!schedule) throw new NotFoundError('No such schedule in your area.')
  await requireManagedProvider(em, actor, schedule.providerId)
  await em.update(LegalSchedule, { id: scheduleId }, { active })
  return Object.assign(schedule, { active })
}
