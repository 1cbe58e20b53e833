import { z } from 'zod'
import { RoutingLevelSchema, CreateRoutingRuleSchema, UpdateRoutingRuleSchema } from '../routing/routing.schema'
import { CategoryCodeSchema, MAX_LIMIT_MINUTES } from '../tickets/categories'
import { TicketKindSchema } from '../tickets/kinds'

/**
 * The district centre's admin console (docs/console.md): categories with their time limits,
 * departments, and the replay of a routing-rule change over recent tickets before it is saved.
 * The server validates with these schemas and the mini-program's forms validate with the same ones.
 */
export const ConsoleLimits = {
  categoryNameMax: 32,
  departmentNameMax: 64,
  codeMax: 32,
  /** How many recent tickets of the category a preview replays unless told otherwise. */
  previewDefault: 50,
  previewMax: 500,
  /** How many changed tickets a preview shows one by one. */
  previewSamples: 10
} as const

/** Codes are lower snake_case ASCII (they appear in URLs, rules and statistics); names are Chinese. */
export const DepartmentCodeSchema = z
  .string()
  .min(1)
  .max(ConsoleLimits.codeMax)
  .regex(/^[a-z][a-z0-9_]*$/, 'a department code is lower snake_case')

const LimitSchema = z.number().int().min(1).max(MAX_LIMIT_MINUTES)

/**
 * A new category. Limits are minutes of working time (as GET /api/tickets/categories gives them);
 * accepting may take as long as resolving but not longer (equal is allowed: "accept and finish
 * within the same hour" is a real promise for acute tips).
 */
export const CreateCategorySchema = z
  .strictObject({
    code: CategoryCodeSchema,
    name: z.string().trim().min(1).max(ConsoleLimits.categoryNameMax),
    kind: TicketKindSchema,
    acceptWithin: LimitSchema,
    resolveWithin: LimitSchema,
    active: z.boolean().default(true)
  })
  .refine((v) => v.acceptWithin <= v.resolveWithin, { path: ['acceptWithin'], message: 'Accepting may not take longer than resolving.' })
export type CreateCategoryInput = z.infer<typeof CreateCategorySchema>

/** `GET /api/admin/categories?kind=`: every category, switched off or not. */
export const ListAdminCategoriesQuerySchema = z.object({ kind: TicketKindSchema.optional() })

/** A department as the console shows it: whether it takes tickets, and how many active rules name it. */
export const AdminDepartmentViewSchema = z.object({
  code: z.string(),
  name: z.string(),
  active: z.boolean(),
  activeRules: z.number().int().nonnegative()
})
export type AdminDepartmentView = z.infer<typeof AdminDepartmentViewSchema>

export const CreateDepartmentSchema = z.strictObject({
  code: DepartmentCodeSchema,
  name: z.string().trim().min(1).max(ConsoleLimits.departmentNameMax),
  active: z.boolean().default(true)
})
export type CreateDepartmentInput = z.infer<typeof CreateDepartmentSchema>

export const UpdateDepartmentSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(ConsoleLimits.departmentNameMax).optional(),
    active: z.boolean().optional()
  })
  .refine((v) => Object.keys(v).length > 0, { message: 'Change at least one field.' })
export type UpdateDepartmentInput = z.infer<typeof UpdateDepartmentSchema>

const PreviewLimitSchema = z.number().int().min(1).max(ConsoleLimits.previewMax).default(ConsoleLimits.previewDefault)
const RuleIdSchema = z.string().min(1).max(36)

/**
 * `POST /api/routing/rules/preview`: the change the admin is about to save. `deactivate` also
 * stands for deleting a rule (both leave the category to the territory). `limit`: how many of the
 * category's most recent tickets to replay.
 */
export const PreviewRoutingRuleSchema = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('create'), rule: CreateRoutingRuleSchema, limit: PreviewLimitSchema }),
  z.strictObject({ action: z.literal('update'), ruleId: RuleIdSchema, changes: UpdateRoutingRuleSchema, limit: PreviewLimitSchema }),
  z.strictObject({ action: z.literal('deactivate'), ruleId: RuleIdSchema, limit: PreviewLimitSchema })
])
export type PreviewRoutingRuleInput = z.infer<typeof PreviewRoutingRuleSchema>

/**
 * Where a ticket lands, as the replay compares it: a department queue (`instead` rule), or the
 * territory unit (the grid whatever the duty roster said, else the community, street or district
 * centre) with the `beside` department that also sees it. `none`: the proposal cannot route it
 * (e.g. its point lies in no grid any more).
 */
export const RoutingTargetViewSchema = z.object({
  level: z.union([RoutingLevelSchema, z.literal('none')]),
  code: z.string().nullable(),
  name: z.string(),
  besideDepartment: z.object({ code: z.string(), name: z.string() }).nullable(),
  /** "区住建局", "网格 066-012", "永和社区 + 区卫健委": what the console prints. */
  label: z.string()
})
export type RoutingTargetView = z.infer<typeof RoutingTargetViewSchema>

export const RoutingPreviewViewSchema = z.object({
  category: z.object({ code: z.string(), name: z.string() }),
  /** Tickets replayed (≤ limit): the category's most recent ones. */
  total: z.number().int().nonnegative(),
  /** Of those, how many would now land elsewhere than their stored decision. */
  changed: z.number().int().nonnegative(),
  /** Where the changed ones would go, most first. */
  byTarget: z.array(z.object({ target: RoutingTargetViewSchema, count: z.number().int().positive() })),
  samples: z.array(z.object({ ticketId: z.string(), number: z.string(), before: RoutingTargetViewSchema, after: RoutingTargetViewSchema }))
})
export type RoutingPreviewView = z.infer<typeof RoutingPreviewViewSchema>
