import { z } from 'zod'
import { StatsLevelSchema } from './stats.schema'

/**
 * The dashboards (docs/dashboards.md): one unit's figures with each child unit side by side, a trend
 * by day or week, the split by category, the monthly ranking (考评) and hot spots (未诉先办). All
 * read from daily rows, so ranges are whole Beijing days.
 */

const DaySchema = z.iso.date()
export const TREND_GRANULARITIES = ['day', 'week'] as const

/** `GET /api/stats/dashboard` (and `/dashboard.csv`): `from`/`to` are Beijing dates, both included; the last 30 days by default. */
export const DashboardQuerySchema = z
  .object({
    level: StatsLevelSchema,
    code: z.string().min(1).max(24).optional(),
    from: DaySchema.optional(),
    to: DaySchema.optional(),
    granularity: z.enum(TREND_GRANULARITIES).default('day')
  })
  .refine((q) => q.level === 'district' || q.code !== undefined, { path: ['code'], message: 'Name the grid, community or street.' })
export type DashboardQuery = z.infer<typeof DashboardQuerySchema>

/**
 * The counts of a set of tickets and the three rates (definitions in docs/dashboards.md "Rates"):
 * 响应率 = acceptedOnTime ÷ (acceptedOnTime + acceptMissed) — a ticket still inside its accept limit
 * is in neither; 解决率 = resolved ÷ (resolved + openPastResolve) — an open ticket inside its resolve
 * limit is in neither; 满意率 = satisfied (4–5 stars) ÷ rated. A rate with nothing to divide is null.
 */
export const FiguresSchema = z.object({
  received: z.number().int().nonnegative(),
  /** Of `received`: 巡查发现 (a grid worker's own finds) and 代报 (filed for a resident), counted apart. */
  patrol: z.number().int().nonnegative(),
  onBehalf: z.number().int().nonnegative(),
  acceptedOnTime: z.number().int().nonnegative(),
  acceptMissed: z.number().int().nonnegative(),
  resolved: z.number().int().nonnegative(),
  openPastResolve: z.number().int().nonnegative(),
  overdue: z.number().int().nonnegative(),
  rated: z.number().int().nonnegative(),
  satisfied: z.number().int().nonnegative(),
  responseRate: z.number().min(0).max(1).nullable(),
  resolutionRate: z.number().min(0).max(1).nullable(),
  satisfactionRate: z.number().min(0).max(1).nullable()
})
export type Figures = z.infer<typeof FiguresSchema>

export const UnitFiguresSchema = FiguresSchema.extend({ level: StatsLevelSchema, code: z.string(), name: z.string() })
export type UnitFigures = z.infer<typeof UnitFiguresSchema>

export const HotspotViewSchema = z.object({
  id: z.string(),
  gridCode: z.string(),
  gridName: z.string(),
  communityCode: z.string(),
  streetCode: z.string(),
  category: z.string(),
  windowFrom: z.string(),
  windowTo: z.string(),
  ticketCount: z.number().int(),
  baseline: z.number(),
  tickets: z.array(z.object({ id: z.string(), number: z.string() })),
  createdAt: z.string()
})
export type HotspotView = z.infer<typeof HotspotViewSchema>

export const DashboardViewSchema = z.object({
  unit: UnitFiguresSchema,
  from: DaySchema,
  to: DaySchema,
  /** The level of `children` (street under the district, …); null for a grid. */
  childLevel: StatsLevelSchema.nullable(),
  children: z.array(UnitFiguresSchema),
  granularity: z.enum(TREND_GRANULARITIES),
  /** One point per day, or per week starting on Monday (`period` is its first day). */
  trend: z.array(FiguresSchema.extend({ period: DaySchema })),
  categories: z.array(FiguresSchema.extend({ category: z.string() })),
  hotspots: z.array(HotspotViewSchema)
})
export type DashboardView = z.infer<typeof DashboardViewSchema>

const MonthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'A month is YYYY-MM.')
export const RANKING_LEVELS = ['street', 'community'] as const

/**
 * `GET /api/stats/ranking`: streets (of the district) or communities (of `within`, a street; of the
 * whole district when left out) over the months from `from` to `to` (YYYY-MM, both included; `to`
 * defaults to `from`). A month after the current one, or `to` before `from`, is a 400.
 */
export const RankingQuerySchema = z.object({
  level: z.enum(RANKING_LEVELS),
  within: z.string().min(1).max(16).optional(),
  from: MonthSchema,
  to: MonthSchema.optional()
})
export type RankingQuery = z.infer<typeof RankingQuerySchema>

/** The weighting of the ranking in whole percent; they add up to 100. */
export const RankingWeightsSchema = z
  .strictObject({
    response: z.number().int().min(0).max(100),
    resolution: z.number().int().min(0).max(100),
    satisfaction: z.number().int().min(0).max(100)
  })
  .refine((w) => w.response + w.resolution + w.satisfaction === 100, { path: ['satisfaction'], message: 'The weights add up to 100.' })
export type RankingWeights = z.infer<typeof RankingWeightsSchema>

export const RankingRowSchema = UnitFiguresSchema.extend({
  /** 1 for the best; null for a unit with nothing to rate (listed last). */
  rank: z.number().int().positive().nullable(),
  /** 0–100: the weighted mean of the rates it has (a missing rate's weight goes to the others). */
  score: z.number().min(0).max(100).nullable()
})
export type RankingRow = z.infer<typeof RankingRowSchema>

export const RankingViewSchema = z.object({
  level: z.enum(RANKING_LEVELS),
  from: MonthSchema,
  to: MonthSchema,
  weights: RankingWeightsSchema,
  rows: z.array(RankingRowSchema)
})
export type RankingView = z.infer<typeof RankingViewSchema>

export const HotspotQuerySchema = z
  .object({ level: StatsLevelSchema, code: z.string().min(1).max(24).optional() })
  .refine((q) => q.level === 'district' || q.code !== undefined, { path: ['code'], message: 'Name the grid, community or street.' })
