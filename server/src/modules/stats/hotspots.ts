import { randomUUID } from 'node:crypto'
import type { HotspotView } from '@palm/shared'
import { In, type EntityManager } from 'typeorm'
import type { AppDeps, BackgroundJob } from '../../deps'
import { isUniqueViolation } from '../../db/errors'
import { withTx } from '../../db/tx'
import { User } from '../auth/user.entity'
import { enqueueNotifications } from '../notifications/index'
import { TicketCategory } from '../sla/category.entity'
import { Grid } from '../territory/territory.entity'
import { Ticket } from '../tickets/ticket.entity'
import { beijingDay } from './facts'
import { StatsHotspot } from './stats.entity'
import type { Unit } from './units'

/**
 * Hot spots (未诉先办, docs/dashboards.md "Hot spots"): same-category tickets clustering in one grid
 * over the last WINDOW_DAYS days, above that grid's usual level (the mean of the BASELINE_WEEKS
 * windows before). Read from the daily rows; the tickets of an alert are read once, when it is raised.
 */
export const HOTSPOT_RULE = {
  windowDays: 7,
  baselineWeeks: 8,
  /** At least this many tickets in the window… */
  minCount: 3,
  /** …and more than this many times the usual count. */
  factor: 2,
  /** How long an alert stays on the dashboard. */
  showDays: 14,
  /** The tickets an alert lists. */
  maxTickets: 50
} as const
export const HOTSPOT_JOB_INTERVAL_MS = 5 * 60_000

const DAY_MS = 86_400_000
const shift = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10)

interface Candidate {
  grid_code: string
  community_code: string
  street_code: string
  category: string
  recent: number | string
  baseline_sum: number | string
}

/** Whether `count` in a window is a hot spot against the grid's usual `baseline` for such a window. */
export function isHot(count: number, baseline: number): boolean {
  return count >= HOTSPOT_RULE.minCount && count > HOTSPOT_RULE.factor * baseline
}

/**
 * The grids and categories running hot today and not yet alerted inside the window, with their counts:
 * one pass opens a transaction per new alert, not per busy grid. isHot in SQL: count × weeks > factor × sum.
 */
async function findCandidates(ds: AppDeps['ds'], days: { windowFrom: string; baselineFrom: string; today: string }): Promise<Candidate[]> {
  const { windowFrom, baselineFrom, today } = days
  return (await ds.query(
    `SELECT c.* FROM (
       SELECT d.grid_code, d.community_code, d.street_code, d.category,
         SUM(CASE WHEN d.day >= ? THEN d.received ELSE 0 END) AS recent,
         SUM(CASE WHEN d.day < ? THEN d.received ELSE 0 END) AS baseline_sum
       FROM stats_daily d
       WHERE d.day >= ? AND d.day <= ? AND d.grid_code <> ''
       GROUP BY d.grid_code, d.community_code, d.street_code, d.category
     ) c
     WHERE c.recent >= ? AND c.recent * ? > ? * c.baseline_sum
       AND NOT EXISTS (SELECT 1 FROM stats_hotspots h WHERE h.grid_code = c.grid_code AND h.category = c.category AND h.window_to >= ?)`,
    [windowFrom, windowFrom, baselineFrom, today, HOTSPOT_RULE.minCount, HOTSPOT_RULE.baselineWeeks, HOTSPOT_RULE.factor, windowFrom]
  )) as Candidate[]
}

/**
 * One pass: finds the grids and categories running hot today and raises one alert each (per grid,
 * category and window end day: the unique claim key makes that hold with several instances), listing
 * the tickets and telling the community's staff and the street's admins in the same transaction.
 */
export async function detectHotspots(deps: AppDeps): Promise<StatsHotspot[]> {
  const now = deps.now()
  const today = beijingDay(now)
  const windowFrom = shift(today, -(HOTSPOT_RULE.windowDays - 1))
  const baselineFrom = shift(windowFrom, -HOTSPOT_RULE.baselineWeeks * HOTSPOT_RULE.windowDays)
  const candidates = await findCandidates(deps.ds, { windowFrom, baselineFrom, today })
  const raised: StatsHotspot[] = []
  for (const c of candidates) {
    const count = Number(c.recent)
    const baseline = Number(c.baseline_sum) / HOTSPOT_RULE.baselineWeeks
    if (!isHot(count, baseline)) continue
    const claimKey = `${c.grid_code}|${c.category}|${today}`
    const alert = await withTx(deps.ds, async (em) => {
      if (await em.getRepository(StatsHotspot).existsBy({ claimKey })) return null
      // One alert per grid and category while it stays hot: none if one was raised inside the window.
      const recent = await em
        .createQueryBuilder(StatsHotspot, 'h')
        .where('h.grid_code = :grid AND h.category = :category AND h.window_to >= :windowFrom', { grid: c.grid_code, category: c.category, windowFrom })
        .getExists()
      if (recent) return null
      const tickets = await em
        .createQueryBuilder(Ticket, 't')
        .select(['t.id', 't.number'])
        .where('t.grid_code = :grid AND t.category = :category AND t.created_at >= :from', { grid: c.grid_code, category: c.category, from: new Date(`${windowFrom}T00:00:00+08:00`) })
        .andWhere("t.state <> 'cancelled'")
        .orderBy('t.created_at', 'ASC')
        .limit(HOTSPOT_RULE.maxTickets)
        .getMany()
      const row = Object.assign(new StatsHotspot(), {
        id: randomUUID(),
        claimKey,
        streetCode: c.street_code,
        communityCode: c.community_code,
        gridCode: c.grid_code,
        category: c.category,
        windowFrom,
        windowTo: today,
        ticketCount: count,
        baseline,
        tickets: JSON.stringify(tickets.map((t) => ({ id: t.id, number: t.number }))),
        createdAt: now
      })
      try {
        await em.getRepository(StatsHotspot).insert(row)
      } catch (err) {
        if (isUniqueViolation(err)) return null
        throw err
      }
      await tellSupervisors(em, deps, row)
      return row
    })
    if (alert) raised.push(alert)
  }
  if (raised.length) deps.log.info({ hotspots: raised.length }, 'hot spots raised')
  return raised
}

/** The community's staff and the street's admins (active accounts) each get a message. */
async function tellSupervisors(em: EntityManager, deps: AppDeps, row: StatsHotspot): Promise<void> {
  const users = await em
    .createQueryBuilder(User, 'u')
    .select(['u.id'])
    .where('u.disabled = :off', { off: false })
    .andWhere("((u.role = 'community_staff' AND u.community_code = :community) OR (u.role = 'street_admin' AND u.street_code = :street))", {
      community: row.communityCode,
      street: row.streetCode
    })
    .getMany()
  const grid = await em.getRepository(Grid).findOne({ select: { name: true }, where: { code: row.gridCode } })
  const body = `${grid?.name ?? row.gridCode}近 ${HOTSPOT_RULE.windowDays} 天收到「${(await em.getRepository(TicketCategory).findOne({ select: { name: true }, where: { code: row.category } }))?.name ?? row.category}」工单 ${row.ticketCount} 件（平时约 ${row.baseline.toFixed(1)} 件），请提前排查处置（未诉先办）。`
  await enqueueNotifications(
    em,
    deps,
    users.map((u) => ({ userId: u.id, kind: 'hotspot_alert' as const, title: '热点预警', body }))
  )
}

/** The alerts of the last HOTSPOT_RULE.showDays days that lie inside `unit` (newest first). */
export async function listHotspots(em: EntityManager, unit: Pick<Unit, 'column' | 'code'>, now: Date): Promise<HotspotView[]> {
  const since = new Date(now.getTime() - HOTSPOT_RULE.showDays * DAY_MS)
  const qb = em.createQueryBuilder(StatsHotspot, 'h').where('h.created_at >= :since', { since }).orderBy('h.created_at', 'DESC').limit(50)
  if (unit.column) qb.andWhere(`h.${unit.column} = :code`, { code: unit.code })
  const rows = await qb.getMany()
  const grids = rows.length ? await em.getRepository(Grid).find({ select: { code: true, name: true }, where: { code: In([...new Set(rows.map((r) => r.gridCode))]) } }) : []
  const names = new Map(grids.map((g) => [g.code, g.name]))
  return rows.map((r) => ({
    id: r.id,
    gridCode: r.gridCode,
    gridName: names.get(r.gridCode) ?? r.gridCode,
    communityCode: r.communityCode,
    streetCode: r.streetCode,
    category: r.category,
    windowFrom: r.windowFrom,
    windowTo: r.windowTo,
    ticketCount: r.ticketCount,
    baseline: Number(r.baseline),
    tickets: JSON.parse(r.tickets) as Array<{ id: string; number: string }>,
    createdAt: r.createdAt.toISOString()
  }))
}

export const hotspotJob: BackgroundJob = {
  name: 'stats-hotspots',
  intervalMs: HOTSPOT_JOB_INTERVAL_MS,
  run: async (deps) => {
    await detectHotspots(deps)
  }
}
