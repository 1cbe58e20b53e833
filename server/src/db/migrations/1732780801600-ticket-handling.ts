import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm'
import { col } from '../columns'

/**
 * 12345-grade handling (docs/handling.md): where a ticket came from (代报 with the resident's phone,
 * 巡查发现), its emergency clock, its one extension, its suspensions, its 回访; departments working
 * beside the assignee (协办); reply templates (常用语) per category; emergency categories; the claims of
 * booking and activity reminders (service_reminders, docs/messages.md "Reminders").
 */
export class TicketHandling1732780801600 implements MigrationInterface {
  name = 'TicketHandling1732780801600'

  async up(q: QueryRunner): Promise<void> {
    await q.addColumns('tickets', [
      new TableColumn(col.varchar('source', 16, { default: "'resident'" })),
      new TableColumn(col.varchar('contact_phone', 20, { isNullable: true })),
      new TableColumn(col.varchar('contact_name', 32, { isNullable: true })),
      new TableColumn(col.boolean('emergency')),
      new TableColumn(col.varchar('extension_state', 16, { isNullable: true })),
      new TableColumn(col.datetime('extension_due_at', { isNullable: true })),
      new TableColumn(col.datetime('suspended_at', { isNullable: true })),
      new TableColumn(col.integer('suspended_minutes', { default: 0 })),
      new TableColumn(col.boolean('cohandled')),
      new TableColumn(col.datetime('callback_at', { isNullable: true }))
    ])
    await q.addColumn('ticket_categories', new TableColumn(col.boolean('emergency')))
    await q.query("UPDATE ticket_categories SET emergency = 1 WHERE code IN ('fire', 'gas')")
    await q.createTable(
      new Table({
        name: 'ticket_cohandlers',
        columns: [col.varchar('ticket_id', 36, { isPrimary: true }), col.varchar('department_code', 32, { isPrimary: true }), col.varchar('invited_by', 36), col.datetime('created_at')]
      })
    )
    await q.createIndex('ticket_cohandlers', new TableIndex({ name: 'IDX_ticket_cohandlers_department', columnNames: ['department_code', 'created_at'] }))
    await q.createTable(
      new Table({
        name: 'reply_templates',
        columns: [col.key('id'), col.varchar('category', 32), col.varchar('title', 20), col.text('body'), col.varchar('updated_by', 36), col.datetime('created_at'), col.datetime('updated_at')]
      })
    )
    await q.createIndex('reply_templates', new TableIndex({ name: 'IDX_reply_templates_category', columnNames: ['category', 'created_at'] }))
    await q.createTable(
      new Table({
        name: 'service_reminders',
        columns: [
          col.varchar('subject_type', 24, { isPrimary: true }),
          col.varchar('subject_id', 36, { isPrimary: true }),
          col.varchar('kind', 16, { isPrimary: true }),
          col.varchar('user_id', 36),
          col.datetime('starts_at'),
          col.datetime('created_at')
        ]
      })
    )
    // The 延期待批 list of an approver reads pending extensions.
    await q.createIndex('tickets', new TableIndex({ name: 'IDX_tickets_extension', columnNames: ['extension_state', 'due_at'] }))
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('tickets', 'IDX_tickets_extension')
    await q.dropTable('service_reminders')
    await q.dropTable('reply_templates')
    await q.dropTable('ticket_cohandlers')
    await q.dropColumn('ticket_categories', 'emergency')
    for (const name of ['callback_at', 'cohandled', 'suspended_minutes', 'suspended_at', 'extension_due_at', 'extension_state', 'emergency', 'contact_name', 'contact_phone', 'source']) {
      await q.dropColumn('tickets', name)
    }
  }
}
