import { z } from 'zod'
import { SUPERVISION_LEVELS } from '../auth/roles'

export const StatsLevelSchema = z.enum(SUPERVISION_LEVELS)
export type StatsLevel = z.infer<typeof StatsLevelSchema>

/** The longest range one request may cover (about two years); wider asks are a 400. */
export const MAX_STATS_RANGE_DAYS = 731

/**
 * `GET /api/stats`: one territory unit and a half-open range [from, to) of submission times. `code`
 * may be left out for the district. Without `from`/`to` the last 30 days up to now are counted.
 */
export const StatsQuerySchema = z
  .object({
    level: StatsLevelSchema,
    code: z.string().min(1).max(24).optional(),
    from: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
    to: z.iso.datetime({ offset: true }).or(z.iso.date()).optional()
  })
  .refine((q) => q.level === 'district' || q.code !== undefined, { path: ['code'], message: 'Name the grid, community or street.' })
export type StatsQuery = z.infer<typeof StatsQuerySchema>

/**
 * Figures after Beijing's 接诉即办: response rate 响应率 = accepted within the limit / received;
 * resolution rate 解决率 = resolved / received; satisfaction rate 满意率 = satisfied (rated 4 or 5,
 * 满意 and 基本满意) / rated. A rate is null when its denominator is 0.
 */
export const StatsViewSchema = z.object({
  level: StatsLevelSchema,
  code: z.string(),
  name: z.string(),
  from: z.string(),
  to: z.string(),
  received: z.number().int().nonnegative(),
  acceptedOnTime: z.number().int().nonnegative(),
  resolved: z.number().int().nonnegative(),
  rated: z.number().int().nonnegative(),
  satisfied: z.number().int().nonnegative(),
  overdue: z.number().int().nonnegative(),
  responseRate: z.number().min(0).max(1).nullable(),
  resolutionRate: z.number().min(0).max(1).nullable(),
  satisfactionRate: z.number().min(0).max(1).nullable()
})
export type StatsView = z.infer<typeof StatsViewSchema>
