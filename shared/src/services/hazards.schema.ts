import { z } from 'zod'
import { LatLngSchema, PointViewSchema } from '../common/geo'
import { PageLimits } from '../common/pagination'
import { HazardKindSchema } from './tipoffs.schema'

export const HazardLimits = { textMax: 2000, placeMax: 200, buildingMax: 100, orgMax: 100 } as const

/** The ledger's life cycle (隐患台账): reported → verified → appraised → rectifying → closed (挂单销账). */
export const HAZARD_STATUSES = ['reported', 'verified', 'appraised', 'rectifying', 'closed'] as const
export const HazardStatusSchema = z.enum(HAZARD_STATUSES)
export type HazardStatus = z.infer<typeof HazardStatusSchema>

export const RISK_LEVELS = ['low', 'medium', 'high', 'critical'] as const
export const RiskLevelSchema = z.enum(RISK_LEVELS)
export type RiskLevel = z.infer<typeof RiskLevelSchema>

export const HAZARD_EVENTS = ['verify', 'appraise', 'start_rectification', 'close', 'dismiss'] as const
export const HazardEventSchema = z.enum(HAZARD_EVENTS)
export type HazardEvent = z.infer<typeof HazardEventSchema>

/**
 * The transition table. `dismiss` writes off a report that on-site checking found to be no hazard;
 * `close` writes off a rectified one. Both end in `closed`, the event tells them apart.
 */
export const HAZARD_TRANSITIONS: Record<HazardStatus, Partial<Record<HazardEvent, HazardStatus>>> = {
  reported: { verify: 'verified', dismiss: 'closed' },
  verified: { appraise: 'appraised', start_rectification: 'rectifying', dismiss: 'closed' },
  appraised: { start_rectification: 'rectifying' },
  rectifying: { close: 'closed' },
  closed: {}
}

export function nextHazardStatus(from: HazardStatus, event: HazardEvent): HazardStatus | undefined {
  return HAZARD_TRANSITIONS[from][event]
}

export const CreateHazardSchema = z
  .object({
    place: z.string().trim().min(1).max(HazardLimits.placeMax),
    building: z.string().trim().max(HazardLimits.buildingMax).optional(),
    kind: HazardKindSchema,
    riskLevel: RiskLevelSchema,
    description: z.string().trim().max(HazardLimits.textMax).default(''),
    location: LatLngSchema.optional(),
    /** Where it is, when not given by `location` or by a grid worker's own grid. */
    communityCode: z.string().max(16).optional(),
    gridCode: z.string().max(24).optional()
  })
  .strict()
export type CreateHazardInput = z.infer<typeof CreateHazardSchema>

export const FromTicketHazardSchema = z
  .object({
    riskLevel: RiskLevelSchema.default('medium'),
    building: z.string().trim().max(HazardLimits.buildingMax).optional(),
    note: z.string().trim().max(HazardLimits.textMax).optional()
  })
  .strict()
export type FromTicketHazardInput = z.infer<typeof FromTicketHazardSchema>

export const HazardTransitionSchema = z
  .object({
    event: HazardEventSchema,
    note: z.string().trim().max(HazardLimits.textMax).optional(),
    riskLevel: RiskLevelSchema.optional(),
    /** 鉴定结论 (appraise). */
    appraisal: z.string().trim().min(1).max(HazardLimits.textMax).optional(),
    appraisalOrg: z.string().trim().min(1).max(HazardLimits.orgMax).optional(),
    /** 整改方案 and its deadline (start_rectification). */
    rectificationPlan: z.string().trim().min(1).max(HazardLimits.textMax).optional(),
    rectificationDeadline: z.iso.datetime({ offset: true }).optional()
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.event === 'appraise' && !v.appraisal) ctx.addIssue({ code: 'custom', path: ['appraisal'], message: 'an appraisal needs its conclusion' })
    if (v.event === 'start_rectification') {
      if (!v.rectificationPlan) ctx.addIssue({ code: 'custom', path: ['rectificationPlan'], message: 'rectification needs a plan' })
      if (!v.rectificationDeadline) ctx.addIssue({ code: 'custom', path: ['rectificationDeadline'], message: 'rectification needs a deadline' })
    }
    if ((v.event === 'close' || v.event === 'dismiss') && !v.note) ctx.addIssue({ code: 'custom', path: ['note'], message: 'say how it was settled' })
  })
export type HazardTransitionInput = z.infer<typeof HazardTransitionSchema>

const booleanQuery = z
  .enum(['true', 'false', '1', '0'])
  .optional()
  .transform((v) => (v === undefined ? undefined : v === 'true' || v === '1'))

export const HazardQuerySchema = z.object({
  streetCode: z.string().max(16).optional(),
  communityCode: z.string().max(16).optional(),
  status: HazardStatusSchema.optional(),
  kind: HazardKindSchema.optional(),
  overdue: booleanQuery,
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(PageLimits.maxLimit).default(PageLimits.defaultLimit)
})
export type HazardQuery = z.infer<typeof HazardQuerySchema>

export const HazardEventViewSchema = z.object({
  at: z.string(),
  event: z.string(),
  fromStatus: z.string().nullable(),
  toStatus: z.string(),
  actor: z.object({ role: z.string(), displayName: z.string() }),
  note: z.string().nullable()
})

export const HazardViewSchema = z.object({
  id: z.string(),
  number: z.string(),
  street: z.object({ code: z.string(), name: z.string() }),
  community: z.object({ code: z.string(), name: z.string() }).nullable(),
  gridCode: z.string().nullable(),
  place: z.string(),
  building: z.string().nullable(),
  kind: HazardKindSchema,
  riskLevel: RiskLevelSchema,
  description: z.string(),
  location: PointViewSchema.nullable(),
  status: HazardStatusSchema,
  appraisal: z.string().nullable(),
  appraisalOrg: z.string().nullable(),
  rectificationPlan: z.string().nullable(),
  rectificationDeadline: z.string().nullable(),
  overdue: z.boolean(),
  sourceTicketId: z.string().nullable(),
  createdAt: z.string(),
  closedAt: z.string().nullable(),
  events: z.array(HazardEventViewSchema).optional()
})
export type HazardView = z.infer<typeof HazardViewSchema>
