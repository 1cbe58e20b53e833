import { randomUUID } from 'node:crypto'
import { CreateTicketSchema, type CreateTicketInput } from '@palm/shared'
import type { EntityManager } from 'typeorm'
import type { AppDeps } from '../../../deps'
import type { Actor } from '../../auth/actor'
import { decideRoute, type RoutingFacts } from '../../routing/index'
import { deadlineAfter } from '../../sla/index'
import { FRESH_HANDLING, filingSource } from './filing-source'
import type { Upload } from '../../uploads/index'
import { prepareAttachments } from '../attachments'
import { isUniqueViolation } from '../../../db/errors'
import { Ticket, TicketAttachment, type TicketEventRow } from '../ticket.entity'
import { SYSTEM_ACTOR } from '../ticket-actor'
import { buildEventRow, queueEvents } from '../ticket-events'
import { generateTicketNumber } from '../ticket-number'
import { PendingWrites } from '../../../db/write-batch'

/** Draws of a fresh ticket number when the unique index says one is taken (30 random bits a day make it rare). */
export const NUMBER_ATTEMPTS = 5

/** A ticket made ready to file: its rows queued in `writes`, and what its view needs without reading anything back. */
export interface PreparedTicket {
  ticket: Ticket
  writes: PendingWrites
  routing: RoutingFacts
  events: TicketEventRow[]
  attachments: TicketAttachment[]
  uploads: Upload[]
}

/**
 * Makes a ticket of any kind ready to file, reading but writing nothing: the routing module decides
 * (point → grid → on-duty worker, category rules, fallbacks), this records the decision with its
 * reason and inputs, starts both clocks at dispatch (working time, Chinese calendar) and queues two
 * events: submit → submitted by the reporter, assign → assigned by the system with the reason, with
 * the notices the event hooks queue for them. The caller writes `writes` in one transaction.
 * `input` is already parsed with CreateTicketSchema.
 * @throws BadRequestError out_of_district, unknown_category; ValidationError (photos, community);
 *   RoutingFailedError 500 routing_failed (logged by routing; nothing is written)
 */
export async function prepareTicket(em: EntityManager, deps: AppDeps, actor: Actor, input: CreateTicketInput): Promise<PreparedTicket> {
  const decision = await decideRoute(em, deps, {
    category: input.category,
    kind: input.kind,
    ...(input.location ? { location: input.location } : {}),
    ...(input.communityCode ? { communityCode: input.communityCode } : {})
  })
  const category = decision.facts.category
  const source = filingSource(actor, input)
  const now = deps.now()
  const acceptDueAt = deadlineAfter(now, category.acceptWithinMinutes, category.emergency)
  const ticket = Object.assign(new Ticket(), {
    id: randomUUID(),
    number: generateTicketNumber(now),
    kind: input.kind,
    category: input.category,
    state: 'assigned',
    stateGroup: 'open',
    description: input.description,
    details: input.details ? JSON.stringify(input.details) : null,
    lat: input.location?.lat ?? null,
    lng: input.location?.lng ?? null,
    address: input.address ? input.address : null,
    level: decision.level,
    gridCode: decision.gridCode,
    communityCode: decision.communityCode,
    streetCode: decision.streetCode,
    departmentCode: decision.departmentCode,
    assigneeId: decision.assigneeId,
    reporterId: actor.id,
    anonymous: input.anonymous,
    allowPublication: input.anonymous ? false : input.allowPublication,
    routingReason: decision.reason,
    routingInputs: JSON.stringify(decision.inputs),
    dispatchedAt: now,
    acceptDueAt,
    resolveDueAt: deadlineAfter(now, category.resolveWithinMinutes, category.emergency),
    dueAt: acceptDueAt,
    acceptedAt: null,
    resolvedAt: null,
    closedAt: null,
    lastReplyAt: null,
    resolution: null,
    rating: null,
    ratingComment: null,
    reopenCount: 0,
    ...source,
    emergency: category.emergency,
    ...FRESH_HANDLING,
    version: 2,
    createdAt: now,
    updatedAt: now
  })
  const photos = await prepareAttachments(em, { ownerId: actor.id, ticketId: ticket.id, uploadIds: input.attachmentIds ?? [], role: 'report', eventSeq: 1, at: now })
  const writes = new PendingWrites()
  // The ticket first: a clash of its number then fails before anything else is written.
  writes.insert(Ticket, [ticket])
  writes.insert(TicketAttachment, photos.rows)
  const events = [
    buildEventRow(ticket, actor, { seq: 1, event: 'submit', from: null, to: 'submitted', ...(source.source !== 'resident' ? { data: { source: source.source } } : {}), at: now }),
    buildEventRow(ticket, SYSTEM_ACTOR, {
      seq: 2,
      event: 'assign',
      from: 'submitted',
      to: 'assigned',
      note: decision.reason,
      data: {
        level: decision.level,
        gridCode: decision.gridCode,
        communityCode: decision.communityCode,
        streetCode: decision.streetCode,
        departmentCode: decision.departmentCode,
        assigneeId: decision.assigneeId,
        inputs: decision.inputs
      },
      at: now
    })
  ]
  await queueEvents(em, deps, ticket, events, writes)
  return { ticket, writes, routing: decision.facts, events, attachments: photos.rows, uploads: photos.uploads }
}

/** True when a write failed because the ticket's random number is taken (draw another one and retry). */
export function isTicketNumberClash(err: unknown): boolean {
  if (!isUniqueViolation(err)) return false
  const message = err instanceof Error ? err.message : ''
  return /UQ_tickets_number|tickets\.number/.test(message)
}

/**
 * Files a ticket of any kind and dispatches it, in the caller's transaction (prepareTicket, then its
 * writes with the caller's EntityManager). The services make their tickets (legal consultations,
 * tips, testing-point requests) through here.
 * @throws as prepareTicket; ValidationError for input CreateTicketSchema refuses
 */
export async function createTicket(em: EntityManager, deps: AppDeps, actor: Actor, rawInput: CreateTicketInput): Promise<Ticket> {
  const input = CreateTicketSchema.parse(rawInput)
  for (let attempt = 1; ; attempt++) {
    const prepared = await prepareTicket(em, deps, actor, input)
    try {
      await prepared.writes.writeWith(em)
      return prepared.ticket
    } catch (err) {
      if (!isTicketNumberClash(err) || attempt >= NUMBER_ATTEMPTS) throw err
    }
  }
}
