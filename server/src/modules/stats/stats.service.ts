import { MAX_STATS_RANGE_DAYS, type StatsQuery, type StatsView } from '@palm/shared'
import type { EntityManager } from 'typeorm'
import { ValidationError } from '../../errors'
import type { Actor } from '../auth/actor'
import { sourcesOf, sumFigures } from './dashboard.service'
import { beijingDay } from './facts'
import { addRaw, emptySums, figuresOf } from './figures'
import { unitInScope } from './units'

const DAY_MS = 86_400_000
const DEFAULT_RANGE_DAYS = 30

/** "2026-11-01" is Beijing midnight; as `to` it means the whole day (up to the next midnight). */
function parseBound(value: string, isEnd: boolean): Date {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const midnight = new Date(`${value}T00:00:00+08:00`)
    return isEnd ? new Date(midnight.getTime() + DAY_MS) : midnight
  }
  return new Date(value)
}

/** The half-open range [from, to) asked for; the last 30 days by default. */
export function statsRange(query: Pick<StatsQuery, 'from' | 'to'>, now: Date): { from: Date; to: Date } {
  const to = query.to ? parseBound(query.to, true) : now
  const from = query.from ? parseBound(query.from, false) : new Date(to.getTime() - DEFAULT_RANGE_DAYS * DAY_MS)
  if (from.getTime() >= to.getTime()) throw new ValidationError([{ path: 'to', code: 'too_small', message: '`to` must come after `from`.' }])
  if (to.getTime() - from.getTime() > MAX_STATS_RANGE_DAYS * DAY_MS) {
    throw new ValidationError([{ path: 'from', code: 'too_small', message: `Ask for at most ${MAX_STATS_RANGE_DAYS} days at a time.` }])
  }
  return { from, to }
}

/**
 * The card of one grid, community, street or the district (the staff 统计 page's summary): tickets
 * received on the Beijing days the range touches, counted from the daily rows (docs/dashboards.md
 * "Rates"). `from`/`to` of the answer are the whole days counted.
 * @throws NotFoundError when the unit does not exist or is outside the actor's scope (existence is not revealed).
 */
export async function computeStats(em: EntityManager, actor: Actor, query: StatsQuery, now: Date): Promise<StatsView> {
  const unit = await unitInScope(em, actor, query.level, query.code)
  const { from, to } = statsRange(query, now)
  const days = { from: beijingDay(from), to: beijingDay(new Date(to.getTime() - 1)) }
  const sums = emptySums()
  for (const row of await sumFigures(em, sourcesOf(unit).units, days, null)) addRaw(sums, row)
  const f = figuresOf(sums)
  return {
    level: unit.level,
    code: unit.code,
    name: unit.name,
    from: new Date(`${days.from}T00:00:00+08:00`).toISOString(),
    to: new Date(Date.parse(`${days.to}T00:00:00+08:00`) + DAY_MS).toISOString(),
    received: f.received,
    acceptedOnTime: f.acceptedOnTime,
    resolved: f.resolved,
    rated: f.rated,
    satisfied: f.satisfied,
    overdue: f.overdue,
    responseRate: f.responseRate,
    resolutionRate: f.resolutionRate,
    satisfactionRate: f.satisfactionRate
  }
}
