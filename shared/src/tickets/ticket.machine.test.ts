import { describe, expect, it } from 'vitest'
import {
  EVENT_ROLES,
  STATE_GROUP,
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
state        assign   accept   start        reply        resolve  return   transfer escalate reject   cancel    rate    reopen   urge         close
submitted    assigned -        -            -            -        -        assigned -        rejected cancelled -       -        submitted    -
assigned     -        accepted -            -            -        returned assigned assigned rejected cancelled -       -        assigned     -
accepted     -        -        in_progress  accepted     resolved -        assigned assigned -        -         -       -        accepted     -
in_progress  -        -        -            in_progress  resolved -        assigned assigned -        -         -       -        in_progress  -
resolved     -        -        -            -            -        -        -        -        -        -         closed  assigned -            closed
closed       -        -        -            -            -        -        -        -        -        -         -       assigned -            -
returned     -        accepted -            -            -        returned assigned assigned rejected cancelled -       -        returned     -
rejected     -        -        -            -            -        -        -        -        -        -         -       -        -            -
cancelled    -        -        -            -            -        -        -        -        -        -         -       -        -            -
`

/* Rows are events, columns roles; "x" when the role may ever fire the event. */
const EXPECTED_ROLES = `
event     resident volunteer grid_worker community_staff street_admin district_admin department_staff system
assign    .        .         .           .               .            .              .                x
accept    .        .         x           x               .            .              x                .
start     .        .         x           x               .            .              x                .
reply     .        .         x           x               .            .              x                .
resolve   .        .         x           x               .            .              x                .
return    .        .         x           x               .            .              x                .
transfer  .        .         x           x               x            x              x                .
escalate  .        .         x           x               x            x              x                x
reject    .        .         .           x               x            x              .                .
cancel    x        x         .           .               .            .              .                .
rate      x        x         .           .               .            .              .                .
reopen    x        x         .           .               .            .              .                .
urge      .        .         .           x               x            x              .                .
close     .        .         .           .               .            x              .                x
`

function parseTable(text: string): { header: string[]; rows: Map<string, string[]> } {
  const lines = text.trim().split('\n').map((l) => l.trim().split(/\s+/))
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

const triples = TICKET_STATES.flatMap((state) =>
  TICKET_EVENTS.flatMap((event) => TICKET_ACTOR_ROLES.map((role) => ({ state, event, role: role as TicketActorRole })))
)

describe('every (state, event, role)', () => {
  it('covers 9 states × 14 events × 8 roles', () => {
    expect(triples).toHaveLength(9 * 14 * 8)
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
  it('keeps the state on reply and urge', () => {
    for (const state of TICKET_STATES) {
      for (const event of ['reply', 'urge'] as const) {
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
    expect(TICKET_STATES.filter((s) => STATE_GROUP[s] === 'open')).toEqual(['submitted', 'assigned', 'accepted', 'in_progress', 'returned'])
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

  it.each(['return', 'reject', 'reopen'] as const)('refuses %s without a reason', (event) => {
    const resolvedAt = new Date(now.getTime() - day)
    expect(checkTransitionRules({ ...base, event, resolvedAt })).toEqual({ code: 'reason_required', field: 'note' })
    expect(checkTransitionRules({ ...base, event, resolvedAt, note: '   ' })).toEqual({ code: 'reason_required', field: 'note' })
    expect(checkTransitionRules({ ...base, event, resolvedAt, note: '不属于本网格' })).toBeNull()
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
    for (const event of ['assign', 'accept', 'start', 'reply', 'transfer', 'escalate', 'cancel', 'urge', 'close'] as const) {
      expect(checkTransitionRules({ ...base, event })).toBeNull()
    }
  })
})
