import { STAFF_FILING_ROLES, type CreateTicketInput } from '@palm/shared'
import { ForbiddenError } from '../../../errors'
import type { Actor } from '../../auth/actor'
import type { Ticket } from '../ticket.entity'

/**
 * Where a new ticket comes from (docs/handling.md "代报 and 巡查发现"): a resident's own report, or
 * one a grid worker (or community staff) files for a resident who phoned or stopped them in the street
 * (代报, with that resident's phone), or their own patrol find (巡查发现). Only those roles file for
 * others or as patrol finds; the schema has already required the phone of a 代报.
 * @throws ForbiddenError staff_filing_only
 */
export function filingSource(actor: Actor, input: CreateTicketInput): Pick<Ticket, 'source' | 'contactPhone' | 'contactName'> {
  const source = input.source ?? 'resident'
  if (source === 'resident') return { source, contactPhone: null, contactName: null }
  if (!(STAFF_FILING_ROLES as readonly string[]).includes(actor.role)) {
    throw new ForbiddenError('Only grid workers and community staff file reports for residents or from patrols.', 'staff_filing_only')
  }
  return { source, contactPhone: input.onBehalf?.phone ?? null, contactName: input.onBehalf?.name ?? null }
}

/** The handling columns of a ticket just filed (no extension, suspension, 协办 or 回访 yet); every insert gives them. */
export const FRESH_HANDLING = {
  extensionState: null,
  extensionDueAt: null,
  suspendedAt: null,
  suspendedMinutes: 0,
  cohandled: false,
  callbackAt: null
} as const satisfies Partial<Ticket>
