import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm'
import { col } from '../columns'

/**
 * Places with QR codes (一码通), the grid profile (网格档案) and the public contacts residents see in
 * 我的网格: community offices and grid workers' work numbers (docs/places-and-grids.md).
 */
export class PlacesAndGrids1732780801400 implements MigrationInterface {
  name = 'PlacesAndGrids1732780801400'

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'places',
        columns: [
          col.key('id'),
          col.varchar('code', 12),
          col.varchar('name', 64),
          col.varchar('kind', 16),
          col.varchar('grid_code', 24),
          col.varchar('community_code', 16),
          col.varchar('street_code', 16),
          col.double('lat'),
          col.double('lng'),
          col.varchar('address', 120, { isNullable: true }),
          col.varchar('created_by', 36),
          col.datetime('created_at')
        ]
      })
    )
    await q.createIndex('places', new TableIndex({ name: 'UQ_places_code', columnNames: ['code'], isUnique: true }))
    await q.createIndex('places', new TableIndex({ name: 'IDX_places_grid', columnNames: ['grid_code', 'created_at'] }))

    await q.createTable(
      new Table({
        name: 'grid_counts',
        columns: [
          col.key('grid_code', 24),
          col.integer('residents'),
          col.integer('households'),
          col.integer('party_members'),
          col.integer('special_groups'),
          col.integer('low_income'),
          col.varchar('updated_by', 36),
          col.datetime('updated_at')
        ]
      })
    )

    await q.createTable(
      new Table({
        name: 'grid_entries',
        columns: [
          col.key('id'),
          col.varchar('grid_code', 24),
          col.varchar('block', 16),
          col.varchar('name', 64),
          col.varchar('kind', 32, { isNullable: true }),
          col.varchar('contact', 64, { isNullable: true }),
          col.text('note', { isNullable: true }),
          col.varchar('created_by', 36),
          col.datetime('created_at')
        ]
      })
    )
    await q.createIndex('grid_entries', new TableIndex({ name: 'IDX_grid_entries_grid', columnNames: ['grid_code', 'block', 'created_at'] }))

    await q.createTable(
      new Table({
        name: 'community_offices',
        columns: [
          col.key('community_code', 16),
          col.varchar('name', 64),
          col.varchar('address', 120, { isNullable: true }),
          col.varchar('phone', 20, { isNullable: true }),
          col.varchar('hours', 64, { isNullable: true }),
          col.datetime('updated_at')
        ]
      })
    )

    await q.createTable(
      new Table({
        name: 'staff_cards',
        columns: [col.key('user_id'), col.varchar('work_phone', 20, { isNullable: true }), col.varchar('photo_url', 255, { isNullable: true }), col.datetime('updated_at')]
      })
    )
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['staff_cards', 'community_offices', 'grid_entries', 'grid_counts', 'places']) await q.dropTable(table)
  }
}
