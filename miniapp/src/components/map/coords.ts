import gcoord from 'gcoord'
import type { CoordSystem } from '@palm/shared'
import type { MapPoint } from './map-types'

const SYSTEMS = { wgs84: gcoord.WGS84, gcj02: gcoord.GCJ02, bd09: gcoord.BD09 } as const

/**
 * A point in another system, for drawing only: the server stores WGS-84 and converts what it is
 * sent, so this is used where a map shows a point it did not get from the server in its own system
 * (GPS on WeChat's GCJ-02 map, openLocation). docs/maps.md.
 */
export function pointIn(point: MapPoint, to: CoordSystem): MapPoint {
  if (point.coordSystem === to) return point
  const [lng, lat] = gcoord.transform([point.lng, point.lat], SYSTEMS[point.coordSystem], SYSTEMS[to]) as [number, number]
  return { lat: Math.round(lat * 1e7) / 1e7, lng: Math.round(lng * 1e7) / 1e7, coordSystem: to }
}
