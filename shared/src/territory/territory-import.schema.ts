import { z } from 'zod'

/**
 * The territory file (docs/territory-import.md): a GeoJSON FeatureCollection of streets,
 * communities/villages and grids, and the validation report an import answers with. The server and
 * the admin page share these, so the page shows exactly the codes the server emits.
 */

/** The one system stored geometry uses: what GPS (`getLocation({type: 'wgs84'})`) and the locate API speak. */
export const STORED_COORDINATE_SYSTEM = 'WGS-84'
/** What a file may declare; GCJ-02 and BD-09 are converted to WGS-84 (gcoord) before anything is checked. */
export const TERRITORY_COORDINATE_SYSTEMS = ['WGS-84', 'GCJ-02', 'BD-09'] as const
export type TerritoryCoordinateSystem = (typeof TERRITORY_COORDINATE_SYSTEMS)[number]

export const TERRITORY_LEVELS = ['street', 'community', 'grid'] as const
export const TerritoryLevelSchema = z.enum(TERRITORY_LEVELS)
export type TerritoryLevel = z.infer<typeof TerritoryLevelSchema>

export const TerritoryImportLimits = {
  /** Request body of the import route (a district of ~1,000 detailed grids is a few MB). */
  maxBytes: 20 * 1024 * 1024,
  maxFiles: 3,
  maxFeatures: 20_000,
  maxPositionsPerFeature: 20_000,
  maxNameLength: 64,
  maxGridCodeLength: 24,
  /** Overlaps, gaps and parts outside the parent up to this area are rounding noise: not reported. */
  ignoreAreaM2: 1,
  /** Up to this area they are warnings (digitising slivers); above it they are errors that block the write. */
  toleranceAreaM2: 50,
  /** The report lists at most this many errors (and as many warnings); counts stay exact. */
  maxIssues: 500
} as const

/** Every issue the validator or the write can report; clients branch on these. */
export const TERRITORY_ISSUE_CODES = [
  'invalid_feature',
  'unknown_level',
  'invalid_code',
  'missing_name',
  'duplicate_code',
  'unknown_parent',
  'unknown_street',
  'missing_geometry',
  'invalid_geometry_type',
  'invalid_coordinates',
  'too_few_points',
  'unclosed_ring',
  'self_intersection',
  'outside_district',
  'outside_parent',
  'overlap',
  'gap',
  'removed_in_use',
  'moved_in_use',
  'removed',
  'too_many_issues'
] as const
export const TerritoryIssueCodeSchema = z.enum(TERRITORY_ISSUE_CODES)
export type TerritoryIssueCode = z.infer<typeof TerritoryIssueCodeSchema>

export const TerritoryIssueSchema = z.object({
  code: TerritoryIssueCodeSchema,
  featureCode: z.string().optional(),
  level: TerritoryLevelSchema.optional(),
  /** The other feature of an overlap. */
  otherCode: z.string().optional(),
  message: z.string(),
  areaM2: z.number().optional(),
  /** Open tickets that keep a removal or move from happening (the first 20). */
  ticketNumbers: z.array(z.string()).optional(),
  /** Staff accounts (usernames) that name the grid or community. */
  staffAccounts: z.array(z.string()).optional(),
  /** Other records that name it, by table: testing_points, legal_stations, volunteers, volunteer_activities, hazard_entries. */
  otherRecords: z.array(z.string()).optional()
})
export type TerritoryIssue = z.infer<typeof TerritoryIssueSchema>

export const TerritoryImportCountsSchema = z.object({
  streets: z.number().int(),
  communities: z.number().int(),
  grids: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  removed: z.number().int()
})
export type TerritoryImportCounts = z.infer<typeof TerritoryImportCountsSchema>

export const TerritoryImportReportSchema = z.object({
  valid: z.boolean(),
  dryRun: z.boolean(),
  /** True when rows were written (a valid, non-dry import that changed something). */
  written: z.boolean(),
  coordinateSystem: z.object({ declared: z.array(z.string()), stored: z.literal(STORED_COORDINATE_SYSTEM), converted: z.boolean() }),
  counts: TerritoryImportCountsSchema,
  errors: z.array(TerritoryIssueSchema),
  warnings: z.array(TerritoryIssueSchema),
  /** The territory version after the import (bumped only when something was written). */
  version: z.number().int(),
  tookMs: z.number()
})
export type TerritoryImportReport = z.infer<typeof TerritoryImportReportSchema>

export const TerritoryImportQuerySchema = z.object({
  dryRun: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true')
})
export type TerritoryImportQuery = z.infer<typeof TerritoryImportQuerySchema>

/**
 * The outer shape of one file. Features are checked one by one by the validator (so one bad
 * feature is one line of the report, not a rejected request); only a body that is not a territory
 * file at all is refused with 400.
 */
export const TerritoryFileSchema = z.object({
  type: z.literal('FeatureCollection'),
  coordinateSystem: z.string().optional(),
  crs: z.unknown().optional(),
  features: z.array(z.unknown()).max(TerritoryImportLimits.maxFeatures)
})
export type TerritoryFile = z.infer<typeof TerritoryFileSchema>

/** The import body: one file, or up to three (one per level) in an array. */
export const TerritoryImportBodySchema = z.union([TerritoryFileSchema, z.array(TerritoryFileSchema).min(1).max(TerritoryImportLimits.maxFiles)])
export type TerritoryImportBody = z.infer<typeof TerritoryImportBodySchema>

export const TerritoryFeaturePropertiesSchema = z.object({
  level: TerritoryLevelSchema,
  code: z.string(),
  name: z.string().optional(),
  parentCode: z.string().optional(),
  kind: z.enum(['community', 'village']).optional(),
  synthetic: z.boolean().optional()
})
export type TerritoryFeatureProperties = z.infer<typeof TerritoryFeaturePropertiesSchema>

/** A grid code: letters, digits, '-' or '_' (the demo uses 066-012), up to 24 characters. */
export const GRID_CODE_PATTERN = /^[0-9A-Za-z_-]{1,24}$/
