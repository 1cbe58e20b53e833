import { randomUUID } from 'node:crypto'
import { LegalLimits, addDaysToDateKey, chinaClock, chinaInstant, isoWeekdayOfDateKey, minutesOfHhmm, type SlotQuery } from '@palm/shared'
import { In, type EntityManager } from 'typeorm'
import { BadRequestError, NotFoundError } from '../../errors'
import type { Actor } from '../auth/actor'
import { requireManagedStation } from './legal-admin.service'
import { LegalProvider, LegalSchedule, LegalSlot, LegalStation } from './legal.entity'

/** The slots of one station in a window, each with its (active) provider. */
export interface StationSlots {
  station: LegalStation
  slots: Array<{ slot: LegalSlot; provider: LegalProvider }>
}

function hhmmOf(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`
}

/** The slots the schedules describe for the next `span` local days, from now on (times already past left out). */
function describeSlots(schedules: readonly LegalSchedule[], providerById: ReadonlyMap<string, LegalProvider>, now: Date, span: number): LegalSlot[] {
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
  return rows
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
  const rows = describeSlots(schedules, providerById, now, span)
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
export async function listSlots(em: EntityManager, now: Date, query: SlotQuery): Promise<StationSlots> {
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
  // A provider switched off keeps their slots (and bookings) but is no longer offered.
  const offered = slots.flatMap((slot) => {
    const provider = providerById.get(slot.providerId)
    return provider && provider.active ? [{ slot, provider }] : []
  })
  return { station, slots: offered }
}

/**
 * Generates slots now for one station its staff run (instead of waiting for the hourly job).
 * @throws ForbiddenError; NotFoundError for a station out of scope
 */
export async function generateStationSlots(em: EntityManager, now: Date, actor: Actor, stationId: string, days: number): Promise<number> {
  await requireManagedStation(em, actor, stationId)
  return generateSlots(em, now, days, { stationId })
}
