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
 * Where a unit's figures are read (docs/dashboards.md "At scale"): the district and a street from the
 * rollup rows (their cost follows the number of streets, communities and categories), a community or
 * a grid from the daily rows by its (community|grid, day) index. Never from the tickets table.
 */
export type FigureSource = { table: 'rollup'; dim: 'street' | 'category' | 'community' | 'street_category'; scope: string | null } | { table: 'daily'; column: Unit['column']; code: string }

/** Sums of one source over a day range, grouped by `groupBy` ('item' of a rollup, 'day', a daily column, or none) and source. */
export async function sumFigures(em: EntityManager, from: FigureSource, range: { from: string; to: string }, groupBy: string | null): Promise<Array<RawSums & { grp: string | null }>> {
  const params: unknown[] = []
  let table: string
  let where: string
  if (from.table === 'rollup') {
    table = 'stats_rollup'
    where = 'd.dim = ?'
    params.push(from.dim)
    if (from.scope !== null) {
      where += ' AND d.scope = ?'
      params.push(from.scope)
    }
  } else {
    table = 'stats_daily'
    where = '1 = 1'
    if (from.column) {
      where += ` AND d.${from.column} = ?`
      params.push(from.code)
    }
  }
  where += ' AND d.day >= ? AND d.day <= ?'
  params.push(range.from, range.to)
  const group = groupBy ? `d.${groupBy}` : 'NULL'
  const sql = `SELECT ${group} AS grp, d.source AS source, ${SUM_COLUMNS} FROM ${table} d WHERE ${where} GROUP BY ${groupBy ? `d.${groupBy}, ` : ''}d.source`
  return (await em.query(sql, params)) as Array<RawSums & { grp: string | null }>
}

/** The sources of a unit's totals and children (same rows, grouped by item) and of its categories. */
export function sourcesOf(unit: Pick<Unit, 'level' | 'column' | 'code'>): { units: FigureSource; childColumn: string | null; categories: FigureSource; categoryColumn: string } {
  switch (unit.level) {
    case 'district':
      return { units: { table: 'rollup', dim: 'street', scope: '' }, childColumn: 'item', categories: { table: 'rollup', dim: 'category', scope: '' }, categoryColumn: 'item' }
    case 'street':
      return { units: { table: 'rollup', dim: 'community', scope: unit.code }, childColumn: 'item', categories: { table: 'rollup', dim: 'street_category', scope: unit.code }, categoryColumn: 'item' }
    case 'community':
      return {
        units: { table: 'daily', column: unit.column, code: unit.code },
        childColumn: 'grid_code',
        categories: { table: 'daily', column: unit.column, code: unit.code },
        categoryColumn: 'category'
      }
    case 'grid':
      return { units: { table: 'daily', column: unit.column, code: unit.code }, childColumn: null, categories: { table: 'daily', column: unit.column, code: unit.code }, categoryColumn: 'category' }
  }
}

/** Sums of the raw rows per group key (`keyOf` folds days into weeks); one entry per key seen. */
export function sumsBy(rows: Array<RawSums & { grp: string | null }>, keyOf: (grp: string) => string = (g) => g): Map<string, Sums> {
  const out = new Map<string, Sums>()
  for (const row of rows) {
    const key = keyOf(String(row.grp ?? ''))
    let sums = out.get(key)
    if (!sums) out.set(key, (sums = emptySums()))
    addRaw(sums, row)
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
 * category and the hot spots of the last weeks. Four small aggregate queries over the rollup or daily rows.
 */
export async function computeDashboard(em: EntityManager, actor: Actor, query: DashboardQuery, now: Date): Promise<DashboardView> {
  const unit = await unitInScope(em, actor, query.level, query.code)
  const range = dayRange(query, now)
  const children = await childrenOf(em, unit)
  const childLevel = children.level
  const src = sourcesOf(unit)
  const [totalRows, childRows, dayRows, categoryRows, hotspots] = await Promise.all([
    sumFigures(em, src.units, range, null),
    src.childColumn ? sumFigures(em, src.units, range, src.childColumn) : Promise.resolve([]),
    sumFigures(em, src.units, range, 'day'),
    sumFigures(em, src.categories, range, src.categoryColumn),
    listHotspots(em, unit, now)
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
    children: childLevel ? children.units.map((c) => unitFigures({ level: childLevel, code: c.code, name: c.name }, childSums.get(c.code))) : [],
    granularity: query.granularity,
    trend,
    categories,
    hotspots
  }
}
