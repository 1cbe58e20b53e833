import type { DataSource } from 'typeorm'
import { GridIndex, type IndexedGrid } from './grid-index'
import { Grid } from './territory.entity'
import { readTerritoryVersion } from './territory-version'

/** How often an instance asks whether the territory changed, unless configured (TERRITORY_POLL_SECONDS). */
export const DEFAULT_TERRITORY_POLL_MS = 5_000

interface CacheEntry {
  index: Promise<GridIndex>
  /** The territory version the index was built from (read before the grids). */
  version: number
  checkedAt: number
  /** A version check under way, shared by every lookup that arrives meanwhile. */
  checking?: Promise<void>
}

const cache = new WeakMap<DataSource, CacheEntry>()
const pollIntervals = new WeakMap<DataSource, number>()

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

/** Sets how often this database's index checks the territory version (the app does this from config). */
export function setTerritoryPollInterval(ds: DataSource, ms: number): void {
  pollIntervals.set(ds, ms)
}

function build(ds: DataSource): CacheEntry {
  const entry: CacheEntry = { index: Promise.resolve(new GridIndex([])), version: -1, checkedAt: Date.now() }
  entry.index = readTerritoryVersion(ds).then(async (version) => {
    entry.version = version
    const rows = await ds.getRepository(Grid).find()
    return new GridIndex(rows.map(toIndexedGrid))
  })
  entry.index.catch(() => {
    if (cache.get(ds) === entry) cache.delete(ds)
  })
  return entry
}

/**
 * The grid index of this database, shared by every request of this instance. At most once per poll
 * interval a lookup reads the territory version (one primary-key read); when another instance
 * imported a new territory, the index is rebuilt, so every instance routes by the new grids within
 * the interval, without a restart.
 */
export async function getGridIndex(ds: DataSource): Promise<GridIndex> {
  let entry = cache.get(ds)
  if (!entry) {
    entry = build(ds)
    cache.set(ds, entry)
    return entry.index
  }
  const interval = pollIntervals.get(ds) ?? DEFAULT_TERRITORY_POLL_MS
  if (Date.now() - entry.checkedAt >= interval) {
    const current = entry
    current.checking ??= readTerritoryVersion(ds)
      .then((version) => {
        current.checkedAt = Date.now()
        if (version !== current.version && cache.get(ds) === current) cache.set(ds, build(ds))
      })
      .catch(() => undefined)
      .finally(() => {
        current.checking = undefined
      })
    await current.checking
    entry = cache.get(ds) ?? current
  }
  return entry.index
}

/**
 * Drops this instance's index so the next lookup rebuilds it at once: the instance that imported
 * (or seeded) calls it after its commit; the others notice the version within the poll interval.
 */
export function invalidateGridIndex(ds: DataSource): void {
  cache.delete(ds)
}
