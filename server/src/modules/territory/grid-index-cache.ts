import type { DataSource } from 'typeorm'
import { GridIndex, type IndexedGrid } from './grid-index'
import { Grid } from './territory.entity'

const cache = new WeakMap<DataSource, Promise<GridIndex>>()

export function toIndexedGrid(g: Grid): IndexedGrid {
  const geometry = JSON.parse(g.polygon) as { type: string; coordinates: Array<Array<[number, number]>> }
  return {
    code: g.code,
    name: g.name,
    communityCode: g.communityCode,
    streetCode: g.streetCode,
    rings: geometry.coordinates,
    minLat: g.minLat,
    minLng: g.minLng,
    maxLat: g.maxLat,
    maxLng: g.maxLng
  }
}

/** The grid index of this database, built once from the grids table and shared by every request. */
export function getGridIndex(ds: DataSource): Promise<GridIndex> {
  let index = cache.get(ds)
  if (!index) {
    index = ds
      .getRepository(Grid)
      .find()
      .then((rows) => new GridIndex(rows.map(toIndexedGrid)))
    index.catch(() => cache.delete(ds))
    cache.set(ds, index)
  }
  return index
}

/**
 * Call after grids change (seeding, admin edits) so the next lookup rebuilds the index. The cache is
 * per process: with several instances, a change made through one reaches the others when they restart
 * (grids change only by seeding today; an admin editor would need a version column to poll).
 */
export function invalidateGridIndex(ds: DataSource): void {
  cache.delete(ds)
}
