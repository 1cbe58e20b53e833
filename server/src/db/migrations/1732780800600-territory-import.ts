import { Table, TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm'
import { col } from '../columns'

/**
 * Territory import: streets and communities may carry their own boundary (the import checks grids
 * against it; null when the district's registry has grid boundaries only), and one row counts the
 * territory's versions, so every instance notices an import by polling one cheap query.
 */
export class TerritoryImport1732780800600 implements MigrationInterface {
  name = 'TerritoryImport1732780800600'

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('streets', new TableColumn(col.text('polygon', { isNullable: true })))
    await q.addColumn('communities', new TableColumn(col.text('polygon', { isNullable: true })))
    await q.createTable(new Table({ name: 'territory_versions', columns: [col.key('id', 16), col.integer('version'), col.datetime('updated_at')] }))
    await q.query('INSERT INTO territory_versions (id, version, updated_at) VALUES (?, 1, CURRENT_TIMESTAMP)', ['territory'])
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('territory_versions')
    await q.dropColumn('communities', 'polygon')
    await q.dropColumn('streets', 'polygon')
  }
}
