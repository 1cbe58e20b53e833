import { DISTRICT_CODE, DISTRICT_NAME, MAX_STATS_RANGE_DAYS, type StatsLevel, type StatsQuery, type StatsView } from '@palm/shared'
import type { EntityManager } from 'typeorm'
import { NotFoundError, ValidationError } from '../../errors'
import type { Actor } from '../auth/actor'
import { isInScope, type ScopedObject } from '../auth/policy'
import { Community, Grid, Street } from '../territory/territory.entity'

const DAY_MS = 86_400_000
const DEFAULT_RANGE_DAYS = 30

interface Unit {
  level: StatsLevel
  code: string
  name: string
  /** The ticket column that holds this level's code; none for the district (everything). */
  column: 'grid_code' | 'community_code' | 'street_code' | null
  scope: ScopedObject
}

/** The territory unit asked for, with its place in the nesting (for the scope check), or 404. */
async function findUnit(em: EntityManager, level: StatsLevel, code: string | undefined): Promise<Unit | undefined> {
  switch (level) {
    case 'district':
      return code === undefined || code === DISTRICT_CODE
        ? { level, code: DISTRICT_CODE, name: DISTRICT_NAME, column: null, scope: {} }
        : undefined
    case 'street': {
      const s = code ? await em.getRepository(Street).findOneBy({ code }) : null
      return s ? { level, code: s.code, name: s.name, column: 'street_code', scope: { streetCode: s.code } } : undefined
    }
    case 'community': {
      const c = code ? await em.getRepository(Community).findOneBy({ code }) : null
      return c ? { level, code: c.code, name: c.name, column: 'community_code', scope: { communityCode: c.code, streetCode: c.streetCode } } : undefined
    }
    case 'grid': {
      const g = code ? await em.getRepository(Grid).findOneBy({ code }) : null
      return g
        ? { level, code: g.code, name: g.name, column: 'grid_code', scope: { gridCode: g.code, communityCode: g.communityCode, streetCode: g.streetCode } }
        : undefined
    }
  }
}

/** "2026-11-01" is Beijing midnight; as `to` it means the whole day (up to the next midnight). */
function parseBound(value: string, isEnd: boolean): Date {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const midnight = new Date(`${value}T00:00:00+08:00`)
    return isEnd ? new Date(midnight.getTime() + DAY_MS) : midnight
  }
  return new Date(value)
}

/** The half-open range [from, to) of submission times; the last 30 days by default. */
export function statsRange(query: Pick<StatsQuery, 'from' | 'to'>, now: Date): { from: Date; to: Date } {
  const to = query.to ? parseBound(query.to, true) : now
  const from = query.from ? parseBound(query.from, false) : new Date(to.getTime() - DEFAULT_RANGE_DAYS * DAY_MS)
  if (from.getTime() >= to.getTime()) throw new ValidationError([{ path: 'to', code: 'too_small', message: '`to` must come after `from`.' }])
  if (to.getTime() - from.getTime() > MAX_STATS_RANGE_DAYS * DAY_MS) {
    throw new ValidationError([{ path: 'from', code: 'too_small', message: `Ask for at most ${MAX_STATS_RANGE_DAYS} days at a time.` }])
  }
  return { from, to }
}

interface Counts {
  received: number | string | null
  acceptedOnTime: number | string | null
  resolved: number | string | null
  rated: number | string | null
  satisfied: number | string | null
  overdue: number | string | null
}

const rate = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole)

/**
 * Statistics of one grid, community, street or the district for tickets received in [from, to),
 * after 接诉即办: received (cancelled withdrawals excluded), accepted within the limit, resolved,
 * rated and satisfied (4–5 stars: 满意 and 基本满意), and overdue (a deadline missed: accepted or
 * resolved late, or still open past it). One SQL aggregate over the tickets table, portable between
 * MariaDB and SQLite (SUM of CASE; datetimes compared as values on MariaDB and as same-format UTC
 * strings on SQLite).
 * @throws NotFoundError when the unit does not exist or is outside the actor's scope (existence is not revealed).
 */
export async function computeStats(em: EntityManager, actor: Actor, query: StatsQuery, now: Date): Promise<StatsView> {
  const unit = await findUnit(em, query.level, query.code)
  if (!unit || !isInScope(actor, unit.scope)) throw new NotFoundError('There are no statistics here for you.')
  const { from, to } = statsRange(query, now)
  const c = await countTickets(em, unit, from, to, now)
  return {
    level: unit.level,
    code: unit.code,
    name: unit.name,
    from: from.toISOString(),
    to: to.toISOString(),
    ...c,
    responseRate: rate(c.acceptedOnTime, c.received),
    resolutionRate: rate(c.resolved, c.received),
    satisfactionRate: rate(c.satisfied, c.rated)
  }
}

/** The counts of one unit and range in one aggregate query. */
async function countTickets(em: EntityManager, unit: Unit, from: Date, to: Date, now: Date): Promise<Record<keyof Counts, number>> {
  const openAt = "CASE WHEN t.state_group = 'open' THEN :now END"
  const qb = em
    .createQueryBuilder()
    .from('tickets', 't')
    .select('COUNT(*)', 'received')
    .addSelect('SUM(CASE WHEN t.accepted_at IS NOT NULL AND t.accepted_at <= t.accept_due_at THEN 1 ELSE 0 END)', 'acceptedOnTime')
    .addSelect("SUM(CASE WHEN t.state IN ('resolved', 'closed') THEN 1 ELSE 0 END)", 'resolved')
    .addSelect('SUM(CASE WHEN t.rating IS NOT NULL THEN 1 ELSE 0 END)', 'rated')
    .addSelect('SUM(CASE WHEN t.rating >= 4 THEN 1 ELSE 0 END)', 'satisfied')
    .addSelect(
      `SUM(CASE WHEN COALESCE(t.accepted_at, ${openAt}) > t.accept_due_at OR COALESCE(t.resolved_at, ${openAt}) > t.resolve_due_at THEN 1 ELSE 0 END)`,
      'overdue'
    )
    .where('t.created_at >= :from AND t.created_at < :to', { from, to })
    .andWhere("t.state <> 'cancelled'")
    .setParameter('now', now)
  if (unit.column) qb.andWhere(`t.${unit.column} = :code`, { code: unit.code })
  const row = await qb.getRawOne<Counts>()
  const n = (v: number | string | null | undefined) => Number(v ?? 0)
  return {
    received: n(row?.received),
    acceptedOnTime: n(row?.acceptedOnTime),
    resolved: n(row?.resolved),
    rated: n(row?.rated),
    satisfied: n(row?.satisfied),
    overdue: n(row?.overdue)
  }
}
