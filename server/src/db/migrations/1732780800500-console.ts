import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm'
import { col } from '../columns'

/**
 * The admin console (docs/console.md): a department can be switched off (it then takes no new
 * tickets, and no active rule may name it). Every existing department stays on.
 */
export class Console1732780800500 implements MigrationInterface {
  name = 'Console1732780800500'

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('departments', new TableColumn(col.boolean('active', true)))
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('departments', 'active')
  }
}
