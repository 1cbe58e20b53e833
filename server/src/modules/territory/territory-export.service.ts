import { featureCollection, feature as turfFeature } from '@turf/helpers'
import { union } from '@turf/union'
import type { Feature, MultiPolygon, Polygon } from 'geojson'
import type { EntityManager } from 'typeorm'
import { DISTRICT_CODE, STORED_COORDINATE_SYSTEM, type TerritoryLevel } from '@palm/shared'
import { Community, Grid, Street } from './territory.entity'

type Area = Polygon | MultiPolygon

export interface TerritoryExportFeature {
  type: 'Feature'
  properties: { level: TerritoryLevel; code: string; name: string; parentCode: string; kind?: string; synthetic: boolean }
  geometry: Area | null
}

export interface TerritoryExportFile {
  type: 'FeatureCollection'
  coordinateSystem: typeof STORED_COORDINATE_SYSTEM
  features: TerritoryExportFeature[]
}

/** The union of the children's boundaries, for a street or community that has none of its own. */
function unionOf(shapes: Area[]): Area | null {
  if (shapes.length === 0) return null
  if (shapes.length === 1) return shapes[0] ?? null
  const merged = union(featureCollection(shapes.map((s) => turfFeature(s) as Feature<Area>)))
  return merged ? merged.geometry : null
}

/**
 * The current territory in the import format (WGS-84), streets first, so export → edit → import is
 * the way to change it. A street or community stored without a boundary gets the union of its
 * children's, so the exported file can be checked completely (a first import of it then stores
 * those boundaries: "updated"; later ones find it unchanged).
 */
export async function exportTerritory(em: EntityManager): Promise<TerritoryExportFile> {
  const [streets, communities, grids] = await Promise.all([em.find(Street, { order: { code: 'ASC' } }), em.find(Community, { order: { code: 'ASC' } }), em.find(Grid, { order: { code: 'ASC' } })])
  const parse = (text: string | null) => (text === null ? null : (JSON.parse(text) as Area))
  const gridShapes = new Map<string, Area[]>()
  for (const g of grids) gridShapes.set(g.communityCode, [...(gridShapes.get(g.communityCode) ?? []), parse(g.polygon) as Area])
  const communityShapes = new Map<string, Area[]>()
  const communityFeatures = communities.map((c): TerritoryExportFeature => {
    const geometry = parse(c.polygon) ?? unionOf(gridShapes.get(c.code) ?? [])
    if (geometry) communityShapes.set(c.streetCode, [...(communityShapes.get(c.streetCode) ?? []), geometry])
    return { type: 'Feature', properties: { level: 'community', code: c.code, name: c.name, parentCode: c.streetCode, kind: c.kind, synthetic: Boolean(c.synthetic) }, geometry }
  })
  const streetFeatures = streets.map((s): TerritoryExportFeature => ({
    type: 'Feature',
    properties: { level: 'street', code: s.code, name: s.name, parentCode: DISTRICT_CODE, synthetic: Boolean(s.synthetic) },
    geometry: parse(s.polygon) ?? unionOf(communityShapes.get(s.code) ?? [])
  }))
  const gridFeatures = grids.map((g): TerritoryExportFeature => ({
    type: 'Feature',
    properties: { level: 'grid', code: g.code, name: g.name, parentCode: g.communityCode, synthetic: Boolean(g.synthetic) },
    geometry: parse(g.polygon)
  }))
  return { type: 'FeatureCollection', coordinateSystem: STORED_COORDINATE_SYSTEM, features: [...streetFeatures, ...communityFeatures, ...gridFeatures] }
}
