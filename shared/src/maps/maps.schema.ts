import { z } from 'zod'
import { CoordSystemSchema, PointViewSchema } from '../common/geo'
import { TicketStateSchema } from '../tickets/ticket.machine'

/**
 * The map's reads (docs/maps.md). Each takes `coordSystem`, the system the map draws in (wgs84 for
 * the H5 map on the grid layer or Tianditu tiles, gcj02 for WeChat's `map` component), and answers
 * in it, saying so.
 */

const CodeListSchema = z
  .string()
  .max(2000)
  .transform((s) =>
    s
      .split(',')
      .map((c) => c.trim())
      .filter(Boolean)
  )
  .pipe(z.array(z.string().min(1).max(24)).max(200))

/** `GET /api/map/grids`: the district's grid polygons as GeoJSON (simplified), all or some. */
export const MapGridsQuerySchema = z.strictObject({
  coordSystem: CoordSystemSchema.optional(),
  streetCode: z
    .string()
    .regex(/^\d{9}$/)
    .optional(),
  communityCode: z
    .string()
    .regex(/^\d{12}$/)
    .optional(),
  /** Comma-separated grid codes (a grid worker's grids). */
  gridCodes: CodeListSchema.optional()
})
export type MapGridsQuery = z.infer<typeof MapGridsQuerySchema>

export const MapGridFeatureSchema = z.object({
  type: z.literal('Feature'),
  id: z.string(),
  properties: z.object({ code: z.string(), name: z.string(), communityCode: z.string(), communityName: z.string(), streetCode: z.string() }),
  geometry: z.object({ type: z.literal('Polygon'), coordinates: z.array(z.array(z.tuple([z.number(), z.number()]))) })
})
export type MapGridFeature = z.infer<typeof MapGridFeatureSchema>

/** A GeoJSON FeatureCollection that also says its coordinate system and its bounding box [minLng, minLat, maxLng, maxLat]. */
export const MapGridsViewSchema = z.object({
  type: z.literal('FeatureCollection'),
  coordSystem: CoordSystemSchema,
  bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]).nullable(),
  features: z.array(MapGridFeatureSchema)
})
export type MapGridsView = z.infer<typeof MapGridsViewSchema>

/** `GET /api/map/tickets` (staff): the caller's scope's tickets that have a point. */
export const MapTicketsQuerySchema = z.strictObject({
  coordSystem: CoordSystemSchema.optional(),
  state: z.enum(['open', 'done', 'all']).default('open')
})
export type MapTicketsQuery = z.infer<typeof MapTicketsQuerySchema>

/** At most this many markers per answer, the most urgent first (`truncated` says when more exist). */
export const MAP_TICKETS_MAX = 1000

export const MapTicketViewSchema = z.object({
  id: z.string(),
  number: z.string(),
  category: z.string(),
  state: TicketStateSchema,
  stateGroup: z.enum(['open', 'done']),
  overdue: z.boolean(),
  /** The first words of the description, for the marker's label. */
  title: z.string(),
  address: z.string().nullable(),
  gridCode: z.string().nullable(),
  point: PointViewSchema
})
export type MapTicketView = z.infer<typeof MapTicketViewSchema>

/** Where the caller's scope lies, so the map can draw its grids: grid codes, a community, a street or the district. */
export const MapScopeSchema = z.object({
  gridCodes: z.array(z.string()).optional(),
  communityCode: z.string().optional(),
  streetCode: z.string().optional()
})
export type MapScope = z.infer<typeof MapScopeSchema>

export const MapTicketsViewSchema = z.object({
  coordSystem: CoordSystemSchema,
  items: z.array(MapTicketViewSchema),
  truncated: z.boolean(),
  scope: MapScopeSchema
})
export type MapTicketsView = z.infer<typeof MapTicketsViewSchema>

/**
 * The tile source of the H5 map, from the server's config (MAP_TILES, MAP_TILE_KEY…). Absent: the map
 * draws the grid layer only. `coordSystem` is what the tiles are drawn in; the map then asks every
 * point in it.
 */
export const MapTilesViewSchema = z.object({
  provider: z.enum(['tianditu', 'custom']),
  /** Leaflet URL templates ({s}, {z}, {x}, {y}): the base and, for Tianditu, the labels on top. */
  urls: z.array(z.string()).min(1).max(3),
  subdomains: z.string(),
  attribution: z.string(),
  coordSystem: CoordSystemSchema,
  maxZoom: z.number().int()
})
export type MapTilesView = z.infer<typeof MapTilesViewSchema>
