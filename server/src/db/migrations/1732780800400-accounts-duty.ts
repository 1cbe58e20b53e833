import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm'
import { col } from '../columns'

/**
 * The production staff side: a forced password change flag on users, grid workers on several grids
 * (staff_grids; users.grid_code stays the primary grid), weekly rosters stored as minutes of the
 * week (so "on duty now" is a range comparison), and leave periods. Existing grid workers get their
 * one grid as their primary staff_grids row.
 */
export class AccountsDuty1732780800400 implements MigrationInterface {
  name = 'AccountsDuty1732780800400'

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('users', new TableColumn(col.boolean('must_change_password')))
    await q.createTable(
      new Table({
        name: 'staff_grids',
        columns: [{ ...col.varchar('user_id', 36), isPrimary: true }, { ...col.varchar('grid_code', 24), isPrimary: true }, col.boolean('is_primary')],
        indices: [new TableIndex({ name: 'IDX_staff_grids_grid', columnNames: ['grid_code', 'user_id'] })]
      })
    )
    await q.query("INSERT INTO staff_grids (user_id, grid_code, is_primary) SELECT id, grid_code, 1 FROM users WHERE role = 'grid_worker' AND grid_code IS NOT NULL")
    await q.createTable(
      new Table({
        name: 'roster_entries',
        columns: [col.key('id'), col.varchar('grid_code', 24), col.varchar('user_id', 36), col.integer('start_minute'), col.integer('end_minute'), col.datetime('created_at')],
        indices: [new TableIndex({ name: 'IDX_roster_entries_grid_user', columnNames: ['grid_code', 'user_id', 'start_minute'] })]
      })
    )
    await q.createTable(
      new Table({
        name: 'staff_leaves',
        columns: [
          col.key('id'),
          col.varchar('user_id', 36),
          col.datetime('starts_at'),
          col.datetime('ends_at'),
          col.varchar('reason', 200, { isNullable: true }),
          col.varchar('created_by', 36),
          col.datetime('created_at')
        ],
        indices: [new TableIndex({ name: 'IDX_staff_leaves_user', columnNames: ['user_id', 'ends_at'] })]
      })
    )
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('staff_leaves')
    await q.dropTable('roster_entries')
    await q.dropTable('staff_grids')
    await q.dropColumn('users', 'must_change_password')
  }
}
