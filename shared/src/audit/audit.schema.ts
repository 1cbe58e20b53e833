import { z } from 'zod'
import { PageLimits } from '../common/pagination'

/**
 * The audit trail (docs/audit.md): one append-only, hash-chained row per staff write, sign-in
 * attempt and view of a resident's personal data. Read, filtered and exported by district admins.
 */
export const AuditLimits = {
  /** Longest action name, e.g. `ticket.transition`. */
  actionLength: 64,
  objectTypeLength: 32,
  objectIdLength: 64,
  /** The JSON detail of one row, serialised; larger details are cut to a marker. */
  detailBytes: 2000,
  /** Rows of one CSV export (newest first); a longer period is exported in parts with from/to. */
  exportRows: 10000,
  /** The exact search of `object`: `type` or `type:id`. */
  objectFilterLength: 100
} as const

/** Every action the trail records; a new kind of event adds its name here first. */
export const AUDIT_ACTIONS = [
  'auth.sign_in',
  'auth.sign_in_failed',
  'auth.wechat_sign_in',
  'ticket.transition',
  'ticket.view_contact',
  'ticket.export',
  'account.create',
  'account.update',
  'account.reset_password',
  'account.reset_totp',
  'account.disable',
  'account.enable',
  'account.password_change',
  'account.wechat_bind',
  'account.wechat_unbind',
  'category.create',
  'category.update',
  'reply_template.create',
  'reply_template.update',
  'reply_template.delete',
  'department.create',
  'department.update',
  'routing_rule.create',
  'routing_rule.update',
  'routing_rule.delete',
  'territory.import',
  'duty.on_duty',
  'duty.roster',
  'duty.leave_add',
  'duty.leave_delete',
  'service.write',
  'service.view_personal',
  'service.export',
  'audit.export',
  'publication.release',
  'publication.withhold',
  'privacy.consent_given',
  'privacy.consent_withdrawn',
  'privacy.export',
  'privacy.account_delete',
  'open311.key_create',
  'open311.key_revoke',
  'open311.key_use',
  'place.create',
  'place.delete',
  'grid_profile.counts',
  'grid_profile.import',
  'grid_profile.entry_add',
  'grid_profile.entry_delete',
  'grid_contact.office',
  'grid_contact.worker_card',
  'stats.weights_update'
] as const
export const AuditActionSchema = z.enum(AUDIT_ACTIONS)
export type AuditAction = z.infer<typeof AuditActionSchema>

const isoDateTime = z.string().datetime({ offset: true })

/** GET /api/admin/audit: filters (all optional, combined with AND) and the keyset cursor. */
export const ListAuditQuerySchema = z.object({
  /** The actor's user id, exactly. */
  actor: z.string().trim().min(1).max(64).optional(),
  action: AuditActionSchema.optional(),
  /** `ticket` or `ticket:<id>`. */
  object: z
    .string()
    .trim()
    .min(1)
    .max(AuditLimits.objectFilterLength)
    .regex(/^[a-z_]+(:.+)?$/, 'object is “type” or “type:id”')
    .optional(),
  from: isoDateTime.optional(),
  to: isoDateTime.optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(PageLimits.maxLimit).default(PageLimits.defaultLimit)
})
export type ListAuditQuery = z.infer<typeof ListAuditQuerySchema>

/** The CSV export takes the same filters, without paging. */
export const ExportAuditQuerySchema = ListAuditQuerySchema.omit({ cursor: true, limit: true })
export type ExportAuditQuery = z.infer<typeof ExportAuditQuerySchema>

/** One row as admins read it. */
export const AuditEventViewSchema = z.object({
  seq: z.number().int(),
  at: z.string(),
  actorId: z.string().nullable(),
  actorRole: z.string().nullable(),
  /** The actor's scope when it acted, e.g. `{"streetCode":"S1"}`. */
  actorScope: z.record(z.string(), z.unknown()).nullable(),
  action: z.string(),
  objectType: z.string(),
  objectId: z.string().nullable(),
  requestId: z.string().nullable(),
  clientAddress: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()).nullable(),
  hash: z.string()
})
export type AuditEventView = z.infer<typeof AuditEventViewSchema>

export const AuditPageSchema = z.object({ items: z.array(AuditEventViewSchema), nextCursor: z.string().nullable() })
export type AuditPage = z.infer<typeof AuditPageSchema>
