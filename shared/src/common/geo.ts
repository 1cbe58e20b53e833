import { z } from 'zod'

/** Pingcheng District's bounding box (domain.md: roughly N40.02–40.14, E113.18–113.32). */
export const DISTRICT_BOUNDS = { minLat: 40.02, maxLat: 40.14, minLng: 113.18, maxLng: 113.32 } as const
export const DISTRICT_CODE = '140213'
export const DISTRICT_NAME = '平城区'

export const LatLngSchema = z.object({
  lat: z.coerce.number().min(-90).max(90),
  lng: z.coerce.number().min(-180).max(180)
})
export type LatLng = z.infer<typeof LatLngSchema>

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
