import {
  STATE_GROUP,
  TransitionSchema,
  checkTransitionRules,
  isStaffRole,
  needsCallback,
  roleMayFire,
  stateAfter,
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
import { Ticket, TicketEventRow } from '../ticket.entity'
import { isSystemActor, type TicketActor } from '../ticket-actor'
import { loadHandlingRelation } from '../cohandling.policy'
import { appendEvents, buildEventRow, currentDueAt } from '../ticket-events'
import { canSeeTicket, mayActOn } from '../tickets.policy'
import { acceptTicket } from './accept-ticket'
import { callbackFacts, handlerRoleOf } from './handling-facts'
import { assignTicket } from './assign-ticket'
import { callbackTicket } from './callback-ticket'
import { cohandleReplyTicket, cohandleTicket } from './cohandle-ticket'
import { approveExtension, denyExtension, requestExtension } from './extend-ticket'
import { pressTicket } from './press-ticket'
import { resumeTicket, suspendTicket } from './suspend-ticket'
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
  close: closeTicket,
  extend_request: requestExtension,
  extend_approve: approveExtension,
  extend_deny: denyExtension,
  suspend: suspendTicket,
  resume: resumeTicket,
  cohandle: cohandleTicket,
  cohandle_reply: cohandleReplyTicket,
  callback: callbackTicket,
  press: pressTicket
}

/** Events that may carry photos: a reply, and the resolution. */
const EVENTS_WITH_PHOTOS: readonly TicketEvent[] = ['reply', 'resolve']

const REFUSAL_MESSAGES: Record<TransitionRefusal['code'], string> = {
  reason_required: 'Say why (the note is required for this step).',
  reply_required: 'Reply to the resident before resolving, or send the reply as the note.',
  rating_required: 'Give a score from 1 to 5.',
  already_rated: 'This resolution has already been rated.',
  reopen_window_closed: 'A ticket can be reopened only within 7 days of its resolution.',
  extension_already_requested: 'This ticket has already had its one extension request.',
  extension_too_late: 'The resolve deadline has passed; an extension must be asked for before it.',
  extension_due_invalid: 'The new deadline must be later than the current one, and at most 30 days later.',
  extension_not_pending: 'There is no extension request waiting for a decision.',
  wrong_approval_level: 'Only the level directly above the ticket’s queue decides its extension.',
  press_too_early: 'A ticket can be pressed (催办) only once its time limit has passed.',
  press_limit_reached: 'You have already pressed this ticket today; try again tomorrow.',
  callback_required: 'This ticket needs a callback (回访) before it can be closed.'
}

const EXTENSION_EVENTS: readonly TicketEvent[] = ['extend_request', 'extend_approve', 'extend_deny']

/** The caller's last 催办 of this ticket (only read for a 催办). */
async function lastPressAt(em: EntityManager, ticketId: string, actorId: string): Promise<Date | null> {
  const row = await em.getRepository(TicketEventRow).findOne({ where: { ticketId, event: 'press', actorId }, order: { seq: 'DESC' }, select: { createdAt: true } })
  return row?.createdAt ?? null
}

function refusalError(refusal: TransitionRefusal): AppError {
  const message = REFUSAL_MESSAGES[refusal.code]
  if (refusal.code === 'wrong_approval_level') return new ForbiddenError(message, 'wrong_approval_level')
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
  const relation = await loadHandlingRelation(em, actor, ticket)
  if (!canSeeTicket(actor, ticket, relation)) throw new NotFoundError('There is no such ticket.', 'ticket_not_found')
  const { event } = input
  if (!roleMayFire(actor.role, event)) throw new ForbiddenError(`A ${actor.role} may not ${event} a ticket.`)
  const from = ticket.state as TicketState
  // A rating of a ticket that needs a 回访 (unsatisfied, or complex) leaves it resolved; the callback closes it.
  const to = stateAfter(from, event, { needsCallback: needsCallback(callbackFacts(ticket, input.rating?.score ?? ticket.rating)) })
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
    now,
    dueAt: ticket.dueAt,
    resolveDueAt: ticket.resolveDueAt,
    extensionState: ticket.extensionState,
    extensionDueAt: input.extension ? new Date(input.extension.dueAt) : null,
    actorRole: actor.role,
    level: ticket.level,
    handlerRole: EXTENSION_EVENTS.includes(event) ? await handlerRoleOf(em, ticket) : null,
    lastPressAt: event === 'press' && !isSystemActor(actor) ? await lastPressAt(em, ticket.id, actor.id) : null,
    needsCallback: needsCallback(callbackFacts(ticket))
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
