import { MAX_STATS_RANGE_DAYS, type DashboardQuery, type DashboardView, type Figures, type UnitFigures } from '@palm/shared'
import type { EntityManager } from 'typeorm'
import { ValidationError } from '../../errors'
import type { Actor } from '../auth/actor'
import { beijingDay } from './facts'
import { addRaw, emptySums, figuresOf, SUM_COLUMNS, type RawSums, type Sums } from './figures'
import { listHotspots } from './hotspots'
import { childrenOf, unitInScope, type Unit } from './units'

const DAY_MS = 86_400_000
const DEFAULT_DAYS = 30

/** YYYY-MM-DD plus n days. */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10)
}

/** The Monday of the week of `day`. */
export function weekStart(day: string): string {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay() // 0 = Sunday
  return addDays(day, -((weekday + 6) % 7))
}

/** Whole Beijing days, both ends included; the last 30 days up to today by default. */
export function dayRange(query: { from?: string; to?: string }, now: Date): { from: string; to: string } {
  const to = query.to ?? beijingDay(now)
  const from = query.from ?? addDays(to, -(DEFAULT_DAYS - 1))
  if (from > to) throw new ValidationError([{ path: 'to', code: 'too_small', message: '`to` must not come before `from`.' }])
  if ((Date.parse(to) - Date.parse(from)) / DAY_MS + 1 > MAX_STATS_RANGE_DAYS) {
    throw new ValidationError([{ path: 'from', code: 'too_small', message: `Ask for at most ${MAX_STATS_RANGE_DAYS} days at a time.` }])
  }
  return { from, to }
}

/**
 * Sums of stats_daily for one unit and day range, grouped by `groupBy` (a column, or none) and source.
 * Served by the daily table's primary key (day first) for the district and by its
 * (street|community|grid, day) indexes below; never by the tickets table.
 */
export async function sumDaily(em: EntityManager, unit: Pick<Unit, 'column' | 'code'>, range: { from: string; to: string }, groupBy: string | null): Promise<Array<RawSums & { grp: string | null }>> {
  const params: unknown[] = [range.from, range.to]
  let where = 'd.day >= ? AND d.day <= ?'
  if (unit.column) {
    where += ` AND d.${unit.column} = ?`
    params.push(unit.code)
  }
  const group = groupBy ? `d.${groupBy}` : 'NULL'
  const sql = `SELECT ${group} AS grp, d.source AS source, ${SUM_COLUMNS} FROM stats_daily d WHERE ${where} GROUP BY ${groupBy ? `d.${groupBy}, ` : ''}d.source`
  return (await em.query(sql, params)) as Array<RawSums & { grp: string | null }>
}

function sumsBy(rows: Array<RawSums & { grp: string | null }>, keyOf: (grp: string) => string = (g) => g): Map<string, Sums> {
  const out = new Map<string, Sums>()
  for (const row of rows) {
    const key = keyOf(String(row.grp ?? ''))
    addRaw(out.get(key) ?? out.set(key, emptySums()).get(key)!, row)
  }
  return out
}

export const unitFigures = (unit: { level: Unit['level']; code: string; name: string }, sums: Sums | undefined): UnitFigures => ({
  level: unit.level,
  code: unit.code,
  name: unit.name,
  ...figuresOf(sums ?? emptySums())
})

/**
 * The dashboard of one unit in the caller's scope (404 otherwise): its figures, each child unit
 * side by side (every child listed, with zeros when quiet), the trend by day or week, the split by
 * category and the hot spots of the last weeks. Four small aggregate queries over stats_daily.
 */
export async function computeDashboard(em: EntityManager, actor: Actor, query: DashboardQuery, now: Date): Promise<DashboardView> {
  const unit = await unitInScope(em, actor, query.level, query.code)
  const range = dayRange(query, now)
  const children = await childrenOf(em, unit)
  const [totalRows, childRows, dayRows, categoryRows] = await Promise.all([
    sumDaily(em, unit, range, null),
    children.column ? sumDaily(em, unit, range, children.column) : Promise.resolve([]),
    sumDaily(em, unit, range, 'day'),
    sumDaily(em, unit, range, 'category')
  ])
  const childSums = sumsBy(childRows)
  const periodOf = query.granularity === 'week' ? weekStart : (d: string) => d
  const periodSums = sumsBy(dayRows, periodOf)
  const trend: Array<Figures & { period: string }> = []
  for (let day = range.from; day <= range.to; day = addDays(day, 1)) {
    const period = periodOf(day)
    if (trend.at(-1)?.period === period) continue
    trend.push({ period, ...figuresOf(periodSums.get(period) ?? emptySums()) })
  }
  const categories = [...sumsBy(categoryRows)].map(([category, sums]) => ({ category, ...figuresOf(sums) })).sort((a, b) => b.received - a.received || a.category.localeCompare(b.category))
  return {
    unit: unitFigures(unit, sumsBy(totalRows).get('')),
    from: range.from,
    to: range.to,
    childLevel: children.level,
    children: children.units.map((c) => unitFigures({ level: children.level!, code: c.code, name: c.name }, childSums.get(c.code))),
    granularity: query.granularity,
    trend,
    categories,
    hotspots: await listHotspots(em, unit, now)
  }
}
