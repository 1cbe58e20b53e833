import gcoord from 'gcoord'
import { DEFAULT_COORD_SYSTEM, type CoordSystem, type LatLng, type PointView } from '@palm/shared'

/**
 * The one place where points change coordinate system (docs/maps.md). Everything stored is WGS-84;
 * a point that arrives in GCJ-02 (WeChat's map and chooseLocation) or BD-09 is converted here, and a
 * map that draws in GCJ-02 gets its points converted here on the way out.
 */
const GCOORD_SYSTEMS = { wgs84: gcoord.WGS84, gcj02: gcoord.GCJ02, bd09: gcoord.BD09 } as const

/** 1e-7° is about 1 cm: more digits only carry the conversion's noise. */
function round7(n: number): number {
  return Math.round(n * 1e7) / 1e7
}

export function convertPoint(point: LatLng, from: CoordSystem, to: CoordSystem): LatLng {
  if (from === to) return { lat: point.lat, lng: point.lng }
  const [lng, lat] = gcoord.transform([point.lng, point.lat], GCOORD_SYSTEMS[from], GCOORD_SYSTEMS[to]) as [number, number]
  return { lat: round7(lat), lng: round7(lng) }
}

/** A point as given (system declared or the default wgs84) → the stored WGS-84 point. */
export function toStoredPoint(point: LatLng & { coordSystem?: CoordSystem | undefined }): LatLng {
  return convertPoint(point, point.coordSystem ?? DEFAULT_COORD_SYSTEM, 'wgs84')
}

/** A stored WGS-84 point as the API returns it, in the system asked for (wgs84 unless a map asks otherwise). */
export function presentPoint(lat: number, lng: number, system: CoordSystem = 'wgs84'): PointView {
  const p = convertPoint({ lat, lng }, 'wgs84', system)
  return { lat: p.lat, lng: p.lng, coordSystem: system }
}

/** Converts every [lng, lat] position of a ring list (a GeoJSON Polygon's coordinates). */
export function convertRings(rings: ReadonlyArray<ReadonlyArray<readonly [number, number]>>, to: CoordSystem): Array<Array<[number, number]>> {
  return rings.map((ring) =>
    ring.map(([lng, lat]) => {
      const p = convertPoint({ lat, lng }, 'wgs84', to)
      return [p.lng, p.lat] as [number, number]
    })
  )
}

/**
 * The edge (docs/maps.md): every parsed body and query passes here, and each object in it that holds
 * numeric `lat` and `lng` with a `coordSystem` is converted to WGS-84 in place, its `coordSystem`
 * then dropped. So a service only ever sees stored-system points, whichever API it sits behind.
 * A `coordSystem` without lat/lng (the map's reads) is the system of the answer and stays.
 */
export function pointsToStored<T>(value: T, depth = 0): T {
  if (depth > 6 || typeof value !== 'object' || value === null) return value
  if (Array.isArray(value)) {
    for (const item of value) pointsToStored(item, depth + 1)
    return value
  }
  const record = value as Record<string, unknown>
  if (typeof record.lat === 'number' && typeof record.lng === 'number' && typeof record.coordSystem === 'string') {
    const stored = toStoredPoint({ lat: record.lat, lng: record.lng, coordSystem: record.coordSystem as CoordSystem })
    record.lat = stored.lat
    record.lng = stored.lng
    delete record.coordSystem
    return value
  }
  for (const key of Object.keys(record)) pointsToStored(record[key], depth + 1)
  return value
}
