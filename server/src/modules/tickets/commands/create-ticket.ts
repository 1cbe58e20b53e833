import { randomUUID } from 'node:crypto'
import { CreateTicketSchema, type CreateTicketInput } from '@palm/shared'
import type { EntityManager } from 'typeorm'
import type { AppDeps } from '../../../deps'
import { BadRequestError } from '../../../errors'
import type { Actor } from '../../auth/actor'
import { decideRoute } from '../../routing/index'
import { addWorkingTime, getCategory } from '../../sla/index'
import { attachUploads } from '../attachments'
import { isUniqueViolation } from '../db-errors'
import { Ticket } from '../ticket.entity'
import { SYSTEM_ACTOR } from '../ticket-actor'
import { appendEvents, buildEventRow } from '../ticket-events'
import { generateTicketNumber } from '../ticket-number'

const NUMBER_ATTEMPTS = 5

/**
 * Files a ticket of any kind and dispatches it, in the caller's transaction: the routing module decides
 * (point → grid → on-duty worker, category rules, fallbacks), this persists the decision with its
 * reason and inputs, starts both clocks at dispatch (working time, Chinese calendar) and writes two
 * events: submit → submitted by the reporter, assign → assigned by the system with the reason.
 * The services make their tickets (legal consultations, tips, testing-point requests) through here.
 * @throws BadRequestError out_of_district, unknown_category; ValidationError (input, photos, community);
 *   RoutingFailedError 500 routing_failed (logged by routing; the transaction rolls back, nothing is half-made)
 */
export async function createTicket(em: EntityManager, deps: AppDeps, actor: Actor, rawInput: CreateTicketInput): Promise<Ticket> {
  const input = CreateTicketSchema.parse(rawInput)
  const decision = await decideRoute(em, deps, {
    category: input.category,
    kind: input.kind,
    ...(input.location ? { location: input.location } : {}),
    ...(input.communityCode ? { communityCode: input.communityCode } : {})
  })
  const category = await getCategory(em, input.category)
  if (!category) throw new BadRequestError('unknown_category', `“${input.category}” is not a category.`)
  const now = deps.now()
  const acceptDueAt = addWorkingTime(now, category.acceptWithinMinutes)
  const ticket = Object.assign(new Ticket(), {
    id: randomUUID(),
    number: '',
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
    resolveDueAt: addWorkingTime(now, category.resolveWithinMinutes),
    dueAt: acceptDueAt,
    acceptedAt: null,
    resolvedAt: null,
    closedAt: null,
    lastReplyAt: null,
    resolution: null,
    rating: null,
    ratingComment: null,
    reopenCount: 0,
    version: 2,
    createdAt: now,
    updatedAt: now
  })
  await insertWithFreshNumber(em, ticket, now)
  await attachUploads(em, { ownerId: actor.id, ticketId: ticket.id, uploadIds: input.attachmentIds ?? [], role: 'report', eventSeq: 1, at: now })
  await appendEvents(em, deps, ticket, [
    buildEventRow(ticket, actor, { seq: 1, event: 'submit', from: null, to: 'submitted', at: now }),
    buildEventRow(ticket, SYSTEM_ACTOR, {
      seq: 2,
      event: 'assign',
      from: 'submitted',
      to: 'assigned',
      note: decision.reason,
      data: { level: decision.level, gridCode: decision.gridCode, communityCode: decision.communityCode, streetCode: decision.streetCode, departmentCode: decision.departmentCode, assigneeId: decision.assigneeId, inputs: decision.inputs },
      at: now
    })
  ])
  return ticket
}

/** Inserts the ticket under a random number, drawing a new one when the unique index says it is taken. */
async function insertWithFreshNumber(em: EntityManager, ticket: Ticket, now: Date): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    ticket.number = generateTicketNumber(now)
    try {
      await em.getRepository(Ticket).insert(ticket)
      return
    } catch (err) {
      if (!isUniqueViolation(err) || attempt >= NUMBER_ATTEMPTS) throw err
    }
  }
}
