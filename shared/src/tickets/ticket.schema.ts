import { z } from 'zod'
import { PageQuerySchema } from '../common/pagination'
import { CoordSystemSchema, PointInputSchema, PointViewSchema } from '../common/geo'
import { RoutingLevelSchema } from '../routing/routing.schema'
import { TicketKindSchema, ANONYMOUS_KINDS } from './kinds'
import { CategoryCodeSchema } from './categories'
import { TICKET_STATES, TicketEventSchema, TicketStateSchema, TimelineEventSchema, TicketRules } from './ticket.machine'
import { ROLES } from '../auth/roles'
import { TICKET_DETAILS_SCHEMAS } from '../services/tipoffs.schema'
import { MobilePhoneSchema } from '../services/volunteers.schema'
import { TICKET_SOURCES, TicketLimits } from './ticket-limits'

export { STAFF_FILING_ROLES, TICKET_SOURCES, TicketLimits, type TicketSource } from './ticket-limits'

const UploadIdSchema = z.uuid()

/**
 * A point from the map pick or GPS. JSON numbers only: a body never carries coordinates as strings.
 * `coordSystem` says which system (wgs84 by default; WeChat's map gives gcj02): docs/maps.md.
 */
export const TicketLocationSchema = PointInputSchema

const DetailValueSchema = z.union([z.string().max(TicketLimits.detailsMaxBytes), z.number().finite()])

/**
 * What a kind adds (a fraud tip's phone number, a testing-point request's people served…), checked
 * loosely here: flat string/number pairs within 2 KB. The services validate their own shapes.
 */
export const TicketDetailsSchema = z
  .record(
    z
      .string()
      .min(1)
      .max(TicketLimits.detailKeyMax)
      .regex(/^[A-Za-z][A-Za-z0-9_]*$/),
    DetailValueSchema
  )
  .refine((d) => Object.keys(d).length <= TicketLimits.detailsMaxKeys, { message: `at most ${TicketLimits.detailsMaxKeys} details` })
  .refine((d) => new TextEncoder().encode(JSON.stringify(d)).length <= TicketLimits.detailsMaxBytes, {
    message: `details are at most ${TicketLimits.detailsMaxBytes} bytes`
  })

const AttachmentIdsSchema = z
  .array(UploadIdSchema)
  .max(TicketLimits.maxPhotos, { message: `at most ${TicketLimits.maxPhotos} photos` })
  .refine((ids) => new Set(ids).size === ids.length, { message: 'a photo is attached once' })

export const TicketSourceSchema = z.enum(TICKET_SOURCES)

/** The resident a 代报 is filed for: their phone (required) and, if they give it, a name to address them by. */
export const OnBehalfSchema = z.strictObject({
  phone: MobilePhoneSchema,
  name: z.string().trim().min(1).max(32).optional()
})

/** `POST /api/tickets`. Unknown fields are refused (no mass assignment: docs/security.md API3-2). */
export const CreateTicketSchema = z
  .strictObject({
    source: TicketSourceSchema.default('resident'),
    onBehalf: OnBehalfSchema.optional(),
    kind: TicketKindSchema,
    category: CategoryCodeSchema,
    description: z.string().trim().min(1).max(TicketLimits.descriptionMax),
    location: TicketLocationSchema.optional(),
    communityCode: z.string().min(1).max(16).optional(),
    address: z.string().trim().max(TicketLimits.addressMax).optional(),
    attachmentIds: AttachmentIdsSchema.optional(),
    allowPublication: z.boolean().default(false),
    anonymous: z.boolean().default(false),
    details: TicketDetailsSchema.optional()
  })
  .superRefine((input, ctx) => {
    if (input.source === 'on_behalf' && !input.onBehalf) {
      ctx.addIssue({ code: 'custom', path: ['onBehalf', 'phone'], message: 'a report filed for a resident carries their phone' })
    }
    if (input.source !== 'on_behalf' && input.onBehalf) {
      ctx.addIssue({ code: 'custom', path: ['onBehalf'], message: 'only a report filed for a resident (source on_behalf) names one' })
    }
    if (input.source !== 'resident' && input.anonymous) {
      ctx.addIssue({ code: 'custom', path: ['anonymous'], message: 'a report filed by staff is not anonymous' })
    }
    if (input.anonymous && !ANONYMOUS_KINDS.includes(input.kind)) {
      ctx.addIssue({ code: 'custom', path: ['anonymous'], message: 'only fraud and hazard tips may be anonymous' })
    }
    if (input.anonymous && input.allowPublication) {
      ctx.addIssue({ code: 'custom', path: ['allowPublication'], message: 'anonymous tips are never published' })
    }
    // What a kind adds (a fraud tip's phone number and URL, a hazard's kind…) is checked here, so the
    // mini-program's form and the server refuse the same details with the same field paths.
    const detailsSchema = TICKET_DETAILS_SCHEMAS[input.kind]
    if (detailsSchema && input.details !== undefined) {
      const parsed = detailsSchema.safeParse(input.details)
      if (!parsed.success) {
        for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', path: ['details', ...issue.path], message: issue.message })
      }
    }
  })
export type CreateTicketInput = z.input<typeof CreateTicketSchema>
export type CreateTicketData = z.output<typeof CreateTicketSchema>

/** Where a transfer sends the ticket: exactly one of a grid, a community, a department or a staff member. */
export const TransferTargetSchema = z
  .strictObject({
    gridCode: z.string().min(1).max(24).optional(),
    communityCode: z.string().min(1).max(16).optional(),
    departmentCode: z.string().min(1).max(32).optional(),
    assigneeId: z.uuid().optional()
  })
  .refine((t) => Object.values(t).filter((v) => v !== undefined).length === 1, {
    message: 'name exactly one of gridCode, communityCode, departmentCode, assigneeId'
  })
export type TransferTarget = z.infer<typeof TransferTargetSchema>

export const TicketRatingSchema = z.strictObject({
  score: z.number().int().min(TicketRules.minRating).max(TicketRules.maxRating),
  comment: z.string().trim().max(TicketLimits.ratingCommentMax).optional()
})

/** 延期: the resolve deadline asked for (extend_request) or granted (extend_approve; defaults to the one asked for). */
export const ExtensionSchema = z.strictObject({ dueAt: z.iso.datetime({ offset: true }) })
/** 协办: the department asked to work beside the assignee. */
export const CohandlerSchema = z.strictObject({ departmentCode: z.string().min(1).max(32) })
/** What a 回访 found: the resident satisfied, still unsatisfied, or not reached. */
export const CALLBACK_RESULTS = ['satisfied', 'unsatisfied', 'unreachable'] as const
export const CallbackResultSchema = z.enum(CALLBACK_RESULTS)
export type CallbackResult = z.infer<typeof CallbackResultSchema>

/** `POST /api/tickets/:id/transitions`. `note` is the reply text, or the reason where one is needed. */
export const TransitionSchema = z
  .strictObject({
    event: TicketEventSchema,
    note: z.string().trim().max(TicketLimits.noteMax).optional(),
    attachmentIds: AttachmentIdsSchema.optional(),
    target: TransferTargetSchema.optional(),
    rating: TicketRatingSchema.optional(),
    extension: ExtensionSchema.optional(),
    cohandler: CohandlerSchema.optional(),
    callbackResult: CallbackResultSchema.optional()
  })
  .superRefine((input, ctx) => {
    if (input.event === 'extend_request' && !input.extension) ctx.addIssue({ code: 'custom', path: ['extension', 'dueAt'], message: 'an extension request names the new deadline' })
    if (input.extension && input.event !== 'extend_request' && input.event !== 'extend_approve') ctx.addIssue({ code: 'custom', path: ['extension'], message: 'only an extension names a deadline' })
    if (input.event === 'cohandle' && !input.cohandler) ctx.addIssue({ code: 'custom', path: ['cohandler'], message: 'co-handling names a department' })
    if (input.event !== 'cohandle' && input.cohandler) ctx.addIssue({ code: 'custom', path: ['cohandler'], message: 'only co-handling names a department' })
    if (input.event === 'callback' && !input.callbackResult) ctx.addIssue({ code: 'custom', path: ['callbackResult'], message: 'a callback records what it found' })
    if (input.event !== 'callback' && input.callbackResult) ctx.addIssue({ code: 'custom', path: ['callbackResult'], message: 'only a callback has a result' })
    if (input.event === 'transfer' && !input.target) ctx.addIssue({ code: 'custom', path: ['target'], message: 'a transfer names its target' })
    if (input.event !== 'transfer' && input.target) ctx.addIssue({ code: 'custom', path: ['target'], message: 'only a transfer has a target' })
    if (input.event !== 'rate' && input.rating) ctx.addIssue({ code: 'custom', path: ['rating'], message: 'only a rating has a rating' })
  })
export type TransitionInput = z.infer<typeof TransitionSchema>

/** `state` takes a state or a group (`open`, `done`); the inbox shows open tickets unless asked. */
export const TicketStateFilterSchema = z.enum([...TICKET_STATES, 'open', 'done', 'all'])
export type TicketStateFilter = z.infer<typeof TicketStateFilterSchema>

const QueryFlagSchema = z
  .enum(['true', 'false', '1', '0'])
  .optional()
  .transform((v) => (v === undefined ? undefined : v === 'true' || v === '1'))

/**
 * `GET /api/tickets`. `view=mine`: a citizen's own and followed tickets (newest first), a staff
 * member's tickets assigned to them; `view=inbox`: the staff member's scope, by due time.
 */
export const ListTicketsQuerySchema = PageQuerySchema.extend({
  view: z.enum(['mine', 'inbox']).optional(),
  state: TicketStateFilterSchema.optional(),
  category: CategoryCodeSchema.optional(),
  kind: TicketKindSchema.optional(),
  overdue: QueryFlagSchema,
  /** Only tickets with a pending extension that the caller is the one to decide (approverRoleFor). */
  toApprove: QueryFlagSchema
})
export type ListTicketsQuery = z.infer<typeof ListTicketsQuerySchema>

export const NearbyTicketsQuerySchema = z.object({
  lat: z.coerce.number().min(-90).max(90),
  lng: z.coerce.number().min(-180).max(180),
  coordSystem: CoordSystemSchema.optional(),
  category: CategoryCodeSchema
})
export type NearbyTicketsQuery = z.infer<typeof NearbyTicketsQuerySchema>

const CodeNameSchema = z.object({ code: z.string(), name: z.string() })

/** A timeline row as people see it: the actor by role and display name only (never an id). */
export const TicketEventViewSchema = z.object({
  at: z.string(),
  event: TimelineEventSchema,
  fromState: TicketStateSchema.nullable(),
  toState: TicketStateSchema,
  actor: z.object({ role: z.enum([...ROLES, 'system']), displayName: z.string() }),
  note: z.string().nullable()
})
export type TicketEventView = z.infer<typeof TicketEventViewSchema>

export const TicketAttachmentViewSchema = z.object({
  id: z.string(),
  role: z.enum(['report', 'reply']),
  /** A signed URL valid for a few minutes; fetch a fresh view for a new one. */
  url: z.string(),
  width: z.number().int(),
  height: z.number().int()
})
export type TicketAttachmentView = z.infer<typeof TicketAttachmentViewSchema>

/**
 * `TicketView`: the api.md fields exactly, plus extras. There is deliberately no reporter id; staff
 * see the reporter's display name only on tickets that are not anonymous.
 */
export const TicketViewSchema = z.strictObject({
  id: z.string(),
  number: z.string(),
  kind: TicketKindSchema,
  category: z.string(),
  categoryName: z.string().optional(),
  state: TicketStateSchema,
  stateGroup: z.enum(['open', 'done']),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** The deadline that runs now: accepting while it waits, resolving once accepted. */
  dueAt: z.string(),
  acceptDueAt: z.string(),
  resolveDueAt: z.string(),
  overdue: z.boolean(),
  description: z.string(),
  address: z.string().nullable().optional(),
  /** Stored and returned in WGS-84, and says so (docs/maps.md). */
  location: PointViewSchema.nullable().optional(),
  grid: CodeNameSchema.optional(),
  community: CodeNameSchema.optional(),
  street: CodeNameSchema.optional(),
  department: CodeNameSchema.optional(),
  level: RoutingLevelSchema,
  assignee: z.object({ id: z.string(), displayName: z.string(), role: z.enum(ROLES) }).optional(),
  /** The queue the ticket waits in when no one person holds it ("community 140213066001"). */
  queue: z.object({ level: RoutingLevelSchema, code: z.string().nullable(), name: z.string().nullable() }).optional(),
  routing: z.object({ reason: z.string() }),
  anonymous: z.boolean(),
  allowPublication: z.boolean(),
  reporter: z.object({ displayName: z.string() }).optional(),
  details: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  rating: z.object({ score: z.number().int(), comment: z.string().nullable() }).nullable(),
  resolution: z.string().nullable(),
  reopenCount: z.number().int(),
  /** Where it came from (代报, 巡查发现); absent means the resident. */
  source: TicketSourceSchema.optional(),
  /** The phone of the resident a 代报 was filed for: staff in scope only. */
  onBehalf: z.object({ phone: z.string(), name: z.string().nullable() }).optional(),
  /** An emergency category: its clock runs 24×7 instead of working hours. */
  emergency: z.boolean().optional(),
  /** The ticket's extension (延期), if one was asked for. */
  extension: z.object({ state: z.enum(['pending', 'approved', 'denied']), dueAt: z.string(), approverRole: z.enum(ROLES) }).optional(),
  /** 挂起 since this time (state `suspended`); the minutes the clock has stood so far over the ticket's life. */
  suspendedAt: z.string().nullable().optional(),
  suspendedMinutes: z.number().int().optional(),
  /** Departments working beside the assignee (协办). */
  cohandlers: z.array(CodeNameSchema).optional(),
  /** Whether a 回访 is due before the ticket may close (unsatisfied or complex). */
  needsCallback: z.boolean().optional(),
  acceptedAt: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  /** What the caller is allowed to do now: the buttons to show. */
  actions: z.array(TicketEventSchema),
  /** How the caller relates to the ticket. */
  viewer: z.object({ isReporter: z.boolean(), isFollower: z.boolean() }),
  attachments: z.array(TicketAttachmentViewSchema),
  timeline: z.array(TicketEventViewSchema)
})
export type TicketView = z.infer<typeof TicketViewSchema>

/** A list row: the view without timeline and attachments (fetch the ticket for those). */
export const TicketSummaryViewSchema = TicketViewSchema.omit({ timeline: true, attachments: true })
export type TicketSummaryView = z.infer<typeof TicketSummaryViewSchema>

/**
 * Kinds whose very content is private: a follower (or anyone else who is not the reporter or staff in
 * scope) sees nothing of them beyond their state. They are never offered nearby and cannot be followed.
 */
export const PRIVATE_TICKET_KINDS = ['fraud_tip', 'hazard_tip', 'legal_consultation'] as const satisfies readonly z.infer<typeof TicketKindSchema>[]

/** A timeline row of the public view: what happened and who (by role only); notes only for staff replies, masked. */
export const TicketPublicEventViewSchema = z.strictObject({
  at: z.string(),
  event: TimelineEventSchema,
  fromState: TicketStateSchema.nullable(),
  toState: TicketStateSchema,
  actor: z.strictObject({ role: z.enum([...ROLES, 'system']) }),
  /** The text of a staff reply or resolution, masked as the public board masks it; null otherwise. */
  note: z.string().nullable()
})
export type TicketPublicEventView = z.infer<typeof TicketPublicEventViewSchema>

/**
 * What someone who is not the reporter and not staff in scope (a follower) sees of a ticket: no more
 * than the public board would show. `description` is the report masked (names 张*, phones, ID and door
 * numbers, the address cut to the community) and only when the reporter allowed publication; the
 * place is the community, never the point or the address; no photos, no details, no reporter, no
 * rating comment. Private kinds (PRIVATE_TICKET_KINDS) and anonymous tips show their state only.
 * `visibility: "public"` tells it apart from the full TicketView. See docs/privacy-of-tickets.md.
 */
export const TicketPublicSummaryViewSchema = z.strictObject({
  visibility: z.literal('public'),
  id: z.string(),
  number: z.string(),
  kind: TicketKindSchema,
  category: z.string(),
  categoryName: z.string().optional(),
  state: TicketStateSchema,
  stateGroup: z.enum(['open', 'done']),
  createdAt: z.string(),
  updatedAt: z.string(),
  dueAt: z.string(),
  overdue: z.boolean(),
  description: z.string().nullable(),
  community: CodeNameSchema.optional(),
  street: CodeNameSchema.optional(),
  rating: z.strictObject({ score: z.number().int() }).nullable(),
  resolvedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  actions: z.array(TicketEventSchema),
  viewer: z.object({ isReporter: z.boolean(), isFollower: z.boolean() })
})
export type TicketPublicSummaryView = z.infer<typeof TicketPublicSummaryViewSchema>

/** The public view of one ticket: the summary plus its timeline as above (`GET /api/tickets/:id` for a follower). */
export const TicketPublicViewSchema = TicketPublicSummaryViewSchema.extend({ timeline: z.array(TicketPublicEventViewSchema) })
export type TicketPublicView = z.infer<typeof TicketPublicViewSchema>

/** What `GET /api/tickets/:id` (and follow, transitions) answer: the full view, or the public one for a non-owner. */
export const TicketDetailViewSchema = z.union([TicketViewSchema, TicketPublicViewSchema])
export type TicketDetailView = z.infer<typeof TicketDetailViewSchema>

/** A row of `GET /api/tickets`: the full summary, or the public one for a followed ticket. */
export const TicketListItemSchema = z.union([TicketSummaryViewSchema, TicketPublicSummaryViewSchema])
export type TicketListItem = z.infer<typeof TicketListItemSchema>

export const TicketPageSchema = z.object({ items: z.array(TicketSummaryViewSchema), nextCursor: z.string().nullable().optional() })

/**
 * `GET /api/tickets` as a citizen may receive it: their own tickets in full, followed ones public.
 * Staff lists (inboxes) only ever hold full rows, so they keep TicketPageSchema.
 */
export const TicketListPageSchema = z.object({ items: z.array(TicketListItemSchema), nextCursor: z.string().nullable().optional() })
export type TicketListPage = z.infer<typeof TicketListPageSchema>
export type TicketPage = z.infer<typeof TicketPageSchema>

/**
 * A nearby open ticket as any resident may see it before filing: no reporter, no address, and a
 * summary of the text only when the reporter allowed publication.
 */
export const NearbyTicketViewSchema = z.strictObject({
  id: z.string(),
  number: z.string(),
  category: z.string(),
  state: TicketStateSchema,
  createdAt: z.string(),
  distance: z.number(),
  community: CodeNameSchema.optional(),
  summary: z.string().optional(),
  followers: z.number().int(),
  following: z.boolean()
})
export type NearbyTicketView = z.infer<typeof NearbyTicketViewSchema>
export const NearbyTicketsViewSchema = z.object({ items: z.array(NearbyTicketViewSchema) })

/** `POST /api/uploads` → 201. */
export const UploadViewSchema = z.strictObject({
  id: z.string(),
  mime: z.enum(['image/jpeg', 'image/webp']),
  bytes: z.number().int(),
  width: z.number().int(),
  height: z.number().int(),
  /** A signed URL for the uploader's own preview. */
  url: z.string()
})
export type UploadView = z.infer<typeof UploadViewSchema>

/** Codes a client may show next to the field it concerns. */
export const TICKET_RULE_CODES = [
  'reason_required',
  'reply_required',
  'rating_required',
  'already_rated',
  'reopen_window_closed',
  'extension_already_requested',
  'extension_too_late',
  'extension_due_invalid',
  'extension_not_pending',
  'wrong_approval_level',
  'press_too_early',
  'press_limit_reached',
  'callback_required'
] as const
