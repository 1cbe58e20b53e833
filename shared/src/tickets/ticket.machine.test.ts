import { describe, expect, it } from 'vitest'
import {
  EVENT_ROLES,
  STATE_GROUP,
  STATE_KEEPING_EVENTS,
  approverRoleFor,
  beijingDayStart,
  needsCallback,
  needsNote,
  stateAfter,
  TICKET_ACTOR_ROLES,
  TICKET_EVENTS,
  TICKET_STATES,
  availableEvents,
  checkTransitionRules,
  nextState,
  roleMayFire,
  type TicketActorRole,
  type TicketEvent,
  type TicketState
} from './ticket.machine'

/*
 * The expected machine, written out by hand (FixMyStreet's problem.t style) rather than derived from
 * the code under test. Rows are states, columns events; a cell is the state the event leads to, or
 * "-" when the event is refused from that state.
 */
const EXPECTED_NEXT = `
state        assign   accept   start        reply        resolve  return   transfer escalate reject   cancel    rate    reopen   urge         close  extend_request extend_approve extend_deny  suspend   resume      cohandle     cohandle_reply callback press
submitted    assigned -        -            -            -        -        assigned -        rejected cancelled -       -        submitted    -      -              -              -            -         -           -            -              -        submitted
assigned     -        accepted -            -            -        returned assigned assigned rejected cancelled -       -        assigned     -      -              -              -            -         -           -            -              -        assigned
accepted     -        -        in_progress  accepted     resolved -        assigned assigned -        -         -       -        accepted     -      accepted       accepted       accepted     suspended -           accepted     accepted       -        accepted
in_progress  -        -        -            in_progress  resolved -        assigned assigned -        -         -       -        in_progress  -      in_progress    in_progress    in_progress  suspended -           in_progress  in_progress    -        in_progress
resolved     -        -        -            -            -        -        -        -        -        -         closed  assigned -            closed -              -              -            -         -           -            -              closed   -
closed       -        -        -            -            -        -        -        -        -        -         -       assigned -            -      -              -              -            -         -           -            -              -        -
returned     -        accepted -            -            -        returned assigned assigned rejected cancelled -       -        returned     -      -              -              -            -         -           -            -              -        returned
rejected     -        -        -            -            -        -        -        -        -        -         -       -        -            -      -              -              -            -         -           -            -              -        -
cancelled    -        -        -            -            -        -        -        -        -        -         -       -        -            -      -              -              -            -         -           -            -              -        -
suspended    -        -        -            suspended    -        -        -        -        -        -         -       -        suspended    -      -              suspended      suspended    -         in_progress -            suspended      -        -
`

/* Rows are events, columns roles; "x" when the role may ever fire the event. */
const EXPECTED_ROLES = `
event           resident volunteer grid_worker community_staff street_admin district_admin department_staff system
assign          .        .         .           .               .            .              .                x
accept          .        .         x           x               .            .              x                .
start           .        .         x           x               .            .              x                .
reply           .        .         x           x               .            .              x                .
resolve         .        .         x           x               .            .              x                .
return          .        .         x           x               .            .              x                .
transfer        .        .         x           x               x            x              x                .
escalate        .        .         x           x               x            x              x                x
reject          .        .         .           x               x            x              .                .
cancel          x        x         .           .               .            .              .                .
rate            x        x         .           .               .            .              .                .
reopen          x        x         .           .               .            .              .                .
urge            .        .         .           x               x            x              .                .
close           .        .         .           .               .            x              .                x
extend_request  .        .         x           x               .            .              x                .
extend_approve  .        .         .           x               x            x              .                .
extend_deny     .        .         .           x               x            x              .                .
suspend         .        .         x           x               .            .              x                .
resume          .        .         x           x               .            .              x                x
cohandle        .        .         x           x               x            x              x                .
cohandle_reply  .        .         .           .               .            .              x                .
callback        .        .         .           x               x            x              .                .
press           x        x         .           .               .            .              .                .
`

function parseTable(text: string): { header: string[]; rows: Map<string, string[]> } {
  const lines = text
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
  const [header, ...rest] = lines
  if (!header) throw new Error('empty table')
  return { header: header.slice(1), rows: new Map(rest.map((cells) => [cells[0] ?? '', cells.slice(1)])) }
}

const nextTable = parseTable(EXPECTED_NEXT)
const roleTable = parseTable(EXPECTED_ROLES)

function expectedNext(state: TicketState, event: TicketEvent): TicketState | undefined {
  const cell = nextTable.rows.get(state)?.[nextTable.header.indexOf(event)]
  if (cell === undefined) throw new Error(`no cell for ${state} × ${event}`)
  return cell === '-' ? undefined : (cell as TicketState)
}

function expectedRole(event: TicketEvent, role: TicketActorRole): boolean {
  const cell = roleTable.rows.get(event)?.[roleTable.header.indexOf(role)]
  if (cell === undefined) throw new Error(`no cell for ${event} × ${role}`)
  return cell === 'x'
}

describe('the expected tables cover the whole machine', () => {
  it('lists every state and every event, and nothing else', () => {
    expect([...nextTable.rows.keys()].sort()).toEqual([...TICKET_STATES].sort())
    expect([...nextTable.header].sort()).toEqual([...TICKET_EVENTS].sort())
    expect([...roleTable.rows.keys()].sort()).toEqual([...TICKET_EVENTS].sort())
    expect([...roleTable.header].sort()).toEqual([...TICKET_ACTOR_ROLES].sort())
  })
})

const triples = TICKET_STATES.flatMap((state) => TICKET_EVENTS.flatMap((event) => TICKET_ACTOR_ROLES.map((role) => ({ state, event, role: role as TicketActorRole }))))

describe('every (state, event, role)', () => {
  it('covers 10 states × 23 events × 8 roles', () => {
    expect(triples).toHaveLength(10 * 23 * 8)
  })

  it.each(triples)('$state × $event × $role', ({ state, event, role }) => {
    const to = expectedNext(state, event)
    const allowed = to !== undefined && expectedRole(event, role)
    expect(nextState(state, event)).toBe(to)
    expect(roleMayFire(role, event)).toBe(expectedRole(event, role))
    expect(availableEvents(state, role).includes(event)).toBe(allowed)
  })
})

describe('table properties', () => {
  it('keeps the state on reply, urge and the other state-keeping events', () => {
    for (const state of TICKET_STATES) {
      for (const event of STATE_KEEPING_EVENTS) {
        const to = nextState(state, event)
        if (to !== undefined) expect(to).toBe(state)
      }
    }
  })

  it('lets nothing leave rejected or cancelled', () => {
    for (const role of TICKET_ACTOR_ROLES) {
      expect(availableEvents('rejected', role)).toEqual([])
      expect(availableEvents('cancelled', role)).toEqual([])
    }
  })

  it('groups the states into open and done', () => {
    expect(TICKET_STATES.filter((s) => STATE_GROUP[s] === 'open')).toEqual(['submitted', 'assigned', 'accepted', 'in_progress', 'returned', 'suspended'])
    expect(TICKET_STATES.filter((s) => STATE_GROUP[s] === 'done')).toEqual(['resolved', 'closed', 'rejected', 'cancelled'])
  })

  it('gives every event at least one role', () => {
    for (const event of TICKET_EVENTS) expect(EVENT_ROLES[event].length).toBeGreaterThan(0)
  })
})

describe('rules beyond the table', () => {
  const now = new Date('2026-11-28T04:00:00Z')
  const base = { hasReply: false, alreadyRated: false, now }
  const day = 24 * 60 * 60 * 1000

  it.each(['return', 'reject', 'reopen', 'extend_request', 'extend_deny', 'suspend', 'cohandle_reply', 'callback'] as const)('refuses %s without a reason', (event) => {
    const resolvedAt = new Date(now.getTime() - day)
    expect(checkTransitionRules({ ...base, event, resolvedAt })).toEqual({ code: 'reason_required', field: 'note' })
    expect(checkTransitionRules({ ...base, event, resolvedAt, note: '   ' })).toEqual({ code: 'reason_required', field: 'note' })
    const extension = event === 'extend_request' ? { extensionDueAt: new Date(now.getTime() + 2 * day), resolveDueAt: new Date(now.getTime() + day) } : {}
    const pending = event === 'extend_deny' ? { extensionState: 'pending' } : {}
    expect(checkTransitionRules({ ...base, event, resolvedAt, ...extension, ...pending, note: '不属于本网格' })).toBeNull()
  })

  it('refuses resolve without an earlier reply or a note', () => {
    expect(checkTransitionRules({ ...base, event: 'resolve' })).toEqual({ code: 'reply_required', field: 'note' })
    expect(checkTransitionRules({ ...base, event: 'resolve', hasReply: true })).toBeNull()
    expect(checkTransitionRules({ ...base, event: 'resolve', note: '已清运' })).toBeNull()
  })

  it.each([0, 6, 2.5, undefined])('refuses the rating score %s', (score) => {
    const rating = score === undefined ? null : { score }
    expect(checkTransitionRules({ ...base, event: 'rate', rating })).toEqual({ code: 'rating_required', field: 'rating' })
  })

  it.each([1, 3, 5])('accepts the rating score %s once', (score) => {
    expect(checkTransitionRules({ ...base, event: 'rate', rating: { score } })).toBeNull()
    expect(checkTransitionRules({ ...base, event: 'rate', rating: { score }, alreadyRated: true })).toEqual({ code: 'already_rated' })
  })

  it('allows reopening up to 7 days after the resolution, not after', () => {
    const note = '问题仍未解决'
    expect(checkTransitionRules({ ...base, event: 'reopen', note, resolvedAt: new Date(now.getTime() - 7 * day) })).toBeNull()
    expect(checkTransitionRules({ ...base, event: 'reopen', note, resolvedAt: new Date(now.getTime() - 7 * day - 1) })).toEqual({
      code: 'reopen_window_closed'
    })
    expect(checkTransitionRules({ ...base, event: 'reopen', note, resolvedAt: null })).toEqual({ code: 'reopen_window_closed' })
  })

  it('has no extra rule for the other events', () => {
    for (const event of ['assign', 'accept', 'start', 'reply', 'transfer', 'escalate', 'cancel', 'urge', 'close', 'resume', 'cohandle'] as const) {
      expect(checkTransitionRules({ ...base, event })).toBeNull()
    }
  })
})

describe('12345-grade handling rules', () => {
  const now = new Date('2026-11-28T04:00:00Z') // 12:00 Beijing
  const base = { hasReply: false, alreadyRated: false, now }
  const day = 24 * 60 * 60 * 1000
  const resolveDueAt = new Date(now.getTime() + day)
  const request = { ...base, event: 'extend_request' as const, note: '需等待配件', resolveDueAt }

  it('takes one extension request, before the deadline, to a later deadline within 30 days', () => {
    expect(checkTransitionRules({ ...request, extensionDueAt: new Date(now.getTime() + 3 * day) })).toBeNull()
    expect(checkTransitionRules({ ...request, extensionDueAt: new Date(now.getTime() + 3 * day), extensionState: 'pending' })).toEqual({ code: 'extension_already_requested' })
    expect(checkTransitionRules({ ...request, extensionDueAt: new Date(now.getTime() + 3 * day), extensionState: 'approved' })).toEqual({ code: 'extension_already_requested' })
    expect(checkTransitionRules({ ...request, extensionDueAt: new Date(now.getTime() + 3 * day), resolveDueAt: new Date(now.getTime() - 1) })).toEqual({ code: 'extension_too_late' })
    expect(checkTransitionRules({ ...request, extensionDueAt: resolveDueAt })).toEqual({ code: 'extension_due_invalid', field: 'extension.dueAt' })
    expect(checkTransitionRules({ ...request, extensionDueAt: new Date(resolveDueAt.getTime() + 31 * day) })).toEqual({ code: 'extension_due_invalid', field: 'extension.dueAt' })
  })

  it('lets only the level above the queue decide a pending extension', () => {
    expect(approverRoleFor('grid')).toBe('community_staff')
    expect(approverRoleFor('community')).toBe('street_admin')
    for (const level of ['street', 'department', 'district']) expect(approverRoleFor(level)).toBe('district_admin')
    // Community staff who took a grid ticket themselves are approved from the street, not by themselves.
    expect(approverRoleFor('grid', 'grid_worker')).toBe('community_staff')
    expect(approverRoleFor('grid', 'community_staff')).toBe('street_admin')
    expect(approverRoleFor('grid', 'department_staff')).toBe('district_admin')
    expect(checkTransitionRules({ ...base, event: 'extend_approve', extensionState: 'pending', level: 'grid', handlerRole: 'community_staff', actorRole: 'community_staff', resolveDueAt })).toEqual({
      code: 'wrong_approval_level'
    })
    const approve = { ...base, event: 'extend_approve' as const, extensionState: 'pending', level: 'grid', resolveDueAt }
    expect(checkTransitionRules({ ...approve, actorRole: 'community_staff' })).toBeNull()
    expect(checkTransitionRules({ ...approve, actorRole: 'street_admin' })).toEqual({ code: 'wrong_approval_level' })
    expect(checkTransitionRules({ ...approve, actorRole: 'district_admin' })).toEqual({ code: 'wrong_approval_level' })
    expect(checkTransitionRules({ ...approve, actorRole: 'community_staff', extensionState: 'approved' })).toEqual({ code: 'extension_not_pending' })
    expect(checkTransitionRules({ ...approve, actorRole: 'community_staff', extensionState: null })).toEqual({ code: 'extension_not_pending' })
  })

  it("takes a resident's 催办 only after the limit, once a Beijing day", () => {
    const press = { ...base, event: 'press' as const }
    expect(checkTransitionRules({ ...press, dueAt: new Date(now.getTime() + 1) })).toEqual({ code: 'press_too_early' })
    expect(checkTransitionRules({ ...press, dueAt: new Date(now.getTime() - 1) })).toBeNull()
    // Pressed at 08:00 Beijing the same day → refused; at 23:59 Beijing the day before → allowed.
    expect(checkTransitionRules({ ...press, dueAt: new Date(now.getTime() - day), lastPressAt: new Date('2026-11-28T00:00:00Z') })).toEqual({ code: 'press_limit_reached' })
    expect(checkTransitionRules({ ...press, dueAt: new Date(now.getTime() - day), lastPressAt: new Date('2026-11-27T15:59:00Z') })).toBeNull()
    expect(beijingDayStart(now).toISOString()).toBe('2026-11-27T16:00:00.000Z')
  })

  it('keeps an unsatisfied or complex ticket resolved until its 回访, and refuses closing it before', () => {
    const plain = { rating: 5, extended: false, cohandled: false, calledBack: false }
    expect(needsCallback(plain)).toBe(false)
    expect(needsCallback({ ...plain, rating: 2 })).toBe(true)
    expect(needsCallback({ ...plain, rating: null })).toBe(false)
    expect(needsCallback({ ...plain, extended: true })).toBe(true)
    expect(needsCallback({ ...plain, cohandled: true })).toBe(true)
    expect(needsCallback({ ...plain, rating: 1, calledBack: true })).toBe(false)
    expect(stateAfter('resolved', 'rate', { needsCallback: true })).toBe('resolved')
    expect(stateAfter('resolved', 'rate', { needsCallback: false })).toBe('closed')
    expect(checkTransitionRules({ ...base, event: 'close', needsCallback: true })).toEqual({ code: 'callback_required' })
  })

  it('asks for a note in the staff forms exactly where the rule says so', () => {
    for (const event of ['return', 'reject', 'reopen', 'reply', 'transfer', 'escalate', 'suspend', 'extend_request', 'callback'] as const) expect(needsNote(event)).toBe(true)
    for (const event of ['accept', 'start', 'resolve', 'rate', 'press', 'resume', 'extend_approve', 'cohandle'] as const) expect(needsNote(event)).toBe(false)
  })
})
