import {
  PRIVATE_TICKET_KINDS,
  STATE_GROUP,
  type Role,
  type TicketKind,
  type TicketPublicEventView,
  type TicketPublicSummaryView,
  type TicketPublicView,
  type TicketState,
  type TimelineEvent
} from '@palm/shared'
import { In, type EntityManager } from 'typeorm'
import { User } from '../auth/user.entity'
import { maskPublicText, type MaskContext } from '../masking/index'
import type { Ticket, TicketEventRow } from './ticket.entity'
import type { TicketRelation } from './tickets.policy'

/**
 * The public view of a ticket (docs/privacy-of-tickets.md): what a follower — anyone who reaches a
 * ticket without being its reporter or staff in scope — may see. It is built from what the public
 * board would show, never by deleting fields from the full view, so a field added to TicketView
 * later does not leak here by default.
 */

/** Staff events whose note is a reply meant for residents (and, masked, for the public board). */
const REPLY_EVENTS: readonly TimelineEvent[] = ['reply', 'resolve']

/** Names and places the public view needs besides the tickets themselves. */
export interface PublicLookups {
  communities: Map<string, string>
  streets: Map<string, string>
  categories: Map<string, string>
  /** Reporters' display names: only to mask them in text, never shown. */
  reporterNames: Map<string, string>
}

/** The reporters' names of these tickets, for masking (one query). */
export async function loadReporterNames(em: EntityManager, tickets: Ticket[]): Promise<Map<string, string>> {
  const ids = [...new Set(tickets.map((t) => t.reporterId))]
  if (ids.length === 0) return new Map()
  const rows = await em.getRepository(User).find({ where: { id: In(ids) }, select: { id: true, displayName: true } })
  return new Map(rows.map((u) => [u.id, u.displayName]))
}

/** Private kinds and anonymous tips show their state and nothing of their content. */
export function isContentPrivate(t: Ticket): boolean {
  return Boolean(t.anonymous) || (PRIVATE_TICKET_KINDS as readonly string[]).includes(t.kind)
}

function maskContext(t: Ticket, l: PublicLookups): MaskContext {
  const name = l.reporterNames.get(t.reporterId)
  const communityName = t.communityCode ? (l.communities.get(t.communityCode) ?? null) : null
  return { names: name ? [name] : [], address: t.address, communityName }
}

function place(code: string | null, names: Map<string, string>): { code: string; name: string } | undefined {
  return code ? { code, name: names.get(code) ?? code } : undefined
}

/**
 * A list row of the public view. The text is the report masked as the board masks it, and only when
 * the reporter allowed publication; the place is the community and street, never the point.
 */
export function summarisePublic(t: Ticket, l: PublicLookups, relation: TicketRelation, actions: TicketPublicSummaryView['actions'], now: Date): TicketPublicSummaryView {
  const state = t.state as TicketState
  const hidden = isContentPrivate(t)
  const community = hidden ? undefined : place(t.communityCode, l.communities)
  const street = hidden ? undefined : place(t.streetCode, l.streets)
  return {
    visibility: 'public',
    id: t.id,
    number: t.number,
    kind: t.kind as TicketKind,
    category: t.category,
    ...(l.categories.has(t.category) ? { categoryName: l.categories.get(t.category) } : {}),
    state,
    stateGroup: STATE_GROUP[state],
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
    dueAt: t.dueAt.toISOString(),
    overdue: STATE_GROUP[state] === 'open' && t.dueAt.getTime() < now.getTime(),
    description: !hidden && t.allowPublication ? maskPublicText(t.description, maskContext(t, l)) : null,
    ...(community ? { community } : {}),
    ...(street ? { street } : {}),
    rating: !hidden && t.rating !== null ? { score: t.rating } : null,
    resolvedAt: t.resolvedAt ? t.resolvedAt.toISOString() : null,
    closedAt: t.closedAt ? t.closedAt.toISOString() : null,
    actions,
    viewer: relation
  }
}

/** A timeline row of the public view: by role only; a staff reply's text masked, every other note withheld. */
function presentPublicEvent(t: Ticket, l: PublicLookups, e: TicketEventRow): TicketPublicEventView {
  const role = e.actorRole as Role | 'system'
  const isStaffReply = role !== 'resident' && role !== 'volunteer' && REPLY_EVENTS.includes(e.event as TimelineEvent)
  const note = !isContentPrivate(t) && isStaffReply && e.note ? maskPublicText(e.note, maskContext(t, l)) : null
  return {
    at: e.createdAt.toISOString(),
    event: e.event as TimelineEvent,
    fromState: (e.fromState as TicketState | null) ?? null,
    toState: e.toState as TicketState,
    actor: { role },
    note
  }
}

/** The public view of one ticket: the public summary and its timeline. No photos, whatever their role. */
export function presentPublicTicket(t: Ticket, l: PublicLookups, relation: TicketRelation, actions: TicketPublicSummaryView['actions'], events: TicketEventRow[], now: Date): TicketPublicView {
  return { ...summarisePublic(t, l, relation, actions, now), timeline: events.map((e) => presentPublicEvent(t, l, e)) }
}
