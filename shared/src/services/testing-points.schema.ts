import { z } from 'zod'
import { CoordSystemSchema, LatLngSchema, PointViewSchema } from '../common/geo'
import { chinaClock, minutesOfHhmm } from './china-time'

/** Limits shared by the staff form and the server. */
export const TestingPointLimits = { nameMax: 64, addressMax: 200, noteMax: 200, maxOpeningPeriods: 28, listMax: 50 } as const

export const TESTING_POINT_STATUSES = ['open', 'paused', 'closed'] as const
export const TestingPointStatusSchema = z.enum(TESTING_POINT_STATUSES)
export type TestingPointStatus = z.infer<typeof TestingPointStatusSchema>

/** Queue length as staff on site report it. */
export const QUEUE_LEVELS = ['none', 'short', 'long'] as const
export const QueueLevelSchema = z.enum(QUEUE_LEVELS)
export type QueueLevel = z.infer<typeof QueueLevelSchema>

/** `HH:MM` on a 24-hour clock; `24:00` closes at midnight. */
export const HhmmSchema = z.string().regex(/^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/, 'use HH:MM, 00:00–24:00')

/** One opening period on one weekday, local (Beijing) time; a day may have several (morning, evening). */
export const OpeningPeriodSchema = z
  .object({
    day: z.number().int().min(1).max(7),
    open: HhmmSchema,
    close: HhmmSchema
  })
  .strict()
  .refine((p) => minutesOfHhmm(p.open) < minutesOfHhmm(p.close), { message: 'close must be after open', path: ['close'] })
export type OpeningPeriod = z.infer<typeof OpeningPeriodSchema>

/** Structured weekly hours, so "open now" is computed, not read from free text. */
export const OpeningHoursSchema = z
  .object({
    weekly: z.array(OpeningPeriodSchema).max(TestingPointLimits.maxOpeningPeriods),
    note: z.string().max(TestingPointLimits.noteMax).optional()
  })
  .strict()
export type OpeningHours = z.infer<typeof OpeningHoursSchema>

/** Whether the hours include the instant `at` (periods are half-open: open ≤ t < close). */
export function isOpenAt(hours: OpeningHours, at: Date): boolean {
  const clock = chinaClock(at)
  return hours.weekly.some((p) => p.day === clock.isoWeekday && minutesOfHhmm(p.open) <= clock.minuteOfDay && clock.minuteOfDay < minutesOfHhmm(p.close))
}

export const CreateTestingPointSchema = z
  .object({
    name: z.string().trim().min(1).max(TestingPointLimits.nameMax),
    address: z.string().trim().min(1).max(TestingPointLimits.addressMax),
    location: LatLngSchema,
    communityCode: z.string().min(1).max(16),
    openingHours: OpeningHoursSchema,
    status: TestingPointStatusSchema.default('open'),
    queueLevel: QueueLevelSchema.default('none')
  })
  .strict()
export type CreateTestingPointInput = z.infer<typeof CreateTestingPointSchema>

export const UpdateTestingPointSchema = z
  .object({
    name: z.string().trim().min(1).max(TestingPointLimits.nameMax),
    address: z.string().trim().min(1).max(TestingPointLimits.addressMax),
    location: LatLngSchema,
    communityCode: z.string().min(1).max(16),
    openingHours: OpeningHoursSchema,
    status: TestingPointStatusSchema,
    queueLevel: QueueLevelSchema
  })
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, { message: 'change at least one field' })
export type UpdateTestingPointInput = z.infer<typeof UpdateTestingPointSchema>

const booleanQuery = z
  .enum(['true', 'false', '1', '0'])
  .optional()
  .transform((v) => v === 'true' || v === '1')

export const TestingPointQuerySchema = z
  .object({
    lat: z.coerce.number().min(-90).max(90).optional(),
    lng: z.coerce.number().min(-180).max(180).optional(),
    /** What lat/lng are in (wgs84 by default; docs/maps.md). */
    coordSystem: CoordSystemSchema.optional(),
    openNow: booleanQuery,
    communityCode: z.string().max(16).optional(),
    streetCode: z.string().max(16).optional(),
    /** Closed points are hidden unless asked for (staff pages). */
    includeClosed: booleanQuery,
    limit: z.coerce.number().int().min(1).max(TestingPointLimits.listMax).default(20)
  })
  .refine((q) => (q.lat === undefined) === (q.lng === undefined), { message: 'give both lat and lng, or neither', path: ['lng'] })
export type TestingPointQuery = z.infer<typeof TestingPointQuerySchema>

export const TestingPointViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  address: z.string(),
  location: PointViewSchema,
  community: z.object({ code: z.string(), name: z.string() }),
  street: z.object({ code: z.string(), name: z.string() }),
  openingHours: OpeningHoursSchema,
  status: TestingPointStatusSchema,
  queueLevel: QueueLevelSchema,
  openNow: z.boolean(),
  /** Metres from the point given in the query; absent without one. */
  distance: z.number().int().optional(),
  /** The resident request this point answered, when it came from one. */
  requestTicketId: z.string().nullable(),
  updatedAt: z.string()
})
export type TestingPointView = z.infer<typeof TestingPointViewSchema>

/** What a `testing_point_request` ticket adds in `details`. */
export const TestingPointRequestDetailsSchema = z
  .object({
    /** The place asked for, e.g. "绿地世纪城小区 东门广场". */
    place: z.string().trim().min(1).max(100),
    reason: z.string().trim().min(1).max(500),
    peopleServed: z.number().int().min(1).max(1_000_000).optional()
  })
  .strict()
export type TestingPointRequestDetails = z.infer<typeof TestingPointRequestDetailsSchema>

export const SupportViewSchema = z.object({
  ticketId: z.string(),
  supportCount: z.number().int(),
  supportedByMe: z.boolean()
})
export type SupportView = z.infer<typeof SupportViewSchema>

/** An open request as residents nearby see it: no requester, only the place and the support. */
export const TestingPointRequestViewSchema = z.object({
  ticketId: z.string(),
  number: z.string().optional(),
  place: z.string(),
  reason: z.string(),
  peopleServed: z.number().int().optional(),
  community: z.object({ code: z.string(), name: z.string() }).nullable(),
  state: z.string(),
  supportCount: z.number().int(),
  supportedByMe: z.boolean(),
  createdAt: z.string(),
  distance: z.number().int().optional()
})
export type TestingPointRequestView = z.infer<typeof TestingPointRequestViewSchema>

/** Staff approval: the point to publish; fields left out come from the request. */
export const ApproveTestingPointRequestSchema = z
  .object({
    name: z.string().trim().min(1).max(TestingPointLimits.nameMax),
    address: z.string().trim().min(1).max(TestingPointLimits.addressMax).optional(),
    location: LatLngSchema.optional(),
    communityCode: z.string().min(1).max(16).optional(),
    openingHours: OpeningHoursSchema,
    status: TestingPointStatusSchema.default('open'),
    queueLevel: QueueLevelSchema.default('none'),
    /** The reply the requester and every supporter receive. */
    reply: z.string().trim().min(1).max(500).optional()
  })
  .strict()
export type ApproveTestingPointRequestInput = z.infer<typeof ApproveTestingPointRequestSchema>
