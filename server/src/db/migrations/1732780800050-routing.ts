import { DEFAULT_CATEGORIES } from '@palm/shared'
import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm'
import { DEFAULT_ROUTING_RULES } from '../../modules/routing/default-rules'
import { col } from '../columns'

/** 'YYYY-MM-DD HH:MM:SS.SSS' in UTC: what TypeORM writes for a datetime on SQLite, and MariaDB reads. */
function utcDatetime(at: Date): string {
  return at.toISOString().replace('T', ' ').replace('Z', '')
}

/**
 * Ticket categories with their time limits, category routing rules, and the overdue job's claims
 * (a table of their own: this migration runs before the tickets table exists). Categories and rules are reference data every installation needs (production included), so
 * this migration inserts the defaults of its release, skipping rows that exist. Later changes to the
 * defaults need a migration of their own; admins change them through the API.
 */
export class Routing1732780800050 implements MigrationInterface {
  name = 'Routing1732780800050'

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'ticket_categories',
        columns: [
          col.key('code', 32),
          col.varchar('kind', 32),
          col.varchar('name', 32),
          col.integer('accept_within_minutes'),
          col.integer('resolve_within_minutes'),
          col.boolean('active', true),
          col.integer('sort', { default: 0 })
        ],
        indices: [new TableIndex({ name: 'IDX_ticket_categories_kind', columnNames: ['kind', 'sort'] })]
      }),
      true
    )
    await q.createTable(
      new Table({
        name: 'routing_rules',
        columns: [
          col.key('id'),
          col.varchar('category', 32),
          col.varchar('department_code', 32),
          col.varchar('mode', 16),
          col.boolean('active', true),
          col.datetime('created_at'),
          col.datetime('updated_at')
        ],
        indices: [new TableIndex({ name: 'UQ_routing_rules_category', columnNames: ['category'], isUnique: true })]
      }),
      true
    )
    await q.createTable(
      new Table({
        name: 'ticket_overdue_escalations',
        columns: [
          { ...col.varchar('ticket_id', 36), isPrimary: true },
          { ...col.varchar('deadline', 16), isPrimary: true },
          { ...col.datetime('due_at'), isPrimary: true },
          col.varchar('outcome', 16),
          col.datetime('created_at')
        ],
        indices: [new TableIndex({ name: 'IDX_ticket_overdue_escalations_created', columnNames: ['created_at'] })]
      }),
      true
    )
    await insertRoutingDefaults(q)
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['ticket_overdue_escalations', 'routing_rules', 'ticket_categories']) await q.dropTable(table, true)
  }
}

/** Inserts the default categories and rules that are missing; running it again inserts nothing. */
export async function insertRoutingDefaults(q: QueryRunner): Promise<void> {
  const existingCategories = new Set(((await q.query('SELECT code FROM ticket_categories')) as Array<{ code: string }>).map((r) => r.code))
  for (const [sort, c] of DEFAULT_CATEGORIES.entries()) {
    if (existingCategories.has(c.code)) continue
    await q.query('INSERT INTO ticket_categories (code, kind, name, accept_within_minutes, resolve_within_minutes, active, sort) VALUES (?, ?, ?, ?, ?, 1, ?)', [
      c.code,
      c.kind,
      c.name,
      c.acceptWithinMinutes,
      c.resolveWithinMinutes,
      (sort + 1) * 10
    ])
  }
  const existingRules = new Set(((await q.query('SELECT category FROM routing_rules')) as Array<{ category: string }>).map((r) => r.category))
  const now = utcDatetime(new Date())
  for (const r of DEFAULT_ROUTING_RULES) {
    if (existingRules.has(r.category)) continue
    await q.query('INSERT INTO routing_rules (id, category, department_code, mode, active, created_at, updated_at) VALUES (?, ?, ?, ?, 1, ?, ?)', [
      r.id,
      r.category,
      r.departmentCode,
      r.mode,
      now,
      now
    ])
  }
}
