import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm'

/**
 * Hot-spot alerts grow with the ticket density (docs/dashboards.md "Hot spots"): the district
 * dashboard lists the newest by created_at alone, and each detection pass asks whether a grid and
 * category already had an alert inside the window. Without these both read the whole table.
 */
export class HotspotIndexes1732780802000 implements MigrationInterface {
  name = 'HotspotIndexes1732780802000'

  async up(q: QueryRunner): Promise<void> {
    await q.createIndex('stats_hotspots', new TableIndex({ name: 'IDX_stats_hotspots_created', columnNames: ['created_at'] }))
    await q.createIndex('stats_hotspots', new TableIndex({ name: 'IDX_stats_hotspots_grid_category', columnNames: ['grid_code', 'category', 'window_to'] }))
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('stats_hotspots', 'IDX_stats_hotspots_grid_category')
    await q.dropIndex('stats_hotspots', 'IDX_stats_hotspots_created')
  }
}
