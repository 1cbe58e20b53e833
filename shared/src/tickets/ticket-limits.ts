/*
 * Zod-free on purpose: the report form shows these limits and choices on its first paint, before any
 * schema is loaded (docs/performance.md "Keeping the first page light"); ticket.schema.ts builds its
 * schemas from them and re-exports them.
 */

/**
 * Every limit of a ticket, once, so the form's maxLength and the server's check never drift
 * (docs/security.md API4-1: description ≤ 2,000 characters keeps it under msgSecCheck's 2,500 cap).
 */
export const TicketLimits = {
  descriptionMax: 2000,
  addressMax: 200,
  noteMax: 1000,
  ratingCommentMax: 500,
  maxPhotos: 3,
  detailsMaxBytes: 2048,
  detailsMaxKeys: 30,
  detailKeyMax: 40,
  /** The radius of "the same problem nearby" (issue 3). */
  nearbyRadiusMetres: 250,
  nearbyMaxItems: 20
} as const

/**
 * Where a ticket comes from: the resident themselves, a grid worker filing for a resident (代报, with
 * the resident's phone so the handler can call back), or a grid worker's own patrol (巡查发现). The
 * figures count the last two apart (docs/handling.md).
 */
export const TICKET_SOURCES = ['resident', 'on_behalf', 'patrol'] as const
export type TicketSource = (typeof TICKET_SOURCES)[number]
/** Roles that may file a ticket for someone else or as a patrol find. */
export const STAFF_FILING_ROLES = ['grid_worker', 'community_staff'] as const
