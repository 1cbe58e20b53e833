import { z } from 'zod'

/**
 * The in-app message centre (`/api/messages`) and the WeChat subscribe-message grants behind it.
 * Every event someone should hear of becomes one message here; a WeChat message is sent on top only
 * when the person granted a subscription for its template (one grant, one message).
 */

/** What a message is about; clients may pick an icon by it. */
export const MESSAGE_KINDS = ['ticket_update', 'ticket_assigned', 'ticket_overdue', 'ticket_urged', 'booking_reminder', 'activity_promoted', 'service_notice', 'hotspot_alert'] as const
export const MessageKindSchema = z.enum(MESSAGE_KINDS)
export type MessageKind = z.infer<typeof MessageKindSchema>

/**
 * Our names for the WeChat subscribe-message templates. The deployment maps each to the template id
 * it picked in the WeChat admin (WECHAT_TEMPLATE_IDS="ticket_update=ID,…").
 */
export const TEMPLATE_KEYS = ['ticket_update', 'ticket_assigned', 'booking_reminder', 'activity_promoted'] as const
export const TemplateKeySchema = z.enum(TEMPLATE_KEYS)
export type TemplateKey = z.infer<typeof TemplateKeySchema>

export const MessageLimits = {
  titleMax: 64,
  bodyMax: 500,
  /** Ids per `POST /api/messages/read`. */
  markReadMax: 100,
  /** Templates per `POST /api/messages/subscriptions` (requestSubscribeMessage asks for at most 3 at once). */
  grantMax: 10,
  /** Unused grants kept per template; WeChat's own counter is the truth, this only stops runaway clients. */
  grantCap: 50
} as const

export const MessageViewSchema = z.strictObject({
  id: z.string(),
  kind: MessageKindSchema,
  title: z.string(),
  body: z.string(),
  ticketId: z.string().nullable(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
  read: z.boolean()
})
export type MessageView = z.infer<typeof MessageViewSchema>

export const MessagePageSchema = z.strictObject({ items: z.array(MessageViewSchema), nextCursor: z.string().nullable() })
export type MessagePage = z.infer<typeof MessagePageSchema>

export const UnreadCountViewSchema = z.strictObject({ count: z.number().int().min(0) })
export type UnreadCountView = z.infer<typeof UnreadCountViewSchema>

/**
 * `POST /api/messages/read`: the ids to mark read, or `all: true`. Ids that are not the caller's
 * own (or do not exist) are ignored, so the answer never tells whether someone else's message exists.
 */
export const MarkMessagesReadSchema = z
  .strictObject({
    ids: z.array(z.uuid()).min(1).max(MessageLimits.markReadMax).optional(),
    all: z.literal(true).optional()
  })
  .refine((v) => (v.ids !== undefined) !== (v.all !== undefined), { message: 'send either ids or all: true', path: ['ids'] })
export type MarkMessagesReadInput = z.infer<typeof MarkMessagesReadSchema>

/** How many of the caller's messages changed from unread to read. */
export const MarkMessagesReadResultSchema = z.strictObject({ updated: z.number().int().min(0) })
export type MarkMessagesReadResult = z.infer<typeof MarkMessagesReadResultSchema>

const TemplateIdSchema = z.string().trim().min(1).max(128)

/**
 * `POST /api/messages/subscriptions`: the templates the person just accepted in
 * `Taro.requestSubscribeMessage`, by our key or by WeChat's template id (the mini-program gets the
 * ids back from WeChat). Each counts as one grant: one message may be sent with it.
 */
export const RecordSubscriptionsSchema = z
  .strictObject({
    templateKeys: z.array(TemplateKeySchema).min(1).max(MessageLimits.grantMax).optional(),
    templateIds: z.array(TemplateIdSchema).min(1).max(MessageLimits.grantMax).optional()
  })
  .refine((v) => v.templateKeys !== undefined || v.templateIds !== undefined, { message: 'send templateKeys or templateIds', path: ['templateKeys'] })
export type RecordSubscriptionsInput = z.infer<typeof RecordSubscriptionsSchema>

export const SubscriptionGrantViewSchema = z.strictObject({ templateKey: TemplateKeySchema, templateId: z.string(), remaining: z.number().int().min(0) })
export type SubscriptionGrantView = z.infer<typeof SubscriptionGrantViewSchema>

/** The caller's grants per configured template (templates with none show 0), so a client knows what to ask for. */
export const SubscriptionsViewSchema = z.strictObject({ grants: z.array(SubscriptionGrantViewSchema) })
export type SubscriptionsView = z.infer<typeof SubscriptionsViewSchema>
