import { z } from 'zod'
import { ROLES, type Role } from '../auth/roles'
import { TICKET_STATES, type TicketState } from './ticket-states'
import { SUPERVISOR_ROLES } from '../auth/supervisors'

export { TICKET_STATES, STATE_GROUP, statesInGroup, type StateGroup, type TicketState } from './ticket-states'
export { SUPERVISOR_ROLES } from '../auth/supervisors'

/**
 * The life cycle of every ticket (docs/domain.md "The ticket"), as pure data plus a few functions. The
 * server enforces it (nextState, checkTransitionRules) and the mini-program draws it (availableEvents
 * decides which buttons show). The server's policy stays authoritative on scope and queues.
 *
 * States:
 * - submitted   saved, not yet dispatched (only while routing runs, or when routing found nowhere to go:
 *               then it waits in the district queue, visible, never dropped)
 * - assigned    dispatched to a queue (a grid worker, a community, a street or district centre, a department)
 * - accepted    签收: a handler has taken it
 * - in_progress the handler is working on it (visit, mediation…)
 * - resolved    办结: answered with a reply; the resident may rate or reopen it
 * - closed      rated, or closed by the system after a while
 * - returned    退单: the handler said "not mine"; it has been re-routed one level up and waits for that
 *               level to accept, transfer, escalate further or reject it
 * - rejected    不予受理, with a reason
 * - cancelled   withdrawn by the reporter before anyone accepted it
 * - suspended   挂起: the handler waits for the resident (a visit date, a document…); the clock stands
 *               still until `resume`, which moves both deadlines on by the time it stood (docs/handling.md)
 *
 * "Reopened" is an event, not a state: a reopened ticket goes back to `assigned` in the same queue and
 * must be accepted (签收) again, so it shows up as new work; its clock restarts at the reopening
 * (a reopening is a new dispatch). A return or an escalation does not restart the clock.
 */
export const TicketStateSchema = z.enum(TICKET_STATES)

/** `submit` only ever starts a timeline; every other event is fired through the transition table. */
export const TICKET_EVENTS = [
  'assign',
  'accept',
  'start',
  'reply',
  'resolve',
  'return',
  'transfer',
  'escalate',
  'reject',
  'cancel',
  'rate',
  'reopen',
  'urge',
  'close',
  // 12345-grade handling (docs/handling.md)
  'extend_request',
  'extend_approve',
  'extend_deny',
  'suspend',
  'resume',
  'cohandle',
  'cohandle_reply',
  'callback',
  'press'
] as const
export const TicketEventSchema = z.enum(TICKET_EVENTS)
export type TicketEvent = z.infer<typeof TicketEventSchema>

/** What a timeline row may record: every event, plus the submission that opens the timeline. */
export const TIMELINE_EVENTS = ['submit', ...TICKET_EVENTS] as const
export const TimelineEventSchema = z.enum(TIMELINE_EVENTS)
export type TimelineEvent = z.infer<typeof TimelineEventSchema>

/** Who may fire events: every role, plus the system itself (routing, the overdue job, auto-closing). */
export const TICKET_ACTOR_ROLES = [...ROLES, 'system'] as const
export type TicketActorRole = Role | 'system'

export const TICKET_TRANSITIONS = {
  submitted: { assign: 'assigned', transfer: 'assigned', reject: 'rejected', cancel: 'cancelled', urge: 'submitted', press: 'submitted' },
  assigned: {
    accept: 'accepted',
    return: 'returned',
    transfer: 'assigned',
    escalate: 'assigned',
    reject: 'rejected',
    cancel: 'cancelled',
    urge: 'assigned',
    press: 'assigned'
  },
  accepted: {
    start: 'in_progress',
    reply: 'accepted',
    resolve: 'resolved',
    transfer: 'assigned',
    escalate: 'assigned',
    urge: 'accepted',
    extend_request: 'accepted',
    extend_approve: 'accepted',
    extend_deny: 'accepted',
    suspend: 'suspended',
    cohandle: 'accepted',
    cohandle_reply: 'accepted',
    press: 'accepted'
  },
  in_progress: {
    reply: 'in_progress',
    resolve: 'resolved',
    transfer: 'assigned',
    escalate: 'assigned',
    urge: 'in_progress',
    extend_request: 'in_progress',
    extend_approve: 'in_progress',
    extend_deny: 'in_progress',
    suspend: 'suspended',
    cohandle: 'in_progress',
    cohandle_reply: 'in_progress',
    press: 'in_progress'
  },
  resolved: { rate: 'closed', reopen: 'assigned', close: 'closed', callback: 'closed' },
  closed: { reopen: 'assigned' },
  returned: {
    accept: 'accepted',
    return: 'returned',
    transfer: 'assigned',
    escalate: 'assigned',
    reject: 'rejected',
    cancel: 'cancelled',
    urge: 'returned',
    press: 'returned'
  },
  rejected: {},
  cancelled: {},
  // While the clock stands, the handler may still talk to the resident, the 协办 department answer and supervisors press.
  suspended: { resume: 'in_progress', reply: 'suspended', urge: 'suspended', cohandle_reply: 'suspended', extend_approve: 'suspended', extend_deny: 'suspended' }
} as const satisfies Record<TicketState, Partial<Record<TicketEvent, TicketState>>>

const CITIZENS = ['resident', 'volunteer'] as const
const HANDLERS = ['grid_worker', 'community_staff', 'department_staff'] as const
const SUPERVISORS = SUPERVISOR_ROLES

/**
 * Which roles may ever fire an event. Residents and volunteers are both citizens (a volunteer files
 * reports like anyone else). Whether this particular citizen may (the reporter, a follower) and whether
 * this particular handler may (the ticket is in their queue) is the server's policy.
 */
export const EVENT_ROLES: Record<TicketEvent, readonly TicketActorRole[]> = {
  assign: ['system'],
  accept: HANDLERS,
  start: HANDLERS,
  reply: HANDLERS,
  resolve: HANDLERS,
  return: HANDLERS,
  transfer: [...HANDLERS, 'street_admin', 'district_admin'],
  escalate: [...HANDLERS, 'street_admin', 'district_admin', 'system'],
  reject: SUPERVISORS,
  cancel: CITIZENS,
  rate: CITIZENS,
  reopen: CITIZENS,
  urge: SUPERVISORS,
  close: ['district_admin', 'system'],
  extend_request: HANDLERS,
  // Which supervisor exactly (the level above the ticket's queue) is approverRoleFor's answer.
  extend_approve: SUPERVISORS,
  extend_deny: SUPERVISORS,
  suspend: HANDLERS,
  resume: [...HANDLERS, 'system'],
  cohandle: [...HANDLERS, 'street_admin', 'district_admin'],
  cohandle_reply: ['department_staff'],
  callback: SUPERVISORS,
  press: CITIZENS
}

/** The state an event leads to from `from`, or undefined when the event is not possible there. */
export function nextState(from: TicketState, event: TicketEvent): TicketState | undefined {
  const row: Partial<Record<TicketEvent, TicketState>> = TICKET_TRANSITIONS[from]
  return row[event]
}

export function roleMayFire(role: TicketActorRole, event: TicketEvent): boolean {
  return EVENT_ROLES[event].includes(role)
}

/** The events `role` may fire from `state`, in table order: the buttons a client shows. */
export function availableEvents(state: TicketState, role: TicketActorRole): TicketEvent[] {
  return TICKET_EVENTS.filter((event) => nextState(state, event) !== undefined && roleMayFire(role, event))
}

/** Events that leave the state as it is: they only add to the timeline. */
export const STATE_KEEPING_EVENTS: readonly TicketEvent[] = ['reply', 'urge', 'extend_request', 'extend_approve', 'extend_deny', 'cohandle', 'cohandle_reply', 'press']

/**
 * Events that must say why (退单, 不予受理, 重新办理, 申请延期, 驳回延期, 挂起) or that are nothing but
 * their text (协办意见, 回访记录). The server refuses them without a note (reason_required).
 */
export const EVENTS_NEEDING_REASON: readonly TicketEvent[] = ['return', 'reject', 'reopen', 'extend_request', 'extend_deny', 'suspend', 'cohandle_reply', 'callback']

/**
 * Events whose form asks for a note before sending, whoever fires them: the server's list above, plus
 * a reply (it is its text), a transfer and an escalation (the receiving level reads why). The staff
 * forms use this one rule (needsNote) rather than a list of their own.
 */
export const EVENTS_ASKING_NOTE: readonly TicketEvent[] = [...EVENTS_NEEDING_REASON, 'reply', 'transfer', 'escalate']

/** Whether the form of `event` must have a note before it is sent (and the message to show when it lacks one). */
export function needsNote(event: TicketEvent): boolean {
  return EVENTS_ASKING_NOTE.includes(event)
}

/**
 * A rating belongs to a resolution: it is given once (a second is refused), and a reopening clears it,
 * so the next resolution can be rated in its turn.
 */
export const TicketRules = {
  /** A reopening is possible this long after the resolution (docs/domain.md "Life cycle"). */
  reopenWindowDays: 7,
  minRating: 1,
  maxRating: 5,
  /** A rating at or below this is "unsatisfied": the ticket waits for a 回访 instead of closing. */
  unsatisfiedAtMost: 2,
  /** An extension moves the resolve deadline by at most this many calendar days. */
  maxExtensionDays: 30,
  /** A resident's 催办: at most this many per ticket per Beijing calendar day. */
  pressesPerDay: 1
} as const

/**
 * Who approves an extension: the level directly above whoever handles it, that is above the queue the
 * ticket waits in or the handler's own level when that is higher (community staff who accepted a grid
 * ticket are approved by the street centre, never by themselves): grid → community staff,
 * community → street centre, street, department or district → district centre.
 */
export function approverRoleFor(level: string, handlerRole?: TicketActorRole | null): Role {
  if (level === 'department' || handlerRole === 'department_staff') return 'district_admin'
  const levelRank: Record<string, number> = { grid: 0, community: 1, street: 2, district: 3 }
  const roleRank: Partial<Record<string, number>> = { grid_worker: 0, community_staff: 1, street_admin: 2, district_admin: 3 }
  const rank = Math.max(levelRank[level] ?? 3, handlerRole ? (roleRank[handlerRole] ?? 0) : 0)
  if (rank === 0) return 'community_staff'
  if (rank === 1) return 'street_admin'
  return 'district_admin'
}

/**
 * Facts that decide a 回访: an unsatisfied rating, or a "complex" ticket (extended, or co-handled by
 * another department). A reopened ticket is not complex by itself: its next rating decides.
 */
export interface CallbackFacts {
  rating: number | null
  extended: boolean
  cohandled: boolean
  /** Whether a 回访 has been recorded for the current resolution. */
  calledBack: boolean
}

/** Whether the ticket must have a 回访 before it closes: an unsatisfied rating, or a complex ticket, not yet called back. */
export function needsCallback(f: CallbackFacts): boolean {
  if (f.calledBack) return false
  const unsatisfied = f.rating !== null && f.rating <= TicketRules.unsatisfiedAtMost
  return unsatisfied || f.extended || f.cohandled
}

/**
 * The state an event leads to given what is known of the ticket: the table's answer, except that a
 * rating does not close a ticket that needs a 回访 (it stays resolved until the callback closes it).
 */
export function stateAfter(from: TicketState, event: TicketEvent, facts?: { needsCallback: boolean }): TicketState | undefined {
  const to = nextState(from, event)
  if (event === 'rate' && to === 'closed' && facts?.needsCallback) return 'resolved'
  return to
}

/** The start of the Beijing calendar day that holds `at` (UTC+08:00, no daylight saving). */
export function beijingDayStart(at: Date): Date {
  const offset = 8 * 60 * 60 * 1000
  const day = 24 * 60 * 60 * 1000
  return new Date(Math.floor((at.getTime() + offset) / day) * day - offset)
}

/** What the rules need to know about the ticket and the request, beyond its state. */
export interface TransitionRuleContext {
  event: TicketEvent
  /** The note sent with the event (the reason, or the reply text); blank counts as absent. */
  note?: string | null
  /** Whether a reply has been sent since the ticket was last dispatched. */
  hasReply: boolean
  rating?: { score: number } | null
  /** Whether the ticket already carries a rating for its current resolution. */
  alreadyRated: boolean
  resolvedAt?: Date | null
  now: Date
  /** The deadline that runs now (extension and 催办 look at it). */
  dueAt?: Date
  /** The resolve deadline (an extension moves it). */
  resolveDueAt?: Date
  /** 'pending' | 'approved' | 'denied' | null: the ticket's extension so far (one per ticket). */
  extensionState?: string | null
  /** The deadline an extension asks for (extend_request) or grants (extend_approve, optional there). */
  extensionDueAt?: Date | null
  /** The caller's role, the ticket's queue level and its handler's role, for the approval rule. */
  actorRole?: TicketActorRole
  level?: string
  handlerRole?: TicketActorRole | null
  /** The caller's last 催办 of this ticket, if any. */
  lastPressAt?: Date | null
  /** Whether the ticket needs a 回访 before it may close (needsCallback). */
  needsCallback?: boolean
}

export type TransitionRefusal =
  | { code: 'reason_required'; field: 'note' }
  | { code: 'reply_required'; field: 'note' }
  | { code: 'rating_required'; field: 'rating' }
  | { code: 'already_rated' }
  | { code: 'reopen_window_closed' }
  | { code: 'extension_already_requested' }
  | { code: 'extension_too_late' }
  | { code: 'extension_due_invalid'; field: 'extension.dueAt' }
  | { code: 'extension_not_pending' }
  | { code: 'wrong_approval_level' }
  | { code: 'press_too_early' }
  | { code: 'press_limit_reached' }
  | { code: 'callback_required' }

/**
 * The rules beyond the table: resolve needs a reply (earlier, or the note sent with it), return,
 * reject and reopen need a reason, a rating is 1–5 and given once, a reopening comes within
 * TicketRules.reopenWindowDays of the resolution. Returns the first refusal, or null.
 */
export function checkTransitionRules(ctx: TransitionRuleContext): TransitionRefusal | null {
  const hasNote = typeof ctx.note === 'string' && ctx.note.trim().length > 0
  if (EVENTS_NEEDING_REASON.includes(ctx.event) && !hasNote) return { code: 'reason_required', field: 'note' }
  if (ctx.event === 'resolve' && !ctx.hasReply && !hasNote) return { code: 'reply_required', field: 'note' }
  if (ctx.event === 'rate') {
    if (ctx.alreadyRated) return { code: 'already_rated' }
    const score = ctx.rating?.score
    if (score === undefined || !Number.isInteger(score) || score < TicketRules.minRating || score > TicketRules.maxRating) {
      return { code: 'rating_required', field: 'rating' }
    }
  }
  if (ctx.event === 'reopen') {
    if (!ctx.resolvedAt) return { code: 'reopen_window_closed' }
    const deadline = ctx.resolvedAt.getTime() + TicketRules.reopenWindowDays * 24 * 60 * 60 * 1000
    if (ctx.now.getTime() > deadline) return { code: 'reopen_window_closed' }
  }
  if (ctx.event === 'extend_request') {
    // One extension per ticket: a second request (pending or decided) is refused, as is one after the deadline passed.
    if (ctx.extensionState) return { code: 'extension_already_requested' }
    if (ctx.resolveDueAt && ctx.now.getTime() > ctx.resolveDueAt.getTime()) return { code: 'extension_too_late' }
    if (!extensionDueValid(ctx.extensionDueAt, ctx.resolveDueAt)) return { code: 'extension_due_invalid', field: 'extension.dueAt' }
  }
  if (ctx.event === 'extend_approve' || ctx.event === 'extend_deny') {
    if (ctx.extensionState !== 'pending') return { code: 'extension_not_pending' }
    if (ctx.actorRole !== undefined && ctx.actorRole !== 'system' && ctx.level !== undefined && ctx.actorRole !== approverRoleFor(ctx.level, ctx.handlerRole)) {
      return { code: 'wrong_approval_level' }
    }
    if (ctx.event === 'extend_approve' && ctx.extensionDueAt && !extensionDueValid(ctx.extensionDueAt, ctx.resolveDueAt)) {
      return { code: 'extension_due_invalid', field: 'extension.dueAt' }
    }
  }
  if (ctx.event === 'press') {
    if (ctx.dueAt && ctx.now.getTime() <= ctx.dueAt.getTime()) return { code: 'press_too_early' }
    if (ctx.lastPressAt && ctx.lastPressAt.getTime() >= beijingDayStart(ctx.now).getTime()) return { code: 'press_limit_reached' }
  }
  if (ctx.event === 'close' && ctx.needsCallback) return { code: 'callback_required' }
  return null
}

/** A new resolve deadline is later than the current one, and at most TicketRules.maxExtensionDays later. */
function extensionDueValid(dueAt: Date | null | undefined, resolveDueAt: Date | undefined): boolean {
  if (!dueAt || Number.isNaN(dueAt.getTime())) return false
  if (!resolveDueAt) return true
  const later = dueAt.getTime() - resolveDueAt.getTime()
  return later > 0 && later <= TicketRules.maxExtensionDays * 24 * 60 * 60 * 1000
}
