import { z } from 'zod'

/**
 * The public board (回复公开, `GET /api/public/tickets`): resolved tickets whose reporter allowed it,
 * after a content check, with personal data masked on the server (name 张*, phone 138****1234, the
 * address cut to the community). Anonymous tips never appear.
 */
export const PUBLICATION_STATES = ['pending', 'published', 'held', 'rejected', 'withdrawn'] as const
export const PublicationStateSchema = z.enum(PUBLICATION_STATES)
export type PublicationState = z.infer<typeof PublicationStateSchema>

export const PublicTicketViewSchema = z.strictObject({
  /** The ticket's id; the ticket itself stays private (GET /api/tickets/:id is 404 for others). */
  id: z.string(),
  number: z.string(),
  category: z.string(),
  categoryName: z.string(),
  title: z.string(),
  /** The report, masked. */
  description: z.string(),
  /** The reply it was resolved with, masked. */
  reply: z.string().nullable(),
  community: z.strictObject({ code: z.string(), name: z.string() }).nullable(),
  reporter: z.strictObject({ displayName: z.string() }),
  createdAt: z.string(),
  resolvedAt: z.string(),
  publishedAt: z.string(),
  rating: z.strictObject({ score: z.number().int() }).nullable()
})
export type PublicTicketView = z.infer<typeof PublicTicketViewSchema>

export const PublicTicketPageSchema = z.strictObject({ items: z.array(PublicTicketViewSchema), nextCursor: z.string().nullable() })
export type PublicTicketPage = z.infer<typeof PublicTicketPageSchema>
