import { z } from 'zod'
import { LatLngSchema, PointViewSchema } from '../common/geo'
import { PageLimits } from '../common/pagination'

export const VolunteerLimits = {
  nameMax: 32,
  maxSkills: 10,
  skillMax: 20,
  titleMax: 64,
  descriptionMax: 2000,
  placeMax: 200,
  maxCapacity: 10_000,
  /** Check-in opens this long before the start; check-out closes this long after the end. */
  checkinEarlyMinutes: 30,
  checkoutLateMinutes: 30,
  alertTitleMax: 64,
  alertBodyMax: 4000,
  leaderboardSize: 50
} as const

export const VOLUNTEER_STATUSES = ['pending', 'approved', 'rejected'] as const
export const VolunteerStatusSchema = z.enum(VOLUNTEER_STATUSES)
export type VolunteerStatus = z.infer<typeof VolunteerStatusSchema>

/** A mainland mobile number (docs/security.md VAL-1). */
export const MobilePhoneSchema = z
  .string()
  .trim()
  .regex(/^1[3-9]\d{9}$/, 'an 11-digit mainland mobile number')

export const RegisterVolunteerSchema = z
  .object({
    name: z.string().trim().min(1).max(VolunteerLimits.nameMax),
    phone: MobilePhoneSchema,
    communityCode: z.string().min(1).max(16),
    skills: z.array(z.string().trim().min(1).max(VolunteerLimits.skillMax)).max(VolunteerLimits.maxSkills).default([])
  })
  .strict()
export type RegisterVolunteerInput = z.infer<typeof RegisterVolunteerSchema>

export const RejectVolunteerSchema = z.object({ reason: z.string().trim().min(1).max(500) }).strict()

export const VolunteerViewSchema = z.object({
  id: z.string(),
  /** Volunteer number in the alliance, e.g. PCFZ-000123. */
  number: z.string(),
  name: z.string(),
  /** Masked (138****1234) for everyone; the full number is never sent back. */
  phone: z.string(),
  community: z.object({ code: z.string(), name: z.string() }),
  skills: z.array(z.string()),
  status: VolunteerStatusSchema,
  rejectionReason: z.string().nullable(),
  createdAt: z.string(),
  approvedAt: z.string().nullable()
})
export type VolunteerView = z.infer<typeof VolunteerViewSchema>

export const VolunteerQuerySchema = z.object({
  status: VolunteerStatusSchema.optional(),
  communityCode: z.string().max(16).optional()
})

export const ACTIVITY_KINDS = ['publicity', 'training', 'patrol', 'other'] as const
export const ActivityKindSchema = z.enum(ACTIVITY_KINDS)
export type ActivityKind = z.infer<typeof ActivityKindSchema>

const activityFields = {
  title: z.string().trim().min(1).max(VolunteerLimits.titleMax),
  description: z.string().trim().max(VolunteerLimits.descriptionMax),
  kind: ActivityKindSchema,
  place: z.string().trim().min(1).max(VolunteerLimits.placeMax),
  location: LatLngSchema,
  startsAt: z.iso.datetime({ offset: true }),
  endsAt: z.iso.datetime({ offset: true }),
  capacity: z.number().int().min(1).max(VolunteerLimits.maxCapacity),
  signupDeadline: z.iso.datetime({ offset: true })
}

export const CreateActivitySchema = z
  .object({
    ...activityFields,
    description: activityFields.description.default(''),
    kind: activityFields.kind.default('publicity'),
    location: activityFields.location.optional(),
    /** The community it is held for; without it, the street (street admins) or the whole district. */
    communityCode: z.string().max(16).optional(),
    streetCode: z.string().max(16).optional()
  })
  .strict()
  .refine((a) => Date.parse(a.startsAt) < Date.parse(a.endsAt), { message: 'the end must be after the start', path: ['endsAt'] })
  .refine((a) => Date.parse(a.signupDeadline) <= Date.parse(a.startsAt), { message: 'sign-up must close by the start', path: ['signupDeadline'] })
export type CreateActivityInput = z.infer<typeof CreateActivitySchema>

export const UpdateActivitySchema = z
  .object({ ...activityFields, cancelled: z.boolean() })
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, { message: 'change at least one field' })
export type UpdateActivityInput = z.infer<typeof UpdateActivitySchema>

export const ActivityQuerySchema = z.object({
  communityCode: z.string().max(16).optional(),
  streetCode: z.string().max(16).optional(),
  /** Only activities that have not ended (default), or all. */
  upcoming: z
    .enum(['true', 'false', '1', '0'])
    .optional()
    .transform((v) => v === undefined || v === 'true' || v === '1'),
  limit: z.coerce.number().int().min(1).max(PageLimits.maxLimit).default(PageLimits.defaultLimit)
})

export const SIGNUP_STATUSES = ['confirmed', 'waitlisted', 'cancelled'] as const
export const SignupStatusSchema = z.enum(SIGNUP_STATUSES)
export type SignupStatus = z.infer<typeof SignupStatusSchema>

/** `joinWaitlist`: when the activity is full, queue instead of being refused with 409. */
export const CreateSignupSchema = z.object({ joinWaitlist: z.boolean().default(false) }).strict()
export type CreateSignupInput = z.infer<typeof CreateSignupSchema>

export const CheckinSchema = z.object({ code: z.string().trim().min(1).max(16) }).strict()
export type CheckinInput = z.infer<typeof CheckinSchema>

export const SignupViewSchema = z.object({
  id: z.string(),
  activityId: z.string(),
  status: SignupStatusSchema,
  /** 1-based place on the waiting list; absent unless waitlisted. */
  waitlistPosition: z.number().int().optional(),
  checkinAt: z.string().nullable(),
  checkoutAt: z.string().nullable(),
  /** Service hours credited by this activity (after check-out). */
  hours: z.number(),
  volunteer: z.object({ id: z.string(), name: z.string() }).optional(),
  createdAt: z.string()
})
export type SignupView = z.infer<typeof SignupViewSchema>

export const ActivityViewSchema = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  kind: ActivityKindSchema,
  place: z.string(),
  location: PointViewSchema.nullable(),
  community: z.object({ code: z.string(), name: z.string() }).nullable(),
  streetCode: z.string().nullable(),
  startsAt: z.string(),
  endsAt: z.string(),
  signupDeadline: z.string(),
  capacity: z.number().int(),
  signedUp: z.number().int(),
  remaining: z.number().int(),
  waitlisted: z.number().int(),
  cancelled: z.boolean(),
  /** Staff in scope only: the code volunteers type at the venue. */
  checkinCode: z.string().optional(),
  mySignup: SignupViewSchema.nullable().optional()
})
export type ActivityView = z.infer<typeof ActivityViewSchema>

export const ServiceEntryViewSchema = z.object({
  activityId: z.string(),
  title: z.string(),
  kind: ActivityKindSchema,
  place: z.string(),
  organiser: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  checkinAt: z.string().nullable(),
  checkoutAt: z.string().nullable(),
  hours: z.number()
})

/**
 * A volunteer's service record after 《志愿服务记录与证明出具办法》: basic information, service
 * (activities and hours), training, and awards; each entry names the organiser that can certify it.
 */
export const VolunteerRecordViewSchema = z.object({
  basic: z.object({
    number: z.string(),
    name: z.string(),
    phone: z.string(),
    community: z.object({ code: z.string(), name: z.string() }),
    skills: z.array(z.string()),
    registeredAt: z.string(),
    approvedAt: z.string().nullable(),
    organisation: z.string()
  }),
  service: z.object({ totalHours: z.number(), activityCount: z.number().int(), items: z.array(ServiceEntryViewSchema) }),
  training: z.object({ totalHours: z.number(), items: z.array(ServiceEntryViewSchema) }),
  awards: z.object({
    items: z.array(z.object({ id: z.string(), title: z.string(), issuer: z.string(), awardedAt: z.string() }))
  }),
  generatedAt: z.string()
})
export type VolunteerRecordView = z.infer<typeof VolunteerRecordViewSchema>

export const CreateAwardSchema = z
  .object({
    title: z.string().trim().min(1).max(64),
    issuer: z.string().trim().min(1).max(64),
    awardedAt: z.iso.datetime({ offset: true })
  })
  .strict()
export type CreateAwardInput = z.infer<typeof CreateAwardSchema>

export const LeaderboardQuerySchema = z.object({
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'use YYYY-MM')
    .optional(),
  communityCode: z.string().max(16).optional()
})

export const LeaderboardViewSchema = z.object({
  month: z.string(),
  items: z.array(
    z.object({
      rank: z.number().int(),
      /** Masked name (张*): the board is shown to everyone. */
      displayName: z.string(),
      community: z.string(),
      hours: z.number(),
      activityCount: z.number().int(),
      isMe: z.boolean()
    })
  )
})
export type LeaderboardView = z.infer<typeof LeaderboardViewSchema>

export const ALERT_LEVELS = ['info', 'warning', 'urgent'] as const
export const AlertLevelSchema = z.enum(ALERT_LEVELS)

export const CreateAlertSchema = z
  .object({
    title: z.string().trim().min(1).max(VolunteerLimits.alertTitleMax),
    body: z.string().trim().min(1).max(VolunteerLimits.alertBodyMax),
    level: AlertLevelSchema.default('info')
  })
  .strict()
export type CreateAlertInput = z.infer<typeof CreateAlertSchema>

export const AlertViewSchema = z.object({
  id: z.string(),
  title: z.string(),
  body: z.string(),
  level: AlertLevelSchema,
  publisher: z.string(),
  publishedAt: z.string()
})
export type AlertView = z.infer<typeof AlertViewSchema>

export const AlertQuerySchema = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(PageLimits.maxLimit).default(PageLimits.defaultLimit)
})

/** "张三" → "张*", "欧阳娜娜" → "欧***": the masking rule of the public board. */
export function maskLeaderboardName(name: string): string {
  const chars = [...name.trim()]
  if (chars.length === 0) return '*'
  return `${chars[0]}${'*'.repeat(Math.max(1, chars.length - 1))}`
}

/** "13812341234" → "138****1234". */
export function maskVolunteerPhone(phone: string): string {
  return phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****'
}
