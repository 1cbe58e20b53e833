import { z } from 'zod'

/** Every request a resident can make is one ticket of one of these kinds (docs/domain.md "The ticket"). */
export const TICKET_KINDS = ['report', 'testing_point_request', 'legal_consultation', 'fraud_tip', 'hazard_tip'] as const
export const TicketKindSchema = z.enum(TICKET_KINDS)
export type TicketKind = z.infer<typeof TicketKindSchema>

/** Kinds whose reporter may stay anonymous towards staff. */
export const ANONYMOUS_KINDS: readonly TicketKind[] = ['fraud_tip', 'hazard_tip']
