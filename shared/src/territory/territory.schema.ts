import { z } from 'zod'
import { CoordSystemSchema } from '../common/geo'

/**
 * The territory's public views and queries (api.md "Territory"). Territory data is public: the
 * pickers and the map read it before anyone signs in.
 */

/** A street (街道) code: the district code 140213 and three digits, e.g. 140213066 for 水泊寺. */
export const StreetCodeSchema = z.string().regex(/^\d{9}$/, 'must be a 9-digit street code such as 140213066')
/** A community or village code: the street code and three digits (001–199 社区, 201–399 村). */
export const CommunityCodeSchema = z.string().regex(/^\d{12}$/, 'must be a 12-digit community code such as 140213066001')

export const COMMUNITY_KINDS = ['community', 'village'] as const
export const CommunityKindSchema = z.enum(COMMUNITY_KINDS)
export type CommunityKind = z.infer<typeof CommunityKindSchema>

/**
 * A coordinate in a query string: a plain decimal, nothing else. `z.coerce.number()` would read an
 * empty `?lat=` as 0 and send the caller to the Gulf of Guinea instead of telling them what is wrong.
 */
function queryCoordinate(min: number, max: number) {
  return z
    .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be given once, as a decimal number') })
    .trim()
    .regex(/^[-+]?\d+(\.\d+)?$/, 'must be a decimal number')
    .transform(Number)
    .pipe(z.number().min(min).max(max))
}

/** `coordSystem` says what `lat`/`lng` are in (wgs84 by default; docs/maps.md). */
export const LocateQuerySchema = z.object({
  lat: queryCoordinate(-90, 90),
  lng: queryCoordinate(-180, 180),
  coordSystem: CoordSystemSchema.optional()
})
export type LocateQuery = z.infer<typeof LocateQuerySchema>

export const ListCommunitiesQuerySchema = z.object({ streetCode: StreetCodeSchema.optional() })
export type ListCommunitiesQuery = z.infer<typeof ListCommunitiesQuerySchema>

/** Grids come with polygons, so a caller asks for one community's or one street's, never all at once. */
export const ListGridsQuerySchema = z
  .object({ communityCode: CommunityCodeSchema.optional(), streetCode: StreetCodeSchema.optional() })
  .refine((q) => q.communityCode !== undefined || q.streetCode !== undefined, {
    path: ['communityCode'],
    message: 'communityCode or streetCode is required'
  })
export type ListGridsQuery = z.infer<typeof ListGridsQuerySchema>

export const CodeNameSchema = z.object({ code: z.string(), name: z.string() })
export type CodeName = z.infer<typeof CodeNameSchema>

export const StreetViewSchema = CodeNameSchema
export type StreetView = z.infer<typeof StreetViewSchema>

export const DepartmentViewSchema = CodeNameSchema
export type DepartmentView = z.infer<typeof DepartmentViewSchema>

/** `synthetic: true` marks demo data (invented names and boundaries), so no one mistakes it for the real net. */
export const CommunityViewSchema = z.object({
  code: z.string(),
  name: z.string(),
  streetCode: z.string(),
  kind: CommunityKindSchema,
  synthetic: z.boolean()
})
export type CommunityView = z.infer<typeof CommunityViewSchema>

/** A GeoJSON Polygon (RFC 7946): rings of [lng, lat] positions, the first ring the outer boundary. */
export const GeoJsonPolygonSchema = z.object({
  type: z.literal('Polygon'),
  coordinates: z.array(z.array(z.tuple([z.number(), z.number()])).min(4)).min(1)
})
export type GeoJsonPolygon = z.infer<typeof GeoJsonPolygonSchema>

export const GridViewSchema = z.object({
  code: z.string(),
  name: z.string(),
  communityCode: z.string(),
  streetCode: z.string(),
  polygon: GeoJsonPolygonSchema,
  synthetic: z.boolean()
})
export type GridView = z.infer<typeof GridViewSchema>

/** Which street, community and grid hold a point; the community and grid say whether they are synthetic. */
export const LocateViewSchema = z.object({
  street: CodeNameSchema,
  community: CodeNameSchema.extend({ synthetic: z.boolean() }),
  grid: CodeNameSchema.extend({ synthetic: z.boolean() })
})
export type LocateView = z.infer<typeof LocateViewSchema>
