import { TestingPointRequestDetailsSchema } from '@palm/shared'
import type { Ticket } from '../tickets/index'

/** A ticket of this kind is a resident's request for a new testing point. */
export const REQUEST_KIND = 'testing_point_request'

/** What a request asks for, as the requester wrote it. */
export interface RequestDetails {
  place: string
  reason: string
  peopleServed?: number
}

/** The place and reason of a request; a request filed without details falls back to its address and text. */
export function requestDetails(ticket: Ticket): RequestDetails {
  const parsed = TestingPointRequestDetailsSchema.safeParse(ticket.details ? (JSON.parse(ticket.details) as unknown) : {})
  if (parsed.success) return parsed.data
  return { place: ticket.address ?? '（未填写地点）', reason: ticket.description.slice(0, 500) }
}
