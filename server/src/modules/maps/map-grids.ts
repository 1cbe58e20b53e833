import type { CoordSystem, MapGridFeature, MapGridsQuery, MapGridsView } from '@palm/shared'
import type { DataSource } from 'typeorm'
import { Community, getGridIndex, type GridIndex } from '../territory/index'
import { convertRings } from '../../http/coords'
import { simplifyRing } from './simplify'

/** About 1 m: below what a phone map shows at street zoom (docs/maps.md). */
export const GRID_SIMPLIFY_TOLERANCE_DEG = 1e-5

/**
 * The simplified, converted features per grid index and system. A territory import builds a new
 * index (grid-index-cache.ts), so a new version drops these with the old index.
 */
const featuresCache = new WeakMap<GridIndex, Map<CoordSystem, Promise<MapGridFeature[]>>>()

async function allFeatures(ds: DataSource, index: GridIndex, system: CoordSystem): Promise<MapGridFeature[]> {
  const communities = new Map((await ds.getRepository(Community).find({ select: { code: true, name: true } })).map((c) => [c.code, c.name]))
  return index.grids.map((g) => ({
    type: 'Feature',
    id: g.code,
    properties: { code: g.code, name: g.name, communityCode: g.communityCode, communityName: communities.get(g.communityCode) ?? '', streetCode: g.streetCode },
    geometry: {
      type: 'Polygon',
      coordinates: convertRings(
        g.rings.map((ring) => simplifyRing(ring, GRID_SIMPLIFY_TOLERANCE_DEG)),
        system
      )
    }
  }))
}

function featuresOf(ds: DataSource, index: GridIndex, system: CoordSystem): Promise<MapGridFeature[]> {
  let bySystem = featuresCache.get(index)
  if (!bySystem) featuresCache.set(index, (bySystem = new Map()))
  let features = bySystem.get(system)
  if (!features) {
    features = allFeatures(ds, index, system)
    bySystem.set(system, features)
    features.catch(() => bySystem?.delete(system))
  }
  return features
}

function bboxOf(features: readonly MapGridFeature[]): MapGridsView['bbox'] {
  if (!features.length) return null
  let minX = Infinity
  let minY = Infinity
  let maxX = -Infinity
  let maxY = -Infinity
  for (const f of features)
    for (const ring of f.geometry.coordinates)
      for (const [x, y] of ring) {
        minX = Math.min(minX, x)
        minY = Math.min(minY, y)
        maxX = Math.max(maxX, x)
        maxY = Math.max(maxY, y)
      }
  return [minX, minY, maxX, maxY]
}

/**
 * The grid layer of the map: every grid of the district (or of a street, a community, a list of
 * grids) as a GeoJSON Polygon in the system asked for. Public, like the territory reads.
 */
export async function mapGrids(ds: DataSource, query: MapGridsQuery): Promise<MapGridsView> {
  const system = query.coordSystem ?? 'wgs84'
  const all = await featuresOf(ds, await getGridIndex(ds), system)
  const wanted = query.gridCodes ? new Set(query.gridCodes) : undefined
  const features = all.filter(
    (f) =>
      (!query.streetCode || f.properties.streetCode === query.streetCode) && (!query.communityCode || f.properties.communityCode === query.communityCode) && (!wanted || wanted.has(f.properties.code))
  )
  return { type: 'FeatureCollection', coordSystem: system, bbox: bboxOf(features), features }
}
