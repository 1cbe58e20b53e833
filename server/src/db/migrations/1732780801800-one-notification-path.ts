import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm'
import { col } from '../columns'

/**
 * One notification path (issue 12 point 6): the resident services now write their notices as
 * messages and outbox rows in the transaction of the change (notifications/service-notices.ts), so
 * the `service_notices` hand-off table and its pump go. Notices not yet handed on become messages
 * here, filed as the pump filed them; their WeChat pushes are not made (they would arrive late).
 */
export class OneNotificationPath1732780801800 implements MigrationInterface {
  name = 'OneNotificationPath1732780801800'

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      'INSERT INTO messages (id, user_id, kind, title, body, ticket_id, read_at, created_at) ' +
        "SELECT id, user_id, CASE WHEN kind LIKE 'booking%' THEN 'booking_reminder' WHEN kind LIKE 'signup%' OR kind LIKE 'activity%' THEN 'activity_promoted' ELSE 'service_notice' END, " +
        'title, body, NULL, NULL, created_at FROM service_notices WHERE delivered_at IS NULL'
    )
    await q.dropTable('service_notices')
  }

  async down(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'service_notices',
        columns: [
          col.key('id'),
          col.varchar('user_id', 36),
          col.varchar('kind', 48),
          col.varchar('title', 64),
          col.varchar('body', 500),
          col.varchar('subject_ref', 80),
          col.datetime('created_at'),
          col.datetime('delivered_at', { isNullable: true })
        ],
        indices: [
          new TableIndex({ name: 'IDX_service_notices_user', columnNames: ['user_id', 'created_at'] }),
          new TableIndex({ name: 'IDX_service_notices_pending', columnNames: ['delivered_at', 'created_at'] })
        ]
      })
    )
  }
}
