import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm'
import { col } from '../columns'

const inboxIndex = (name: string, scopeColumn: string | null) => new TableIndex({ name, columnNames: [...(scopeColumn ? [scopeColumn] : []), 'state_group', 'due_at', 'id'] })

/** Tickets, their append-only events, attachments, followers, Idempotency-Key claims and uploads. */
export class Tickets1732780800100 implements MigrationInterface {
  name = 'Tickets1732780800100'

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'tickets',
        columns: [
          col.key('id'),
          col.varchar('number', 24),
          col.varchar('kind', 32),
          col.varchar('category', 32),
          col.varchar('state', 16),
          col.varchar('state_group', 8),
          col.text('description'),
          col.text('details', { isNullable: true }),
          col.double('lat', { isNullable: true }),
          col.double('lng', { isNullable: true }),
          col.varchar('address', 200, { isNullable: true }),
          col.varchar('level', 16),
          col.varchar('grid_code', 24, { isNullable: true }),
          col.varchar('community_code', 16, { isNullable: true }),
          col.varchar('street_code', 16, { isNullable: true }),
          col.varchar('department_code', 32, { isNullable: true }),
          col.varchar('assignee_id', 36, { isNullable: true }),
          col.varchar('reporter_id', 36),
          col.boolean('anonymous'),
          col.boolean('allow_publication'),
          col.text('routing_reason'),
          col.text('routing_inputs'),
          col.datetime('dispatched_at'),
          col.datetime('accept_due_at'),
          col.datetime('resolve_due_at'),
          col.datetime('due_at'),
          col.datetime('accepted_at', { isNullable: true }),
          col.datetime('resolved_at', { isNullable: true }),
          col.datetime('closed_at', { isNullable: true }),
          col.datetime('last_reply_at', { isNullable: true }),
          col.text('resolution', { isNullable: true }),
          col.integer('rating', { isNullable: true }),
          col.varchar('rating_comment', 500, { isNullable: true }),
          col.integer('reopen_count', { default: 0 }),
          col.integer('version', { default: 1 }),
          col.datetime('created_at'),
          col.datetime('updated_at')
        ],
        indices: [
          new TableIndex({ name: 'UQ_tickets_number', columnNames: ['number'], isUnique: true }),
          inboxIndex('IDX_tickets_grid_inbox', 'grid_code'),
          inboxIndex('IDX_tickets_community_inbox', 'community_code'),
          inboxIndex('IDX_tickets_street_inbox', 'street_code'),
          inboxIndex('IDX_tickets_department_inbox', 'department_code'),
          inboxIndex('IDX_tickets_assignee_inbox', 'assignee_id'),
          inboxIndex('IDX_tickets_district_inbox', null),
          new TableIndex({ name: 'IDX_tickets_reporter', columnNames: ['reporter_id', 'created_at', 'id'] }),
          new TableIndex({ name: 'IDX_tickets_nearby', columnNames: ['category', 'state_group', 'lat', 'lng'] }),
          new TableIndex({ name: 'IDX_tickets_created', columnNames: ['created_at', 'id'] })
        ]
      })
    )
    await q.createTable(
      new Table({
        name: 'ticket_events',
        columns: [
          col.key('id'),
          col.varchar('ticket_id', 36),
          col.integer('seq'),
          col.varchar('event', 16),
          col.varchar('from_state', 16, { isNullable: true }),
          col.varchar('to_state', 16),
          col.varchar('actor_id', 36, { isNullable: true }),
          col.varchar('actor_role', 32),
          col.varchar('actor_name', 64),
          col.text('note', { isNullable: true }),
          col.text('data', { isNullable: true }),
          col.datetime('created_at')
        ],
        indices: [new TableIndex({ name: 'UQ_ticket_events_seq', columnNames: ['ticket_id', 'seq'], isUnique: true })]
      })
    )
    await q.createTable(
      new Table({
        name: 'ticket_attachments',
        columns: [col.key('upload_id'), col.varchar('ticket_id', 36), col.varchar('role', 16), col.integer('event_seq'), col.datetime('created_at')],
        indices: [new TableIndex({ name: 'IDX_ticket_attachments_ticket', columnNames: ['ticket_id'] })]
      })
    )
    await q.createTable(
      new Table({
        name: 'ticket_followers',
        columns: [col.key('ticket_id'), col.key('user_id'), col.datetime('created_at')],
        indices: [new TableIndex({ name: 'IDX_ticket_followers_user', columnNames: ['user_id', 'created_at'] })]
      })
    )
    await q.createTable(
      new Table({
        name: 'idempotency_keys',
        columns: [
          col.key('id'),
          col.varchar('user_id', 36),
          col.varchar('idem_key', 64),
          col.varchar('request_hash', 64),
          col.varchar('status', 16),
          col.integer('response_status', { isNullable: true }),
          col.text('response_body', { isNullable: true }),
          col.datetime('created_at'),
          col.datetime('completed_at', { isNullable: true })
        ],
        indices: [
          new TableIndex({ name: 'UQ_idempotency_keys_user_key', columnNames: ['user_id', 'idem_key'], isUnique: true }),
          new TableIndex({ name: 'IDX_idempotency_keys_created', columnNames: ['created_at'] })
        ]
      })
    )
    await q.createTable(
      new Table({
        name: 'uploads',
        columns: [
          col.key('id'),
          col.varchar('owner_id', 36),
          col.varchar('mime', 32),
          col.integer('bytes'),
          col.integer('width'),
          col.integer('height'),
          col.varchar('sha256', 64),
          col.varchar('path', 255),
          col.datetime('created_at')
        ],
        indices: [new TableIndex({ name: 'IDX_uploads_owner', columnNames: ['owner_id', 'created_at'] })]
      })
    )
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['uploads', 'idempotency_keys', 'ticket_followers', 'ticket_attachments', 'ticket_events', 'tickets']) await q.dropTable(table)
  }
}
