import { z } from 'zod'
import { TicketKindSchema, type TicketKind } from './kinds'

import { WORKING_HOUR, WORKING_MINUTES_PER_DAY } from './working-time'

export { WORKING_HOUR, WORKING_MINUTES_PER_DAY, formatWorkingMinutes } from './working-time'

/** A category as it is seeded on every installation; the district admin may change limits later. */
export interface CategoryDefault {
  code: string
  kind: TicketKind
  name: string
  acceptWithinMinutes: number
  resolveWithinMinutes: number
  /**
   * An emergency category: lives or property at stake within hours, so its limits count clock minutes
   * around the clock (24×7) instead of working time (docs/handling.md "Emergency clock").
   */
  emergency?: boolean
}

const day = WORKING_MINUTES_PER_DAY
const hour = WORKING_HOUR

/**
 * The default categories of each kind (docs/domain.md "The ticket"), in display order. Codes are unique
 * across kinds, so a category alone tells the kind. Tips about fraud and acute hazards (fire, gas)
 * get the shortest limits: money or lives may be at stake within hours.
 */
export const DEFAULT_CATEGORIES: readonly CategoryDefault[] = [
  { code: 'sanitation', kind: 'report', name: '环境卫生', acceptWithinMinutes: 2 * hour, resolveWithinMinutes: 3 * day },
  { code: 'public_facilities', kind: 'report', name: '公共设施', acceptWithinMinutes: 2 * hour, resolveWithinMinutes: 5 * day },
  { code: 'neighbour_dispute', kind: 'report', name: '邻里纠纷', acceptWithinMinutes: 2 * hour, resolveWithinMinutes: 5 * day },
  { code: 'safety_hazard', kind: 'report', name: '安全隐患', acceptWithinMinutes: 1 * hour, resolveWithinMinutes: 2 * day },
  { code: 'epidemic_prevention', kind: 'report', name: '疫情防控', acceptWithinMinutes: 1 * hour, resolveWithinMinutes: 1 * day },
  { code: 'other', kind: 'report', name: '其他', acceptWithinMinutes: 2 * hour, resolveWithinMinutes: 3 * day },
  { code: 'testing_point_request', kind: 'testing_point_request', name: '增设检测点', acceptWithinMinutes: 1 * hour, resolveWithinMinutes: 1 * day },
  { code: 'legal_consultation', kind: 'legal_consultation', name: '法律咨询', acceptWithinMinutes: 4 * hour, resolveWithinMinutes: 5 * day },
  { code: 'telecom_fraud', kind: 'fraud_tip', name: '电信诈骗', acceptWithinMinutes: 30, resolveWithinMinutes: 1 * day },
  { code: 'online_fraud', kind: 'fraud_tip', name: '网络诈骗', acceptWithinMinutes: 30, resolveWithinMinutes: 1 * day },
  { code: 'investment_fraud', kind: 'fraud_tip', name: '投资理财诈骗', acceptWithinMinutes: 30, resolveWithinMinutes: 1 * day },
  { code: 'pension_fraud', kind: 'fraud_tip', name: '养老诈骗', acceptWithinMinutes: 30, resolveWithinMinutes: 1 * day },
  { code: 'other_fraud', kind: 'fraud_tip', name: '其他诈骗线索', acceptWithinMinutes: 30, resolveWithinMinutes: 2 * day },
  { code: 'self_built_house', kind: 'hazard_tip', name: '自建房', acceptWithinMinutes: 1 * hour, resolveWithinMinutes: 3 * day },
  { code: 'fire', kind: 'hazard_tip', name: '消防', acceptWithinMinutes: 30, resolveWithinMinutes: 1 * day, emergency: true },
  { code: 'gas', kind: 'hazard_tip', name: '燃气', acceptWithinMinutes: 30, resolveWithinMinutes: 1 * day, emergency: true },
  { code: 'other_hazard', kind: 'hazard_tip', name: '其他隐患', acceptWithinMinutes: 1 * hour, resolveWithinMinutes: 3 * day }
]

export const CategoryCodeSchema = z
  .string()
  .min(1)
  .max(32)
  .regex(/^[a-z][a-z0-9_]*$/, 'a category code is lower snake_case')

/** Upper bound of a limit: 60 working days; anything longer is a typo, not a service promise. */
export const MAX_LIMIT_MINUTES = 60 * WORKING_MINUTES_PER_DAY

/**
 * A category as the API shows it (`GET /api/tickets/categories`). `acceptWithin` and `resolveWithin`
 * are minutes of working time (see WORKING_MINUTES_PER_DAY); clients format them as hours or days.
 */
export const CategoryViewSchema = z.object({
  code: CategoryCodeSchema,
  name: z.string(),
  kind: TicketKindSchema,
  acceptWithin: z.number().int().positive(),
  resolveWithin: z.number().int().positive(),
  active: z.boolean(),
  /** Limits count clock minutes around the clock (24×7) instead of working time. */
  emergency: z.boolean().optional()
})
export type CategoryView = z.infer<typeof CategoryViewSchema>

export const ListCategoriesQuerySchema = z.object({
  kind: TicketKindSchema.optional(),
  /** District admins may ask for switched-off categories too. */
  includeInactive: z
    .enum(['true', 'false', '1', '0'])
    .optional()
    .transform((v) => v === 'true' || v === '1')
})
export type ListCategoriesQuery = z.infer<typeof ListCategoriesQuerySchema>

/** What the district admin may change on a category: its name, its limits, whether it is offered. */
export const UpdateCategorySchema = z
  .strictObject({
    name: z.string().trim().min(1).max(32).optional(),
    acceptWithin: z.number().int().min(1).max(MAX_LIMIT_MINUTES).optional(),
    resolveWithin: z.number().int().min(1).max(MAX_LIMIT_MINUTES).optional(),
    active: z.boolean().optional(),
    emergency: z.boolean().optional()
  })
  .refine((v) => Object.keys(v).length > 0, { message: 'Change at least one field.' })
  .refine((v) => v.acceptWithin === undefined || v.resolveWithin === undefined || v.acceptWithin <= v.resolveWithin, {
    path: ['acceptWithin'],
    message: 'Accepting may not take longer than resolving.'
  })
export type UpdateCategoryInput = z.infer<typeof UpdateCategorySchema>
