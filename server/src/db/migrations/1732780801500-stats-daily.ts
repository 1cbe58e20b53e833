import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm'
import { col } from '../columns'

const FLAGS = ['received', 'accepted_on_time', 'accept_missed', 'resolved', 'open_past_resolve', 'overdue', 'rated', 'satisfied']

/**
 * Pre-aggregated figures for the dashboards (docs/dashboards.md): per-ticket facts, daily rows per
 * day × street × community × grid × category × source, their rollup for the district and street
 * views, the ranking weights (30/35/35 to start) and
 * hot-spot alerts. Existing tickets are counted in by two INSERT … SELECT statements (a frozen copy
 * of stats/rebuild.ts as it was; every ticket then was a resident's own).
 */
export class StatsDaily1732780801500 implements MigrationInterface {
  name = 'StatsDaily1732780801500'

  async up(q: QueryRunner): Promise<void> {
    const sqlite = q.connection.options.type === 'better-sqlite3'
    const place = [col.varchar('street_code', 16), col.varchar('community_code', 16), col.varchar('grid_code', 24), col.varchar('category', 32), col.varchar('source', 16)]
    await q.createTable(
      new Table({
        name: 'stats_ticket_facts',
        columns: [col.key('ticket_id'), col.varchar('day', 10), ...place, ...FLAGS.map((f) => col.integer(f)), col.datetime('next_check_at', { isNullable: true }), col.datetime('updated_at')]
      })
    )
    await q.createIndex('stats_ticket_facts', new TableIndex({ name: 'IDX_stats_ticket_facts_next_check', columnNames: ['next_check_at'] }))
    await q.createTable(
      new Table({
        name: 'stats_daily',
        columns: [col.varchar('day', 10, { isPrimary: true }), ...place.map((c) => ({ ...c, isPrimary: true })), ...FLAGS.map((f) => col.integer(f, { default: 0 }))]
      })
    )
    await q.createIndex('stats_daily', new TableIndex({ name: 'IDX_stats_daily_street', columnNames: ['street_code', 'day'] }))
    await q.createIndex('stats_daily', new TableIndex({ name: 'IDX_stats_daily_community', columnNames: ['community_code', 'day'] }))
    await q.createIndex('stats_daily', new TableIndex({ name: 'IDX_stats_daily_grid', columnNames: ['grid_code', 'day'] }))
    await q.createTable(
      new Table({
        name: 'stats_rollup',
        columns: [
          col.varchar('dim', 16, { isPrimary: true }),
          col.varchar('scope', 16, { isPrimary: true }),
          col.varchar('day', 10, { isPrimary: true }),
          col.varchar('item', 32, { isPrimary: true }),
          col.varchar('source', 16, { isPrimary: true }),
          ...FLAGS.map((f) => col.integer(f, { default: 0 }))
        ]
      })
    )
    await q.createIndex('stats_rollup', new TableIndex({ name: 'IDX_stats_rollup_dim_day', columnNames: ['dim', 'day'] }))
    await q.createTable(
      new Table({
        name: 'stats_ranking_weights',
        columns: [col.key('id', 16), col.integer('response'), col.integer('resolution'), col.integer('satisfaction'), col.varchar('updated_by', 36, { isNullable: true }), col.datetime('updated_at')]
      })
    )
    await q.query('INSERT INTO stats_ranking_weights (id, response, resolution, satisfaction, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?)', [
      'current',
      30,
      35,
      35,
      null,
      sqlite ? new Date().toISOString().replace('T', ' ').replace('Z', '') : new Date()
    ])
    await q.createTable(
      new Table({
        name: 'stats_hotspots',
        columns: [
          col.key('id'),
          col.varchar('claim_key', 96),
          col.varchar('street_code', 16),
          col.varchar('community_code', 16),
          col.varchar('grid_code', 24),
          col.varchar('category', 32),
          col.varchar('window_from', 10),
          col.varchar('window_to', 10),
          col.integer('ticket_count'),
          col.double('baseline'),
          col.text('tickets'),
          col.datetime('created_at')
        ]
      })
    )
    await q.createIndex('stats_hotspots', new TableIndex({ name: 'UQ_stats_hotspots_claim', columnNames: ['claim_key'], isUnique: true }))
    await q.createIndex('stats_hotspots', new TableIndex({ name: 'IDX_stats_hotspots_street', columnNames: ['street_code', 'created_at'] }))
    await q.createIndex('stats_hotspots', new TableIndex({ name: 'IDX_stats_hotspots_community', columnNames: ['community_code', 'created_at'] }))
    await backfill(q, sqlite)
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['stats_hotspots', 'stats_ranking_weights', 'stats_rollup', 'stats_daily', 'stats_ticket_facts']) await q.dropTable(table)
  }
}

async function backfill(q: QueryRunner, sqlite: boolean): Promise<void> {
  const day = sqlite ? "date(t.created_at, '+8 hours')" : "DATE_FORMAT(DATE_ADD(t.created_at, INTERVAL 8 HOUR), '%Y-%m-%d')"
  const responded = "COALESCE(t.accepted_at, CASE WHEN t.state = 'rejected' THEN t.closed_at END)"
  const live = "t.state <> 'cancelled'"
  const missed = `(${responded} IS NOT NULL AND ${responded} > t.accept_due_at)`
  await q.query(
    `INSERT INTO stats_ticket_facts (ticket_id, day, street_code, community_code, grid_code, category, source, ${FLAGS.join(', ')}, next_check_at, updated_at)
     SELECT t.id, ${day}, COALESCE(t.street_code, ''), COALESCE(t.community_code, ''), COALESCE(t.grid_code, ''), t.category, 'resident',
       CASE WHEN ${live} THEN 1 ELSE 0 END,
       CASE WHEN ${live} AND ${responded} IS NOT NULL AND NOT ${missed} THEN 1 ELSE 0 END,
       CASE WHEN ${live} AND ${missed} THEN 1 ELSE 0 END,
       CASE WHEN t.state IN ('resolved', 'closed') THEN 1 ELSE 0 END,
       0,
       CASE WHEN ${live} AND (${missed} OR (t.resolved_at IS NOT NULL AND t.resolved_at > t.resolve_due_at)) THEN 1 ELSE 0 END,
       CASE WHEN ${live} AND t.rating IS NOT NULL THEN 1 ELSE 0 END,
       CASE WHEN ${live} AND t.rating >= 4 THEN 1 ELSE 0 END,
       CASE WHEN t.state_group = 'open' THEN CASE WHEN ${responded} IS NULL THEN t.accept_due_at ELSE t.resolve_due_at END END,
       t.updated_at
     FROM tickets t`
  )
  await q.query(
    `INSERT INTO stats_daily (day, street_code, community_code, grid_code, category, source, ${FLAGS.join(', ')})
     SELECT day, street_code, community_code, grid_code, category, source, ${FLAGS.map((f) => `SUM(${f})`).join(', ')}
     FROM stats_ticket_facts GROUP BY day, street_code, community_code, grid_code, category, source`
  )
  const dims: Array<[string, string, string]> = [
    ['street', "''", 'street_code'],
    ['category', "''", 'category'],
    ['community', 'street_code', 'community_code'],
    ['street_category', 'street_code', 'category']
  ]
  for (const [dim, scope, item] of dims) {
    await q.query(
      `INSERT INTO stats_rollup (dim, scope, day, item, source, ${FLAGS.join(', ')})
       SELECT '${dim}', ${scope}, day, ${item}, source, ${FLAGS.map((f) => `SUM(${f})`).join(', ')}
       FROM stats_daily GROUP BY ${scope === "''" ? '' : `${scope}, `}day, ${item}, source`
    )
  }
}
