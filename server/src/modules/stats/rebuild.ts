import type { EntityManager } from 'typeorm'
import { isSqlite } from '../../db/tx'
import { Ticket } from '../tickets/ticket.entity'
import { storedDate } from './facts'

/**
 * The Beijing date of a datetime column, in SQL. Datetimes are stored in UTC on both databases
 * (SQLite as "YYYY-MM-DD HH:MM:SS.SSS" text, MariaDB with the connection's time zone 'Z').
 */
export function beijingDaySql(sqlite: boolean, column: string): string {
  return sqlite ? `date(${column}, '+8 hours')` : `DATE_FORMAT(DATE_ADD(${column}, INTERVAL 8 HOUR), '%Y-%m-%d')`
}

/**
 * The facts of every ticket at once, from the tickets table (INSERT … SELECT), then the daily rows
 * from the facts (INSERT … SELECT … GROUP BY): what the ticket hook would have written, in two
 * statements. Used to fill the tables for tickets written around the hook (the benchmark's bulk
 * tickets, tests that insert ticket rows directly) and by `rebuildStats` after a repair. The same
 * rules as computeFacts (facts.ts); an open ticket's passed deadline is left to the stats-deadlines
 * job (its next_check_at is in the past), exactly as a live ticket's would be.
 */
export async function rebuildStats(em: EntityManager, now: Date): Promise<void> {
  const sqlite = isSqlite(em.connection)
  const hasSource = !!em.connection.getMetadata(Ticket).findColumnWithDatabaseName('source')
  const responded = "COALESCE(t.accepted_at, CASE WHEN t.state = 'rejected' THEN t.closed_at END)"
  const live = "t.state <> 'cancelled'"
  const missed = `(${responded} IS NOT NULL AND ${responded} > t.accept_due_at)`
  await em.query('DELETE FROM stats_rollup')
  await em.query('DELETE FROM stats_daily')
  await em.query('DELETE FROM stats_ticket_facts')
  await em.query(
    `INSERT INTO stats_ticket_facts (ticket_id, day, street_code, community_code, grid_code, category, source, received, accepted_on_time, accept_missed, resolved, open_past_resolve, overdue, rated, satisfied, next_check_at, updated_at)
     SELECT t.id, ${beijingDaySql(sqlite, 't.created_at')}, COALESCE(t.street_code, ''), COALESCE(t.community_code, ''), COALESCE(t.grid_code, ''), t.category, ${hasSource ? "COALESCE(t.source, 'resident')" : "'resident'"},
       CASE WHEN ${live} THEN 1 ELSE 0 END,
       CASE WHEN ${live} AND ${responded} IS NOT NULL AND NOT ${missed} THEN 1 ELSE 0 END,
       CASE WHEN ${live} AND ${missed} THEN 1 ELSE 0 END,
       CASE WHEN t.state IN ('resolved', 'closed') THEN 1 ELSE 0 END,
       0,
       CASE WHEN ${live} AND (${missed} OR (t.resolved_at IS NOT NULL AND t.resolved_at > t.resolve_due_at)) THEN 1 ELSE 0 END,
       CASE WHEN ${live} AND t.rating IS NOT NULL THEN 1 ELSE 0 END,
       CASE WHEN ${live} AND t.rating >= 4 THEN 1 ELSE 0 END,
       CASE WHEN t.state_group = 'open' AND t.state <> 'suspended' THEN CASE WHEN ${responded} IS NULL THEN t.accept_due_at ELSE t.resolve_due_at END END,
       ?
     FROM tickets t`,
    [storedDate(em, now)]
  )
  await em.query(
    `INSERT INTO stats_daily (day, street_code, community_code, grid_code, category, source, received, accepted_on_time, accept_missed, resolved, open_past_resolve, overdue, rated, satisfied)
     SELECT day, street_code, community_code, grid_code, category, source, SUM(received), SUM(accepted_on_time), SUM(accept_missed), SUM(resolved), SUM(open_past_resolve), SUM(overdue), SUM(rated), SUM(satisfied)
     FROM stats_ticket_facts GROUP BY day, street_code, community_code, grid_code, category, source`
  )
  await rebuildRollup(em)
}

const FLAG_SUMS = 'SUM(received), SUM(accepted_on_time), SUM(accept_missed), SUM(resolved), SUM(open_past_resolve), SUM(overdue), SUM(rated), SUM(satisfied)'

/** The rollup rows from the daily rows (see StatsRollup): one INSERT … SELECT per dim. */
export async function rebuildRollup(em: EntityManager): Promise<void> {
  const dims: Array<[dim: string, scope: string, item: string]> = [
    ['street', "''", 'street_code'],
    ['category', "''", 'category'],
    ['community', 'street_code', 'community_code'],
    ['street_category', 'street_code', 'category']
  ]
  for (const [dim, scope, item] of dims) {
    await em.query(
      `INSERT INTO stats_rollup (dim, scope, day, item, source, received, accepted_on_time, accept_missed, resolved, open_past_resolve, overdue, rated, satisfied)
       SELECT '${dim}', ${scope}, day, ${item}, source, ${FLAG_SUMS} FROM stats_daily GROUP BY ${scope === "''" ? '' : `${scope}, `}day, ${item}, source`
    )
  }
}
