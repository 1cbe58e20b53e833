import { z } from 'zod'
import { CoordSystemSchema, LatLngSchema, PointViewSchema } from '../common/geo'
import { HhmmSchema } from './testing-points.schema'
import { minutesOfHhmm } from './china-time'

/** Limits shared by forms and the server. */
export const LegalLimits = {
  nameMax: 64,
  addressMax: 200,
  topicMax: 50,
  descriptionMax: 500,
  recordMax: 4000,
  maxTopics: 12,
  /** Slots are generated at most this far ahead. */
  maxGenerateDays: 60,
  maxSlotCapacity: 100,
  /** A query may span at most this many days. */
  maxQueryDays: 62,
  defaultLeadMinutes: 120,
  defaultCancelCutoffMinutes: 120
} as const

/** The three levels of the platform, plus the special stations (1826, the mediation centre). */
export const STATION_LEVELS = ['district', 'street', 'community', 'special'] as const
export const StationLevelSchema = z.enum(STATION_LEVELS)
export type StationLevel = z.infer<typeof StationLevelSchema>

/** What a station is, beyond its level. */
export const STATION_KINDS = ['legal_aid_centre', 'legal_service_station', 'legal_service_room', 'marriage_family_1826', 'mediation_centre'] as const
export const StationKindSchema = z.enum(STATION_KINDS)
export type StationKind = z.infer<typeof StationKindSchema>

export const PROVIDER_KINDS = ['lawyer', 'mediator', 'counsellor'] as const
export const ProviderKindSchema = z.enum(PROVIDER_KINDS)
export type ProviderKind = z.infer<typeof ProviderKindSchema>

export const BOOKING_STATUSES = ['booked', 'cancelled', 'no_show', 'completed'] as const
export const BookingStatusSchema = z.enum(BOOKING_STATUSES)
export type BookingStatus = z.infer<typeof BookingStatusSchema>

const TopicsSchema = z.array(z.string().trim().min(1).max(LegalLimits.topicMax)).max(LegalLimits.maxTopics)

export const CreateStationSchema = z
  .object({
    name: z.string().trim().min(1).max(LegalLimits.nameMax),
    level: StationLevelSchema,
    kind: StationKindSchema,
    streetCode: z.string().max(16).optional(),
    communityCode: z.string().max(16).optional(),
    departmentCode: z.string().max(32).optional(),
    address: z.string().trim().min(1).max(LegalLimits.addressMax),
    location: LatLngSchema.optional(),
    phone: z.string().trim().max(32).optional(),
    topics: TopicsSchema.default([]),
    /** A booking must be made at least this many minutes before the slot. */
    minLeadMinutes: z
      .number()
      .int()
      .min(0)
      .max(7 * 24 * 60)
      .default(LegalLimits.defaultLeadMinutes),
    /** Cancelling or rescheduling is possible until this many minutes before the slot. */
    cancelCutoffMinutes: z
      .number()
      .int()
      .min(0)
      .max(7 * 24 * 60)
      .default(LegalLimits.defaultCancelCutoffMinutes)
  })
  .strict()
  .refine((s) => s.level !== 'community' || !!s.communityCode, { message: 'a community room needs its community', path: ['communityCode'] })
  .refine((s) => s.level !== 'street' || !!s.streetCode || !!s.communityCode, { message: 'a street station needs its street', path: ['streetCode'] })
export type CreateStationInput = z.infer<typeof CreateStationSchema>

export const UpdateStationSchema = z
  .object({
    name: z.string().trim().min(1).max(LegalLimits.nameMax),
    address: z.string().trim().min(1).max(LegalLimits.addressMax),
    location: LatLngSchema,
    phone: z.string().trim().max(32),
    topics: TopicsSchema,
    minLeadMinutes: z
      .number()
      .int()
      .min(0)
      .max(7 * 24 * 60),
    cancelCutoffMinutes: z
      .number()
      .int()
      .min(0)
      .max(7 * 24 * 60),
    active: z.boolean()
  })
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, { message: 'change at least one field' })
export type UpdateStationInput = z.infer<typeof UpdateStationSchema>

/** With a point (lat, lng and its coordSystem, wgs84 by default), the stations come nearest first with their distance (docs/maps.md). */
export const StationQuerySchema = z
  .object({
    level: StationLevelSchema.optional(),
    streetCode: z.string().max(16).optional(),
    communityCode: z.string().max(16).optional(),
    lat: z.coerce.number().min(-90).max(90).optional(),
    lng: z.coerce.number().min(-180).max(180).optional(),
    coordSystem: CoordSystemSchema.optional()
  })
  .refine((q) => (q.lat === undefined) === (q.lng === undefined), { message: 'give both lat and lng, or neither', path: ['lng'] })
export type StationQuery = z.infer<typeof StationQuerySchema>

export const ProviderViewSchema = z.object({
  id: z.string(),
  stationId: z.string(),
  name: z.string(),
  kind: ProviderKindSchema,
  topics: z.array(z.string()),
  bio: z.string(),
  active: z.boolean()
})
export type ProviderView = z.infer<typeof ProviderViewSchema>

export const StationViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  level: StationLevelSchema,
  kind: StationKindSchema,
  street: z.object({ code: z.string(), name: z.string() }).nullable(),
  community: z.object({ code: z.string(), name: z.string() }).nullable(),
  address: z.string(),
  location: PointViewSchema.nullable(),
  /** Metres from the point given in the query; absent without one (or for a station without a point). */
  distance: z.number().int().optional(),
  phone: z.string().nullable(),
  topics: z.array(z.string()),
  minLeadMinutes: z.number().int(),
  cancelCutoffMinutes: z.number().int(),
  active: z.boolean(),
  providers: z.array(ProviderViewSchema).optional()
})
export type StationView = z.infer<typeof StationViewSchema>

export const CreateProviderSchema = z
  .object({
    name: z.string().trim().min(1).max(LegalLimits.nameMax),
    kind: ProviderKindSchema,
    topics: TopicsSchema.default([]),
    bio: z.string().trim().max(500).default(''),
    /** The staff account that writes this provider's consultation records (optional). */
    userId: z.string().max(36).optional()
  })
  .strict()
export type CreateProviderInput = z.infer<typeof CreateProviderSchema>

export const UpdateProviderSchema = z
  .object({
    name: z.string().trim().min(1).max(LegalLimits.nameMax),
    topics: TopicsSchema,
    bio: z.string().trim().max(500),
    active: z.boolean()
  })
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, { message: 'change at least one field' })
export type UpdateProviderInput = z.infer<typeof UpdateProviderSchema>

/** A provider's weekly rule: on `weekday`, from `startTime` to `endTime`, slots of `slotMinutes`. */
export const CreateScheduleSchema = z
  .object({
    weekday: z.number().int().min(1).max(7),
    startTime: HhmmSchema,
    endTime: HhmmSchema,
    slotMinutes: z.number().int().min(10).max(240),
    capacity: z.number().int().min(1).max(LegalLimits.maxSlotCapacity)
  })
  .strict()
  .refine((s) => minutesOfHhmm(s.endTime) - minutesOfHhmm(s.startTime) >= s.slotMinutes, {
    message: 'the period must hold at least one slot',
    path: ['endTime']
  })
export type CreateScheduleInput = z.infer<typeof CreateScheduleSchema>

export const ScheduleViewSchema = z.object({
  id: z.string(),
  providerId: z.string(),
  weekday: z.number().int(),
  startTime: z.string(),
  endTime: z.string(),
  slotMinutes: z.number().int(),
  capacity: z.number().int(),
  active: z.boolean()
})
export type ScheduleView = z.infer<typeof ScheduleViewSchema>

export const GenerateSlotsSchema = z.object({ days: z.number().int().min(1).max(LegalLimits.maxGenerateDays).default(14) }).strict()

export const SlotQuerySchema = z
  .object({
    stationId: z.string().min(1).max(36),
    providerId: z.string().max(36).optional(),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional()
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) <= Date.parse(q.to), { message: 'from must not be after to', path: ['to'] })
export type SlotQuery = z.infer<typeof SlotQuerySchema>

export const SlotViewSchema = z.object({
  id: z.string(),
  stationId: z.string(),
  provider: z.object({ id: z.string(), name: z.string(), kind: ProviderKindSchema }),
  startsAt: z.string(),
  endsAt: z.string(),
  capacity: z.number().int(),
  booked: z.number().int(),
  remaining: z.number().int(),
  /** Whether a resident could book it now: in the future, far enough ahead, and not full. */
  bookable: z.boolean()
})
export type SlotView = z.infer<typeof SlotViewSchema>

export const CreateBookingSchema = z
  .object({
    slotId: z.string().min(1).max(36),
    topic: z.string().trim().min(1).max(LegalLimits.topicMax),
    description: z.string().trim().min(1).max(LegalLimits.descriptionMax)
  })
  .strict()
export type CreateBookingInput = z.infer<typeof CreateBookingSchema>

export const RescheduleBookingSchema = z.object({ slotId: z.string().min(1).max(36) }).strict()
export type RescheduleBookingInput = z.infer<typeof RescheduleBookingSchema>

export const ConsultationRecordSchema = z
  .object({
    summary: z.string().trim().min(1).max(LegalLimits.recordMax),
    advice: z.string().trim().max(LegalLimits.recordMax).default('')
  })
  .strict()
export type ConsultationRecordInput = z.infer<typeof ConsultationRecordSchema>

export const BookingQuerySchema = z.object({
  view: z.enum(['mine', 'station']).default('mine'),
  stationId: z.string().max(36).optional(),
  status: BookingStatusSchema.optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional()
})

export const BookingViewSchema = z.object({
  id: z.string(),
  slotId: z.string(),
  station: z.object({ id: z.string(), name: z.string() }),
  provider: z.object({ id: z.string(), name: z.string(), kind: ProviderKindSchema }),
  startsAt: z.string(),
  endsAt: z.string(),
  topic: z.string(),
  description: z.string(),
  status: BookingStatusSchema,
  ticketId: z.string().nullable(),
  /** The last moment the resident may cancel or reschedule. */
  changeableUntil: z.string(),
  /** Present for staff only: who booked (display name). */
  resident: z.object({ displayName: z.string() }).optional(),
  record: z.object({ summary: z.string(), advice: z.string(), writtenAt: z.string(), writtenBy: z.string() }).nullable(),
  createdAt: z.string(),
  cancelledAt: z.string().nullable()
})
export type BookingView = z.infer<typeof BookingViewSchema>

/** What a `legal_consultation` ticket carries in `details` (written by the booking, not by hand). */
export const LegalConsultationDetailsSchema = z
  .object({
    bookingId: z.string().max(36),
    stationId: z.string().max(36),
    slotId: z.string().max(36),
    topic: z.string().max(LegalLimits.topicMax),
    startsAt: z.string().max(40)
  })
  .strict()
export type LegalConsultationDetails = z.infer<typeof LegalConsultationDetailsSchema>
