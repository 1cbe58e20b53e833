import { z } from 'zod'

/** Pingcheng District's bounding box (docs/domain.md "The territory": roughly N40.02–40.14, E113.18–113.32). */
export const DISTRICT_BOUNDS = { minLat: 40.02, maxLat: 40.14, minLng: 113.18, maxLng: 113.32 } as const
export const DISTRICT_CODE = '140213'
export const DISTRICT_NAME = '平城区'

export type LatLng = { lat: number; lng: number }

export function isInsideDistrictBounds(p: LatLng): boolean {
  const b = DISTRICT_BOUNDS
  return p.lat >= b.minLat && p.lat < b.maxLat && p.lng >= b.minLng && p.lng < b.maxLng
}

const EARTH_RADIUS_M = 6_371_000

/** Great-circle distance in metres (haversine); accurate to well under a metre at district scale. */
export function distanceMetres(a: LatLng, b: LatLng): number {
  const rad = Math.PI / 180
  const dLat = (b.lat - a.lat) * rad
  const dLng = (b.lng - a.lng) * rad
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)))
}

/**
 * The coordinate systems a point may be given in (docs/maps.md). Stored geometry — grids, tickets,
 * testing points, stations — is always WGS-84; the server converts at its edge (gcoord).
 * - `wgs84`: GPS, `Taro.getLocation({ type: 'wgs84' })`, the browser's geolocation, Tianditu tiles. The default.
 * - `gcj02`: WeChat's `chooseLocation`, the `map` component, `openLocation`, Tencent and Amap tiles.
 * - `bd09`: Baidu maps.
 */
export const COORD_SYSTEMS = ['wgs84', 'gcj02', 'bd09'] as const
export const CoordSystemSchema = z.enum(COORD_SYSTEMS, { error: 'must be one of wgs84, gcj02, bd09' })
export type CoordSystem = z.infer<typeof CoordSystemSchema>
/** What a point without `coordSystem` is taken to be, and what every stored point is. */
export const DEFAULT_COORD_SYSTEM: CoordSystem = 'wgs84'

/** A point in a staff write (testing points, stations, hazards, activities): `coordSystem` defaults to wgs84; the server converts (docs/maps.md). */
export const LatLngSchema = z.object({
  lat: z.coerce.number().min(-90).max(90),
  lng: z.coerce.number().min(-180).max(180),
  coordSystem: CoordSystemSchema.optional()
})

/** A point as the API returns it: always says its system. */
export const PointViewSchema = z.object({ lat: z.number(), lng: z.number(), coordSystem: CoordSystemSchema })
export type PointView = z.infer<typeof PointViewSchema>

/** A point as a body carries it: JSON numbers only; `coordSystem` defaults to wgs84. */
export const PointInputSchema = z.strictObject({
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
  coordSystem: CoordSystemSchema.optional()
})
export type PointInput = z.infer<typeof PointInputSchema>

/** The `coordSystem` query parameter of the APIs that read `lat`/`lng` from the query (and of the map's reads). */
export const CoordSystemQuerySchema = z.object({ coordSystem: CoordSystemSchema.optional() })
