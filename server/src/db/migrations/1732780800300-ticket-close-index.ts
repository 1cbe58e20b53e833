import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm'

/** The auto-close job looks for resolved tickets past their rating window; this keeps that a range scan. */
export class TicketCloseIndex1732780800300 implements MigrationInterface {
  name = 'TicketCloseIndex1732780800300'

  async up(q: QueryRunner): Promise<void> {
    await q.createIndex('tickets', new TableIndex({ name: 'IDX_tickets_state_resolved', columnNames: ['state', 'resolved_at'] }))
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('tickets', 'IDX_tickets_state_resolved')
  }
}
