import { randomUUID } from 'node:crypto'
import { STATE_GROUP, isStaffRole, type TicketState, type TimelineEvent } from '@palm/shared'
import type { EntityManager } from 'typeorm'
import type { AppDeps } from '../../deps'
import { Ticket, TicketEventRow, TicketFollower } from './ticket.entity'
import { ANONYMOUS_REPORTER_NAME, isSystemActor, type TicketActor } from './ticket-actor'
import type { TicketRelation } from './tickets.policy'
import { insertRows, type PendingWrites } from '../../db/write-batch'

/**
 * Called inside the transaction, after each event row is written, with the ticket as it is after the
 * event. Other modules listen this way (notifications write their outbox rows, so a message exists
 * exactly when the change does); the list is made once, in modules/index.ts, and registered at
 * start-up (createApp). A hook that throws rolls the whole change back.
 *
 * When `writes` is given, a new ticket is being filed (its submit and assign events): the ticket and
 * its events are not written yet but queued in `writes`, to be written in one transaction with
 * whatever the hooks queue there. A hook then queues its rows (`writes.insert`) instead of writing
 * them, and must not expect to read the queued rows back. Reading other tables is fine.
 */
export type TicketEventHook = (em: EntityManager, deps: AppDeps, ticket: Ticket, event: TicketEventRow, writes?: PendingWrites) => Promise<void>

let hooks: readonly TicketEventHook[] = []

/**
 * Sets the hooks every ticket event runs, in order, replacing any set before (so building several
 * apps in one process registers the same list, not copies). Called at start-up only.
 */
export function registerTicketEventHooks(list: readonly TicketEventHook[]): void {
  hooks = Object.freeze([...list])
}

/** The hooks registered at start-up (a test adds one for a while and puts the list back). */
export function registeredTicketEventHooks(): readonly TicketEventHook[] {
  return hooks
}

/** The row for one event; the actor's name is frozen at the time, and the reporter of an anonymous tip is never named. */
export function buildEventRow(
  ticket: Ticket,
  actor: TicketActor,
  e: { seq: number; event: TimelineEvent; from: TicketState | null; to: TicketState; note?: string | null; data?: Record<string, unknown>; at: Date }
): TicketEventRow {
  const hideName = ticket.anonymous && !isSystemActor(actor) && actor.id === ticket.reporterId
  return Object.assign(new TicketEventRow(), {
    id: randomUUID(),
    ticketId: ticket.id,
    seq: e.seq,
    event: e.event,
    fromState: e.from,
    toState: e.to,
    actorId: actor.id,
    actorRole: actor.role,
    actorName: hideName ? ANONYMOUS_REPORTER_NAME : actor.displayName.slice(0, 64),
    note: e.note?.trim() ? e.note.trim() : null,
    data: e.data && Object.keys(e.data).length > 0 ? JSON.stringify(e.data) : null,
    createdAt: e.at
  })
}

/** Writes event rows in one statement, then runs every hook for each, in order. */
export async function appendEvents(em: EntityManager, deps: AppDeps, ticket: Ticket, rows: TicketEventRow[]): Promise<void> {
  if (rows.length === 0) return
  await insertRows(em, TicketEventRow, rows)
  for (const row of rows) {
    for (const hook of hooks) await hook(em, deps, ticket, row)
  }
}

/** As appendEvents for a ticket being filed: the rows, and whatever the hooks add, are queued in `writes`. */
export async function queueEvents(em: EntityManager, deps: AppDeps, ticket: Ticket, rows: TicketEventRow[], writes: PendingWrites): Promise<void> {
  writes.insert(TicketEventRow, rows)
  for (const row of rows) {
    for (const hook of hooks) await hook(em, deps, ticket, row, writes)
  }
}

/**
 * The deadline that runs now: accepting while the ticket waits for its first acceptance, resolving
 * once someone has accepted it (a transfer after that does not give back the accept time); frozen
 * once the ticket is done.
 */
export function currentDueAt(t: Pick<Ticket, 'state' | 'acceptedAt' | 'acceptDueAt' | 'resolveDueAt' | 'dueAt'>): Date {
  const state = t.state as TicketState
  if (STATE_GROUP[state] === 'done') return t.dueAt
  return t.acceptedAt ? t.resolveDueAt : t.acceptDueAt
}

/** Reporter / follower of the ticket, for the caller (staff are neither as far as policy is concerned). */
export async function loadRelation(em: EntityManager, actor: TicketActor, ticket: Ticket): Promise<TicketRelation> {
  if (isSystemActor(actor)) return { isReporter: false, isFollower: false }
  const isReporter = ticket.reporterId === actor.id
  if (isStaffRole(actor.role) && !isReporter) return { isReporter, isFollower: false }
  const isFollower = (await em.getRepository(TicketFollower).countBy({ ticketId: ticket.id, userId: actor.id })) > 0
  return { isReporter, isFollower }
}
