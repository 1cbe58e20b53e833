import { z, type ZodType } from 'zod'
import type { TicketKind } from '../tickets/kinds'
import { LegalConsultationDetailsSchema } from './legal.schema'
import { TestingPointRequestDetailsSchema } from './testing-points.schema'

/** Limits shared by the tip-off forms and the server. */
export const TipoffLimits = { textMax: 2000, accountMax: 64, appNameMax: 64, urlMax: 2048, placeMax: 200, maxAmountLost: 100_000_000 } as const

const PHONE_SEPARATORS = /[\s-]/g

/**
 * A mainland China number as a victim would copy it from a call log: a mobile number (11 digits
 * from 13x–19x, optionally +86), a landline with its area code (0 + 2–3 digits, then 7–8 digits),
 * or a 400/800 service number. Spaces and hyphens are allowed between groups.
 */
export function isMainlandPhoneNumber(raw: string): boolean {
  const digits = raw.replace(PHONE_SEPARATORS, '')
  return /^(?:\+?86)?1[3-9]\d{9}$/.test(digits) || /^(?:\+?86)?0\d{2,3}\d{7,8}$/.test(digits) || /^[48]00\d{7}$/.test(digits) || /^95\d{3,6}$/.test(digits)
}

export const MainlandPhoneSchema = z.string().trim().max(24).refine(isMainlandPhoneNumber, { message: 'not a mainland mobile, landline or service number' })

/** A web address the reporter saw; only http and https (a javascript: or data: link is not a lead). */
export const HttpUrlSchema = z
  .string()
  .trim()
  .max(TipoffLimits.urlMax)
  .refine(
    (raw) => {
      try {
        const url = new URL(raw)
        return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.length > 0
      } catch {
        return false
      }
    },
    { message: 'must be an http:// or https:// address' }
  )

/** What a `fraud_tip` ticket adds in `details`: the leads the anti-fraud centre can act on. */
export const FraudTipDetailsSchema = z
  .object({
    phone: MainlandPhoneSchema.optional(),
    url: HttpUrlSchema.optional(),
    /** Bank card, Alipay or WeChat account the money went to. */
    paymentAccount: z.string().trim().min(1).max(TipoffLimits.accountMax).optional(),
    appName: z.string().trim().min(1).max(TipoffLimits.appNameMax).optional(),
    /** Yuan lost, if any; 0 when the reporter noticed in time. */
    amountLost: z.number().min(0).max(TipoffLimits.maxAmountLost).optional(),
    whatHappened: z.string().trim().min(1).max(TipoffLimits.textMax).optional()
  })
  .strict()
export type FraudTipDetails = z.infer<typeof FraudTipDetailsSchema>

export const HAZARD_KINDS = ['self_built_house', 'fire', 'gas', 'other'] as const
export const HazardKindSchema = z.enum(HAZARD_KINDS)
export type HazardKind = z.infer<typeof HazardKindSchema>

/**
 * What a `hazard_tip` ticket adds in `details`. The category already says the kind (self_built_house,
 * fire, gas, other_hazard), the point goes in the ticket's `location` and the photos in
 * `attachmentIds`; details name the place and building as the reporter knows them.
 */
export const HazardTipDetailsSchema = z
  .object({
    hazardKind: HazardKindSchema.optional(),
    place: z.string().trim().min(1).max(TipoffLimits.placeMax).optional(),
    building: z.string().trim().min(1).max(100).optional()
  })
  .strict()
export type HazardTipDetails = z.infer<typeof HazardTipDetailsSchema>

/**
 * The `details` schema of each ticket kind that has one. The ticket core validates `details` with
 * the schema of the ticket's kind (field paths come out as `details.phone`, …); a kind without an
 * entry takes no details.
 */
export const TICKET_DETAILS_SCHEMAS: Partial<Record<TicketKind, ZodType>> = {
  testing_point_request: TestingPointRequestDetailsSchema,
  legal_consultation: LegalConsultationDetailsSchema,
  fraud_tip: FraudTipDetailsSchema,
  hazard_tip: HazardTipDetailsSchema
}
