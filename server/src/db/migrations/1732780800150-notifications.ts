import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm'
import { col } from '../columns'

const idx = (name: string, columnNames: string[], isUnique = false) => new TableIndex({ name, columnNames, isUnique })

/**
 * Notifications and the public board: the outbox the WeChat relay drains (its own dispatch_state,
 * apart from any life-cycle state), the in-app message centre, one-shot subscribe-message grants, and
 * publications (the masked, content-checked copy of a resolved ticket the public board shows).
 */
export class Notifications1732780800150 implements MigrationInterface {
  name = 'Notifications1732780800150'

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'notification_outbox',
        columns: [
          col.key('id'),
          col.varchar('user_id', 36),
          col.varchar('channel', 24),
          col.varchar('kind', 32),
          col.varchar('template_key', 32),
          col.text('payload'),
          col.varchar('message_id', 36, { isNullable: true }),
          col.varchar('dispatch_state', 16),
          col.integer('attempts', { default: 0 }),
          col.boolean('grant_consumed'),
          col.datetime('next_attempt_at'),
          col.varchar('claimed_by', 64, { isNullable: true }),
          col.datetime('claimed_until', { isNullable: true }),
          col.varchar('last_error', 255, { isNullable: true }),
          col.datetime('sent_at', { isNullable: true }),
          col.datetime('created_at')
        ],
        indices: [idx('IDX_notification_outbox_due', ['dispatch_state', 'next_attempt_at']), idx('IDX_notification_outbox_user', ['user_id', 'created_at'])]
      })
    )
    await q.createTable(
      new Table({
        name: 'messages',
        columns: [
          col.key('id'),
          col.varchar('user_id', 36),
          col.varchar('kind', 32),
          col.varchar('title', 64),
          col.varchar('body', 500),
          col.varchar('ticket_id', 36, { isNullable: true }),
          col.datetime('read_at', { isNullable: true }),
          col.datetime('created_at')
        ],
        indices: [idx('IDX_messages_user_page', ['user_id', 'created_at', 'id']), idx('IDX_messages_user_unread', ['user_id', 'read_at'])]
      })
    )
    await q.createTable(
      new Table({
        name: 'subscription_grants',
        columns: [col.key('user_id'), col.key('template_id', 128), col.integer('remaining', { default: 0 }), col.datetime('updated_at')]
      })
    )
    await q.createTable(
      new Table({
        name: 'publications',
        columns: [
          col.key('ticket_id'),
          col.varchar('state', 16),
          col.varchar('number', 24),
          col.varchar('category', 32),
          col.varchar('title', 64),
          col.text('body'),
          col.text('reply', { isNullable: true }),
          col.varchar('community_code', 16, { isNullable: true }),
          col.varchar('community_name', 64, { isNullable: true }),
          col.varchar('reporter_name', 16),
          col.integer('rating', { isNullable: true }),
          col.datetime('submitted_at'),
          col.datetime('resolved_at'),
          col.datetime('published_at', { isNullable: true }),
          col.datetime('checked_at', { isNullable: true }),
          col.varchar('check_result', 32, { isNullable: true }),
          col.integer('check_attempts', { default: 0 }),
          col.datetime('next_check_at'),
          col.varchar('claimed_by', 64, { isNullable: true }),
          col.datetime('claimed_until', { isNullable: true }),
          col.varchar('last_error', 255, { isNullable: true }),
          col.datetime('updated_at')
        ],
        indices: [idx('IDX_publications_board', ['state', 'published_at', 'ticket_id']), idx('IDX_publications_due', ['state', 'next_check_at'])]
      })
    )
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['publications', 'subscription_grants', 'messages', 'notification_outbox']) await q.dropTable(table)
  }
}
