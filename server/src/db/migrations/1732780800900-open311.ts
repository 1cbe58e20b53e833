import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm'
import { col } from '../columns'

/** Open311 GeoReport v2: the district admin's API keys (hashed) and which tickets came through them. */
export class Open311Keys1732780800900 implements MigrationInterface {
  name = 'Open311Keys1732780800900'

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'open311_keys',
        columns: [
          col.key('id'),
          col.varchar('name', 48),
          col.varchar('key_hash', 64),
          col.varchar('key_prefix', 12),
          col.varchar('user_id', 36),
          col.varchar('created_by', 36),
          col.datetime('created_at'),
          col.datetime('revoked_at', { isNullable: true }),
          col.datetime('last_used_at', { isNullable: true }),
          col.integer('request_count', { default: 0 })
        ],
        indices: [new TableIndex({ name: 'UQ_open311_keys_hash', columnNames: ['key_hash'], isUnique: true })]
      })
    )
    await q.createTable(
      new Table({
        name: 'open311_requests',
        columns: [col.key('ticket_id'), col.varchar('key_id', 36), col.varchar('channel', 16), col.datetime('created_at')],
        indices: [new TableIndex({ name: 'IDX_open311_requests_key', columnNames: ['key_id', 'created_at'] })]
      })
    )
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('open311_requests')
    await q.dropTable('open311_keys')
  }
}
