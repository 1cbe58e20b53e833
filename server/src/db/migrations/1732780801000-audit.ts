import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm'
import { col } from '../columns'

const idx = (name: string, columnNames: string[]) => new TableIndex({ name, columnNames })
/** The hash the first row chains to (docs/audit.md). */
const GENESIS = '0'.repeat(64)
const MESSAGE = 'audit_events is append-only'

/**
 * The audit trail (docs/audit.md): audit_events, append-only, and audit_head, the end of the one
 * hash chain. Triggers refuse UPDATE and DELETE of audit rows for every database user, the app's
 * included (on MySQL/MariaDB also grant the app user only INSERT, SELECT on audit_events: README).
 * Creating a trigger with binary logging on needs SUPER or log_bin_trust_function_creators=1 for the
 * migrating user; the error then says so.
 */
export class Audit1732780801000 implements MigrationInterface {
  name = 'Audit1732780801000'

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'audit_events',
        columns: [
          { name: 'seq', type: 'integer', isPrimary: true },
          col.datetime('created_at'),
          col.varchar('actor_id', 36, { isNullable: true }),
          col.varchar('actor_role', 32, { isNullable: true }),
          col.varchar('actor_scope', 500, { isNullable: true }),
          col.varchar('action', 64),
          col.varchar('object_type', 32),
          col.varchar('object_id', 64, { isNullable: true }),
          col.varchar('request_id', 64, { isNullable: true }),
          col.varchar('client_address', 64, { isNullable: true }),
          col.text('detail', { isNullable: true }),
          col.varchar('prev_hash', 64),
          col.varchar('hash', 64)
        ],
        indices: [
          idx('IDX_audit_events_actor', ['actor_id', 'seq']),
          idx('IDX_audit_events_action', ['action', 'seq']),
          idx('IDX_audit_events_object', ['object_type', 'object_id', 'seq']),
          idx('IDX_audit_events_at', ['created_at'])
        ]
      })
    )
    await q.createTable(new Table({ name: 'audit_head', columns: [col.key('id', 16), col.integer('seq'), col.varchar('hash', 64)] }))
    await q.query('INSERT INTO audit_head (id, seq, hash) VALUES (?, 0, ?)', ['audit', GENESIS])
    const sqlite = q.connection.options.type === 'better-sqlite3'
    for (const op of ['UPDATE', 'DELETE']) {
      const name = `audit_events_no_${op.toLowerCase()}`
      const sql = sqlite
        ? `CREATE TRIGGER ${name} BEFORE ${op} ON audit_events BEGIN SELECT RAISE(ABORT, '${MESSAGE}'); END`
        : `CREATE TRIGGER ${name} BEFORE ${op} ON audit_events FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '${MESSAGE}'`
      try {
        await q.query(sql)
      } catch (err) {
        const code = (err as { driverError?: { code?: unknown }; code?: unknown }).driverError?.code ?? (err as { code?: unknown }).code
        if (code !== 'ER_BINLOG_CREATE_ROUTINE_NEED_SUPER') throw err
        throw new Error('Creating the audit triggers needs SUPER, or SET GLOBAL log_bin_trust_function_creators = 1 while binary logging is on (docs/audit.md).')
      }
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER IF EXISTS audit_events_no_update')
    await q.query('DROP TRIGGER IF EXISTS audit_events_no_delete')
    await q.dropTable('audit_head')
    await q.dropTable('audit_events')
  }
}
