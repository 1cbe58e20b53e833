import {
  STATE_GROUP,
  TransitionSchema,
  checkTransitionRules,
  isStaffRole,
  nextState,
  roleMayFire,
  type TicketEvent,
  type TicketState,
  type TransitionInput,
  type TransitionRefusal
} from '@palm/shared'
import type { EntityManager } from 'typeorm'
import type { AppDeps } from '../../../deps'
import { AppError, BadRequestError, ConflictError, ForbiddenError, InvalidTransitionError, NotFoundError, ValidationError } from '../../../errors'
import { recordAudit } from '../../audit/index'
import { attachUploads } from '../attachments'
import { Ticket } from '../ticket.entity'
import { isSystemActor, type TicketActor } from '../ticket-actor'
import { appendEvents, buildEventRow, currentDueAt, loadRelation } from '../ticket-events'
import { canSeeTicket, mayActOn } from '../tickets.policy'
import { acceptTicket } from './accept-ticket'
import { assignTicket } from './assign-ticket'
import { cancelTicket } from './cancel-ticket'
import { closeTicket } from './close-ticket'
import { escalateTicket } from './escalate-ticket'
import { rateTicket } from './rate-ticket'
import { rejectTicket } from './reject-ticket'
import { reopenTicket } from './reopen-ticket'
import { replyTicket } from './reply-ticket'
import { resolveTicket } from './resolve-ticket'
import { returnTicket } from './return-ticket'
import { startTicket } from './start-ticket'
import type { TransitionCommand } from './transition-context'
import { transferTicket } from './transfer-ticket'
import { urgeTicket } from './urge-ticket'

const COMMANDS: Record<TicketEvent, TransitionCommand> = {
  assign: assignTicket,
  accept: acceptTicket,
  start: startTicket,
  reply: replyTicket,
  resolve: resolveTicket,
  return: returnTicket,
  transfer: transferTicket,
  escalate: escalateTicket,
  reject: rejectTicket,
  cancel: cancelTicket,
  rate: rateTicket,
  reopen: reopenTicket,
  urge: urgeTicket,
  close: closeTicket
}

/** Events that may carry photos: a reply, and the resolution. */
const EVENTS_WITH_PHOTOS: readonly TicketEvent[] = ['reply', 'resolve']

const REFUSAL_MESSAGES: Record<TransitionRefusal['code'], string> = {
  reason_required: 'Say why (the note is required for this step).',
  reply_required: 'Reply to the resident before resolving, or send the reply as the note.',
  rating_required: 'Give a score from 1 to 5.',
  already_rated: 'This resolution has already been rated.',
  reopen_window_closed: 'A ticket can be reopened only within 7 days of its resolution.'
}

function refusalError(refusal: TransitionRefusal): AppError {
  const message = REFUSAL_MESSAGES[refusal.code]
  if ('field' in refusal) return new BadRequestError(refusal.code, message, [{ path: refusal.field, code: refusal.code, message }])
  return new ConflictError(refusal.code, message)
}

/**
 * Fires one event on a ticket, for a person or the system (the overdue job escalates through here,
 * notifications listen through ticketEventHooks). In the caller's transaction, in this order:
 * not visible → 404; the role may never fire it → 403; not possible from this state → 409
 * invalid_transition {from, event}; visible but not theirs to act on → 403; a rule broken → 400
 * (reason, reply, rating) or 409 (already rated, reopening too late). Then the command computes the
 * change, one conditional UPDATE on (id, state, version) applies it, so of two workers accepting at
 * once exactly one wins and the other gets 409, and one ticket_events row records it.
 * @throws NotFoundError, ForbiddenError, InvalidTransitionError, BadRequestError, ConflictError, ValidationError
 */
export async function transitionTicket(em: EntityManager, deps: AppDeps, actor: TicketActor, ticketId: string, rawInput: TransitionInput): Promise<Ticket> {
  const input = TransitionSchema.parse(rawInput)
  const ticket = await em.getRepository(Ticket).findOneBy({ id: ticketId })
  if (!ticket) throw new NotFoundError('There is no such ticket.', 'ticket_not_found')
  const relation = await loadRelation(em, actor, ticket)
  if (!canSeeTicket(actor, ticket, relation)) throw new NotFoundError('There is no such ticket.', 'ticket_not_found')
  const { event } = input
  if (!roleMayFire(actor.role, event)) throw new ForbiddenError(`A ${actor.role} may not ${event} a ticket.`)
  const from = ticket.state as TicketState
  const to = nextState(from, event)
  if (!to) throw new InvalidTransitionError(from, event)
  if (!mayActOn(actor, ticket, event, relation)) throw new ForbiddenError('This ticket is not yours to act on now.')
  const now = deps.now()
  const refusal = checkTransitionRules({
    event,
    note: input.note,
    hasReply: ticket.lastReplyAt !== null,
    rating: input.rating ?? null,
    alreadyRated: ticket.rating !== null,
    resolvedAt: ticket.resolvedAt,
    now
  })
  if (refusal) throw refusalError(refusal)
  if (input.attachmentIds?.length && (!EVENTS_WITH_PHOTOS.includes(event) || isSystemActor(actor))) {
    throw new ValidationError([{ path: 'attachmentIds', code: 'not_allowed', message: 'Only a reply or a resolution carries photos.' }])
  }

  const outcome = await COMMANDS[event]({ em, deps, actor, ticket, relation, input, event, from, to, now })
  const seq = ticket.version + 1
  const next: Ticket = Object.assign(new Ticket(), ticket, outcome.patch, { state: to, stateGroup: STATE_GROUP[to], version: seq, updatedAt: now })
  next.dueAt = currentDueAt(next)
  const changes: Partial<Ticket> = { ...outcome.patch, state: to, stateGroup: STATE_GROUP[to], version: seq, updatedAt: now, dueAt: next.dueAt }
  const updated = await em
    .createQueryBuilder()
    .update(Ticket)
    .set(changes)
    .where('id = :id AND state = :state AND version = :version', { id: ticket.id, state: from, version: ticket.version })
    .execute()
  if (updated.affected !== 1) {
    throw new ConflictError('conflict', 'Someone else changed this ticket just now; reload it and try again.', { from, event })
  }
  if (!isSystemActor(actor) && input.attachmentIds?.length) {
    await attachUploads(em, { ownerId: actor.id, ticketId: ticket.id, uploadIds: input.attachmentIds, role: 'reply', eventSeq: seq, at: now })
  }
  const note = outcome.note !== undefined ? outcome.note : (input.note ?? null)
  await appendEvents(em, deps, next, [buildEventRow(next, actor, { seq, event, from, to, note, ...(outcome.data ? { data: outcome.data } : {}), at: now })])
  if (!isSystemActor(actor) && isStaffRole(actor.role)) await recordAudit(em, { action: 'ticket.transition', objectType: 'ticket', objectId: ticket.id, detail: { event, from, to }, actor })
  return next
}
