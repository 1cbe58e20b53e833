import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm'
import { col } from '../columns'

/**
 * Residents' data rights (docs/residents-data.md): the consent record, the tickets whose contact data
 * was anonymised (retention or account deletion), and who released or withheld a held board item.
 */
export class Privacy1732780801100 implements MigrationInterface {
  name = 'Privacy1732780801100'

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'consent_records',
        columns: [
          col.key('id'),
          col.varchar('user_id', 36),
          col.integer('seq'),
          col.varchar('action', 16),
          col.varchar('policy_version', 32, { isNullable: true }),
          col.varchar('client', 16, { isNullable: true }),
          col.datetime('created_at')
        ]
      })
    )
    await q.createIndex('consent_records', new TableIndex({ name: 'UQ_consent_records_user_seq', columnNames: ['user_id', 'seq'], isUnique: true }))
    await q.createTable(new Table({ name: 'retention_purges', columns: [col.key('ticket_id'), col.varchar('reason', 16), col.datetime('purged_at')] }))
    await q.addColumn('publications', new TableColumn(col.varchar('reviewed_by', 36, { isNullable: true })))
    await q.addColumn('publications', new TableColumn(col.datetime('reviewed_at', { isNullable: true })))
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('publications', 'reviewed_at')
    await q.dropColumn('publications', 'reviewed_by')
    await q.dropTable('retention_purges')
    await q.dropTable('consent_records')
  }
}
