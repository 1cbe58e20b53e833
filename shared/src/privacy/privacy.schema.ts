import { z } from 'zod'

/**
 * Residents' data rights (PIPL arts. 44–47, docs/residents-data.md): consent recorded on the server
 * with the policy version and time, withdrawable; a copy of everything kept about me; account
 * deletion (注销); and the review queue where community staff release or withhold a held board item.
 */

/** Days after closing before a ticket's contact data is anonymised (RETENTION_CLOSED_TICKET_DAYS). */
export const DEFAULT_RETENTION_CLOSED_TICKET_DAYS = 180
/** The shortest retention an operator may configure: a ticket can be reopened and rated for a while after closing. */
export const MIN_RETENTION_CLOSED_TICKET_DAYS = 30
/** What a deleted account is called wherever its name was shown (timelines, lists). */
export const DELETED_ACCOUNT_NAME = '已注销用户'
/** The longest masked text staff may publish when releasing a held board item. */
export const RELEASED_TEXT_MAX_CHARS = 2000

/** `POST /api/me/consent`: the version of the privacy notice the resident agreed to (must be the current one). */
export const GiveConsentSchema = z.strictObject({
  policyVersion: z.string().trim().min(1).max(32),
  /** Where the consent was given ('weapp', 'h5'); recorded with it. */
  client: z.string().trim().min(1).max(16).optional()
})
export type GiveConsentInput = z.infer<typeof GiveConsentSchema>

/** The resident's current consent, or null when none was given or it was withdrawn. */
export const ConsentViewSchema = z.strictObject({
  policyVersion: z.string(),
  at: z.string()
})
export type ConsentView = z.infer<typeof ConsentViewSchema>

/** One entry of the consent history (granted or withdrawn), kept as the consent record. */
export const ConsentRecordViewSchema = z.strictObject({
  action: z.enum(['granted', 'withdrawn']),
  policyVersion: z.string().nullable(),
  client: z.string().nullable(),
  at: z.string()
})
export type ConsentRecordView = z.infer<typeof ConsentRecordViewSchema>

const Row = z.record(z.string(), z.unknown())

/**
 * `GET /api/me/export`: everything kept about the signed-in resident, as JSON. Rows are the stored
 * columns of each table that concern them (times as ISO strings); attachments are listed by id.
 */
export const MyDataExportViewSchema = z.strictObject({
  exportedAt: z.string(),
  policyVersion: z.string(),
  account: z.strictObject({
    id: z.string(),
    role: z.string(),
    displayName: z.string(),
    phone: z.string().nullable(),
    wechatBound: z.boolean(),
    communityCode: z.string().nullable(),
    createdAt: z.string()
  }),
  consent: ConsentViewSchema.nullable(),
  consentHistory: z.array(ConsentRecordViewSchema),
  tickets: z.array(Row),
  follows: z.array(Row),
  supports: z.array(Row),
  bookings: z.array(Row),
  volunteer: Row.nullable(),
  signups: z.array(Row),
  messages: z.array(Row),
  subscriptions: z.array(Row)
})
export type MyDataExportView = z.infer<typeof MyDataExportViewSchema>

/** `DELETE /api/me`: what the deletion did. */
export const AccountDeletionViewSchema = z.strictObject({
  deletedAt: z.string(),
  bookingsCancelled: z.number().int(),
  signupsCancelled: z.number().int(),
  followsRemoved: z.number().int(),
  ticketsAnonymised: z.number().int()
})
export type AccountDeletionView = z.infer<typeof AccountDeletionViewSchema>

/** `GET /api/publication/review?communityCode=`: held board items of the staff member's scope. */
export const ReviewQueueQuerySchema = z.strictObject({
  communityCode: z.string().trim().min(1).max(16).optional()
})
export type ReviewQueueQuery = z.infer<typeof ReviewQueueQuerySchema>

export const HeldPublicationViewSchema = z.strictObject({
  ticketId: z.string(),
  number: z.string(),
  category: z.string(),
  title: z.string(),
  /** The masked text as it would be published. */
  description: z.string(),
  reply: z.string().nullable(),
  community: z.strictObject({ code: z.string(), name: z.string() }).nullable(),
  /** Why it is held: 'pii_unsure' (the masking was not sure), 'review' (WeChat's check), an errcode… */
  reason: z.string().nullable(),
  resolvedAt: z.string()
})
export type HeldPublicationView = z.infer<typeof HeldPublicationViewSchema>

export const ReviewQueueViewSchema = z.strictObject({ items: z.array(HeldPublicationViewSchema) })
export type ReviewQueueView = z.infer<typeof ReviewQueueViewSchema>

/** `POST /api/publication/review/:id/release`: publish, optionally with a text the reviewer masked by hand. */
export const ReleasePublicationSchema = z.strictObject({
  maskedText: z.string().trim().min(1).max(RELEASED_TEXT_MAX_CHARS).optional()
})
export type ReleasePublicationInput = z.infer<typeof ReleasePublicationSchema>

export const ReviewDecisionViewSchema = z.strictObject({
  ticketId: z.string(),
  state: z.enum(['published', 'rejected'])
})
export type ReviewDecisionView = z.infer<typeof ReviewDecisionViewSchema>
