import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm'
import { col } from '../columns'

/**
 * rate_limits: the counters of the limits every instance shares (docs/operations.md "Limits"). The
 * CHECK (hits <= max_hits) is what refuses a hit; TypeORM's Table API writes it on SQLite only, so on
 * MySQL/MariaDB it is added by hand (both enforce CHECK: MariaDB ≥ 10.2, MySQL ≥ 8.0.16).
 */
export class RateLimits1732780801200 implements MigrationInterface {
  name = 'RateLimits1732780801200'

  async up(q: QueryRunner): Promise<void> {
    const sqlite = q.connection.options.type === 'better-sqlite3'
    await q.createTable(
      new Table({
        name: 'rate_limits',
        columns: [
          col.varchar('bucket', 24, { isPrimary: true }),
          col.varchar('subject', 128, { isPrimary: true }),
          col.bigint('window_start'),
          col.integer('hits'),
          col.integer('max_hits'),
          col.datetime('expires_at')
        ],
        checks: sqlite ? [{ name: 'CHK_rate_limits_hits', expression: 'hits <= max_hits' }] : []
      })
    )
    if (!sqlite) await q.query('ALTER TABLE rate_limits ADD CONSTRAINT CHK_rate_limits_hits CHECK (hits <= max_hits)')
    await q.createIndex('rate_limits', new TableIndex({ name: 'IDX_rate_limits_expires', columnNames: ['expires_at'] }))
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('rate_limits')
  }
}
