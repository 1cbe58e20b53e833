import { z } from 'zod'
import { TicketLimits } from '../tickets/ticket.schema'

/**
 * Limits of the Open311 GeoReport v2 endpoints (docs/open311.md). The spec allows a description of
 * 4,000 characters; a ticket holds at most TicketLimits.descriptionMax (WeChat's content check caps
 * the text), so a longer one is refused with the error array rather than cut.
 */
export const Open311Limits = {
  specDescriptionMax: 4000,
  descriptionMax: TicketLimits.descriptionMax,
  /** The spec: a start_date/end_date search may not span more than 90 days; no dates = the last 90 days. */
  windowDays: 90,
  /** The most requests one GET requests answer holds (the spec lets the server choose). */
  listMax: 1000,
  /** Requests one API key may make per window (every Open311 call that carries the key). */
  keyRequestsPerWindow: 60,
  keyWindowSeconds: 60,
  keyNameMax: 48,
  /** The most ids in one service_request_id list. */
  idsMax: 50
} as const

/** The jurisdiction and its time zone: every Open311 datetime leaves with +08:00. */
export const OPEN311_JURISDICTION_ID = 'pingcheng.datong.cn'
export const OPEN311_CHANNEL = 'open311'

/** `POST /api/admin/open311/keys`: a name the district admin recognises (who holds the key). */
export const CreateOpen311KeySchema = z.strictObject({
  name: z.string().trim().min(1).max(Open311Limits.keyNameMax)
})
export type CreateOpen311KeyInput = z.infer<typeof CreateOpen311KeySchema>

/** A key as the admin list shows it: never the key itself, only its first characters. */
export const Open311KeyViewSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  /** The first characters of the key, so a holder can tell which key is theirs. */
  prefix: z.string(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  requestCount: z.number().int(),
  ticketCount: z.number().int()
})
export type Open311KeyView = z.infer<typeof Open311KeyViewSchema>

export const Open311KeyListSchema = z.strictObject({ items: z.array(Open311KeyViewSchema) })
export type Open311KeyList = z.infer<typeof Open311KeyListSchema>

/** The answer to creating a key: the only time the key is shown. */
export const Open311KeyCreatedViewSchema = z.strictObject({ key: z.string(), item: Open311KeyViewSchema })
export type Open311KeyCreatedView = z.infer<typeof Open311KeyCreatedViewSchema>

/** The response formats of every Open311 route (`.json` / `.xml`). */
export const Open311FormatSchema = z.enum(['json', 'xml'])
export type Open311Format = z.infer<typeof Open311FormatSchema>

/** An Open311 error as the spec defines it; the body is always an array of them. */
export const Open311ErrorSchema = z.object({ code: z.number().int(), description: z.string() })
export type Open311Error = z.infer<typeof Open311ErrorSchema>

/** One service of `GET services` (GeoReport v2 "GET Service List"). */
export const Open311ServiceSchema = z.object({
  service_code: z.string(),
  service_name: z.string(),
  description: z.string(),
  metadata: z.boolean(),
  type: z.enum(['realtime', 'batch', 'blackbox']),
  keywords: z.string(),
  group: z.string()
})
export type Open311Service = z.infer<typeof Open311ServiceSchema>

export const Open311AttributeSchema = z.object({
  variable: z.boolean(),
  code: z.string(),
  datatype: z.enum(['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist']),
  required: z.boolean(),
  datatype_description: z.string(),
  order: z.number().int(),
  description: z.string(),
  values: z.array(z.object({ key: z.string(), name: z.string() })).optional()
})
export type Open311Attribute = z.infer<typeof Open311AttributeSchema>

/** `GET services/{code}` (GeoReport v2 "GET Service Definition"). */
export const Open311ServiceDefinitionSchema = z.object({ service_code: z.string(), attributes: z.array(Open311AttributeSchema) })
export type Open311ServiceDefinition = z.infer<typeof Open311ServiceDefinitionSchema>

/** One row of the `POST requests` answer. */
export const Open311PostedSchema = z.object({ service_request_id: z.string(), service_notice: z.string(), account_id: z.string().nullable() })
export type Open311Posted = z.infer<typeof Open311PostedSchema>

/**
 * One request of `GET requests` / `GET requests/{id}`: what the public board shows, nothing more.
 * Before publication (own key only) description, address and the point are null.
 */
export const Open311RequestViewSchema = z.object({
  service_request_id: z.string(),
  status: z.enum(['open', 'closed']),
  status_notes: z.string().nullable(),
  service_name: z.string(),
  service_code: z.string(),
  description: z.string().nullable(),
  agency_responsible: z.string().nullable(),
  service_notice: z.string().nullable(),
  requested_datetime: z.string(),
  updated_datetime: z.string(),
  expected_datetime: z.string().nullable(),
  address: z.string().nullable(),
  address_id: z.string().nullable(),
  zipcode: z.string().nullable(),
  lat: z.number().nullable(),
  long: z.number().nullable(),
  media_url: z.string().nullable()
})
export type Open311RequestView = z.infer<typeof Open311RequestViewSchema>

const ISO_DATETIME = z.iso.datetime({ offset: true, local: false })

/** `GET requests` query. The spec's names; anything else is ignored as the spec allows extensions. */
export const Open311ListQuerySchema = z.object({
  service_request_id: z
    .string()
    .trim()
    .min(1)
    .transform((s) =>
      s
        .split(',')
        .map((id) => id.trim())
        .filter((id) => id.length > 0)
    )
    .refine((ids) => ids.length > 0 && ids.length <= Open311Limits.idsMax, { message: `1 to ${Open311Limits.idsMax} ids` })
    .optional(),
  service_code: z.string().trim().min(1).max(32).optional(),
  start_date: ISO_DATETIME.optional(),
  end_date: ISO_DATETIME.optional(),
  status: z.enum(['open', 'closed']).optional(),
  jurisdiction_id: z.string().optional(),
  api_key: z.string().optional()
})
export type Open311ListQuery = z.infer<typeof Open311ListQuerySchema>
