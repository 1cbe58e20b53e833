import { z } from 'zod'
import { ROLES, type Role } from '../auth/roles'

/**
 * The life cycle of every ticket (domain.md "The ticket"), as pure data plus a few functions. The
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
 *
 * "Reopened" is an event, not a state: a reopened ticket goes back to `assigned` in the same queue and
 * must be accepted (签收) again, so it shows up as new work; its clock restarts at the reopening
 * (a reopening is a new dispatch). A return or an escalation does not restart the clock.
 */
export const TICKET_STATES = [
  'submitted',
  'assigned',
  'accepted',
  'in_progress',
  'resolved',
  'closed',
  'returned',
  'rejected',
  'cancelled'
] as const
export const TicketStateSchema = z.enum(TICKET_STATES)
export type TicketState = z.infer<typeof TicketStateSchema>

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
  'close'
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
  submitted: { assign: 'assigned', transfer: 'assigned', reject: 'rejected', cancel: 'cancelled', urge: 'submitted' },
  assigned: {
    accept: 'accepted',
    return: 'returned',
    transfer: 'assigned',
    escalate: 'assigned',
    reject: 'rejected',
    cancel: 'cancelled',
    urge: 'assigned'
  },
  accepted: { start: 'in_progress', reply: 'accepted', resolve: 'resolved', transfer: 'assigned', escalate: 'assigned', urge: 'accepted' },
  in_progress: { reply: 'in_progress', resolve: 'resolved', transfer: 'assigned', escalate: 'assigned', urge: 'in_progress' },
  resolved: { rate: 'closed', reopen: 'assigned', close: 'closed' },
  closed: { reopen: 'assigned' },
  returned: {
    accept: 'accepted',
    return: 'returned',
    transfer: 'assigned',
    escalate: 'assigned',
    reject: 'rejected',
    cancel: 'cancelled',
    urge: 'returned'
  },
  rejected: {},
  cancelled: {}
} as const satisfies Record<TicketState, Partial<Record<TicketEvent, TicketState>>>

const CITIZENS = ['resident', 'volunteer'] as const
const HANDLERS = ['grid_worker', 'community_staff', 'department_staff'] as const
const SUPERVISORS = ['community_staff', 'street_admin', 'district_admin'] as const

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
  close: ['district_admin', 'system']
}

export type StateGroup = 'open' | 'done'
/** Filters and badges ask for the group, not a list of names (FixMyStreet's is_open). */
export const STATE_GROUP: Record<TicketState, StateGroup> = {
  submitted: 'open',
  assigned: 'open',
  accepted: 'open',
  in_progress: 'open',
  returned: 'open',
  resolved: 'done',
  closed: 'done',
  rejected: 'done',
  cancelled: 'done'
}

export function statesInGroup(group: StateGroup): TicketState[] {
  return TICKET_STATES.filter((s) => STATE_GROUP[s] === group)
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
export const STATE_KEEPING_EVENTS: readonly TicketEvent[] = ['reply', 'urge']

/** Events that must say why (退单, 不予受理, 重新办理). */
export const EVENTS_NEEDING_REASON: readonly TicketEvent[] = ['return', 'reject', 'reopen']

/**
 * A rating belongs to a resolution: it is given once (a second is refused), and a reopening clears it,
 * so the next resolution can be rated in its turn.
 */
export const TicketRules = {
  /** A reopening is possible this long after the resolution (domain.md "within N days"). */
  reopenWindowDays: 7,
  minRating: 1,
  maxRating: 5
} as const

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
}

export type TransitionRefusal =
  | { code: 'reason_required'; field: 'note' }
  | { code: 'reply_required'; field: 'note' }
  | { code: 'rating_required'; field: 'rating' }
  | { code: 'already_rated' }
  | { code: 'reopen_window_closed' }

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
  return null
}
