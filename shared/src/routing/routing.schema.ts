import { z } from 'zod'
import { CategoryCodeSchema } from '../tickets/categories'

/**
 * Where a ticket waits: a grid worker's hands, or the queue of a community, a street centre, the
 * district centre or a functional department.
 */
export const ROUTING_LEVELS = ['grid', 'community', 'street', 'district', 'department'] as const
export const RoutingLevelSchema = z.enum(ROUTING_LEVELS)
export type RoutingLevel = z.infer<typeof RoutingLevelSchema>

/**
 * How a category rule sends tickets to a department: `instead` of the territory (the department's
 * queue only, e.g. fraud → anti-fraud centre) or `beside` it (the territory path continues and the
 * department sees the ticket too, e.g. a self-built house: housing bureau plus the grid worker on site).
 */
export const ROUTING_RULE_MODES = ['instead', 'beside'] as const
export const RoutingRuleModeSchema = z.enum(ROUTING_RULE_MODES)
export type RoutingRuleMode = z.infer<typeof RoutingRuleModeSchema>

const DepartmentCodeSchema = z
  .string()
  .min(1)
  .max(32)
  .regex(/^[a-z][a-z0-9_]*$/, 'a department code is lower snake_case')

export const RoutingRuleViewSchema = z.object({
  id: z.string(),
  category: CategoryCodeSchema,
  departmentCode: z.string(),
  mode: RoutingRuleModeSchema,
  active: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string()
})
export type RoutingRuleView = z.infer<typeof RoutingRuleViewSchema>

/** A category has at most one rule; a second one for the same category is a 409. */
export const CreateRoutingRuleSchema = z.strictObject({
  category: CategoryCodeSchema,
  departmentCode: DepartmentCodeSchema,
  mode: RoutingRuleModeSchema,
  active: z.boolean().default(true)
})
export type CreateRoutingRuleInput = z.infer<typeof CreateRoutingRuleSchema>

export const UpdateRoutingRuleSchema = z
  .strictObject({
    departmentCode: DepartmentCodeSchema.optional(),
    mode: RoutingRuleModeSchema.optional(),
    active: z.boolean().optional()
  })
  .refine((v) => Object.keys(v).length > 0, { message: 'Change at least one field.' })
export type UpdateRoutingRuleInput = z.infer<typeof UpdateRoutingRuleSchema>

/** `POST /api/routing/explain`: what would happen to a ticket of this category from here. */
export const ExplainRoutingSchema = z.strictObject({
  category: CategoryCodeSchema,
  /** JSON numbers, as in a ticket submission. */
  location: z.strictObject({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180) }).optional(),
  communityCode: z.string().min(1).max(16).optional(),
  streetCode: z.string().min(1).max(16).optional()
})
export type ExplainRoutingInput = z.infer<typeof ExplainRoutingSchema>

/** A routing decision as staff see it: the queue, the assignee, the reason and what it was based on. */
export const RoutingDecisionViewSchema = z.object({
  level: RoutingLevelSchema,
  gridCode: z.string().nullable(),
  communityCode: z.string().nullable(),
  streetCode: z.string().nullable(),
  departmentCode: z.string().nullable(),
  assigneeId: z.string().nullable(),
  reason: z.string(),
  inputs: z.record(z.string(), z.unknown())
})
export type RoutingDecisionView = z.infer<typeof RoutingDecisionViewSchema>
