import { STATE_GROUP, type TicketState } from '@palm/shared'
import type { EntityManager } from 'typeorm'
import { isSqlite } from '../../db/tx'
import { persistentValue, type PendingWrites } from '../../db/write-batch'
import type { Ticket } from '../tickets/ticket.entity'
import { StatsTicketFacts } from './stats.entity'

/**
 * A ticket's contribution to the figures, and how it reaches the daily rows (docs/dashboards.md
 * "How the figures stay current"). Every ticket event recomputes the ticket's flags from the ticket as
 * it is after the event; the difference to its stored flags is added to its daily row in the same
 * transaction. Misses are sticky: a ticket that once missed a deadline stays counted as missed.
 */

export const FLAG_NAMES = ['received', 'acceptedOnTime', 'acceptMissed', 'resolved', 'openPastResolve', 'overdue', 'rated', 'satisfied'] as const
export type FlagName = (typeof FLAG_NAMES)[number]
export type Flags = Record<FlagName, number>
const FLAG_COLUMNS: Record<FlagName, string> = {
  received: 'received',
  acceptedOnTime: 'accepted_on_time',
  acceptMissed: 'accept_missed',
  resolved: 'resolved',
  openPastResolve: 'open_past_resolve',
  overdue: 'overdue',
  rated: 'rated',
  satisfied: 'satisfied'
}
const KEY_COLUMNS = ['day', 'street_code', 'community_code', 'grid_code', 'category', 'source'] as const
export const TICKET_SOURCES = ['resident', 'on_behalf', 'patrol'] as const

const BEIJING_OFFSET_MS = 8 * 3_600_000
/** The Beijing calendar date of an instant, YYYY-MM-DD. */
export function beijingDay(at: Date): string {
  return new Date(at.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 10)
}

/** resident | on_behalf | patrol; tickets from before the source column are residents' own. */
export function sourceOf(ticket: Ticket): string {
  const source = (ticket as Ticket & { source?: string | null }).source
  return source ?? 'resident'
}

type TicketFields = Pick<
  Ticket,
  'state' | 'createdAt' | 'acceptedAt' | 'acceptDueAt' | 'resolvedAt' | 'resolveDueAt' | 'closedAt' | 'rating' | 'gridCode' | 'communityCode' | 'streetCode' | 'category'
>

export interface ComputedFacts {
  key: { day: string; streetCode: string; communityCode: string; gridCode: string; category: string; source: string }
  flags: Flags
  nextCheckAt: Date | null
}

const ZERO: Flags = { received: 0, acceptedOnTime: 0, acceptMissed: 0, resolved: 0, openPastResolve: 0, overdue: 0, rated: 0, satisfied: 0 }

/**
 * The flags of one ticket at `now` (definitions: docs/dashboards.md "Rates"). `before` carries the
 * sticky misses. A cancelled (withdrawn) ticket counts nowhere. A suspended (挂起) ticket's clock
 * stands still, so no deadline passes while it waits.
 */
export function computeFacts(ticket: TicketFields & { source?: string | null }, before: Flags | null, now: Date): ComputedFacts {
  const state = ticket.state as TicketState
  const key = {
    day: beijingDay(ticket.createdAt),
    streetCode: ticket.streetCode ?? '',
    communityCode: ticket.communityCode ?? '',
    gridCode: ticket.gridCode ?? '',
    category: ticket.category,
    source: ticket.source ?? 'resident'
  }
  if (state === 'cancelled') return { key, flags: { ...ZERO }, nextCheckAt: null }
  const open = STATE_GROUP[state] === 'open'
  const clockRuns = open && state !== 'suspended'
  const t = now.getTime()
  // A rejection (不予受理) answers the resident too: it is the response when nobody accepted.
  const respondedAt = ticket.acceptedAt ?? (state === 'rejected' ? ticket.closedAt : null)
  const acceptMissed = (before?.acceptMissed ?? 0) === 1 || (respondedAt ? respondedAt.getTime() > ticket.acceptDueAt.getTime() : clockRuns && t >= ticket.acceptDueAt.getTime())
  const openPastResolve = clockRuns && t >= ticket.resolveDueAt.getTime()
  const resolvedLate = ticket.resolvedAt !== null && ticket.resolvedAt.getTime() > ticket.resolveDueAt.getTime()
  const overdue = (before?.overdue ?? 0) === 1 || acceptMissed || openPastResolve || resolvedLate
  const flags: Flags = {
    received: 1,
    acceptedOnTime: respondedAt && !acceptMissed ? 1 : 0,
    acceptMissed: acceptMissed ? 1 : 0,
    resolved: state === 'resolved' || state === 'closed' ? 1 : 0,
    openPastResolve: openPastResolve ? 1 : 0,
    overdue: overdue ? 1 : 0,
    rated: ticket.rating !== null ? 1 : 0,
    satisfied: ticket.rating !== null && ticket.rating >= 4 ? 1 : 0
  }
  let nextCheckAt: Date | null = null
  if (clockRuns) {
    const candidates: Date[] = []
    if (!respondedAt && !acceptMissed) candidates.push(ticket.acceptDueAt)
    if (!openPastResolve) candidates.push(ticket.resolveDueAt)
    for (const c of candidates) if (!nextCheckAt || c.getTime() < nextCheckAt.getTime()) nextCheckAt = c
  }
  return { key, flags, nextCheckAt }
}

const sameKey = (a: ComputedFacts['key'], b: ComputedFacts['key']) =>
  a.day === b.day && a.streetCode === b.streetCode && a.communityCode === b.communityCode && a.gridCode === b.gridCode && a.category === b.category && a.source === b.source

export function flagsOf(row: StatsTicketFacts): Flags {
  const out = { ...ZERO }
  for (const f of FLAG_NAMES) out[f] = Number(row[f])
  return out
}

function keyOf(row: StatsTicketFacts): ComputedFacts['key'] {
  return { day: row.day, streetCode: row.streetCode, communityCode: row.communityCode, gridCode: row.gridCode, category: row.category, source: row.source }
}

/** Adds `delta` to one daily row, creating it when missing: one statement (an upsert in each database's words). */
export function dailyUpsert(em: EntityManager, key: ComputedFacts['key'], delta: Flags): { sql: string; params: unknown[] } {
  const columns = [...KEY_COLUMNS, ...FLAG_NAMES.map((f) => FLAG_COLUMNS[f])]
  const head = `INSERT INTO stats_daily (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`
  const sets = FLAG_NAMES.map((f) => FLAG_COLUMNS[f])
  const tail = isSqlite(em.connection)
    ? ` ON CONFLICT (${KEY_COLUMNS.join(', ')}) DO UPDATE SET ${sets.map((c) => `${c} = ${c} + excluded.${c}`).join(', ')}`
    : ` ON DUPLICATE KEY UPDATE ${sets.map((c) => `${c} = ${c} + VALUES(${c})`).join(', ')}`
  return { sql: head + tail, params: [key.day, key.streetCode, key.communityCode, key.gridCode, key.category, key.source, ...FLAG_NAMES.map((f) => delta[f])] }
}

/** The rollup rows one daily key feeds (see StatsRollup). */
export function rollupKeys(key: ComputedFacts['key']): Array<[dim: string, scope: string, item: string]> {
  return [
    ['street', '', key.streetCode],
    ['category', '', key.category],
    ['community', key.streetCode, key.communityCode],
    ['street_category', key.streetCode, key.category]
  ]
}

/** Adds `delta` to the four rollup rows of one daily key: one multi-row upsert. */
export function rollupUpsert(em: EntityManager, key: ComputedFacts['key'], delta: Flags): { sql: string; params: unknown[] } {
  const keyColumns = ['dim', 'scope', 'day', 'item', 'source']
  const columns = [...keyColumns, ...FLAG_NAMES.map((f) => FLAG_COLUMNS[f])]
  const tuple = `(${columns.map(() => '?').join(', ')})`
  const rows = rollupKeys(key)
  const head = `INSERT INTO stats_rollup (${columns.join(', ')}) VALUES ${rows.map(() => tuple).join(', ')}`
  const sets = FLAG_NAMES.map((f) => FLAG_COLUMNS[f])
  const tail = isSqlite(em.connection)
    ? ` ON CONFLICT (${keyColumns.join(', ')}) DO UPDATE SET ${sets.map((c) => `${c} = ${c} + excluded.${c}`).join(', ')}`
    : ` ON DUPLICATE KEY UPDATE ${sets.map((c) => `${c} = ${c} + VALUES(${c})`).join(', ')}`
  const params = rows.flatMap(([dim, scope, item]) => [dim, scope, key.day, item, key.source, ...FLAG_NAMES.map((f) => delta[f])])
  return { sql: head + tail, params }
}

function minus(a: Flags, b: Flags): Flags {
  const out = { ...ZERO }
  for (const f of FLAG_NAMES) out[f] = a[f] - b[f]
  return out
}
const isZero = (d: Flags) => FLAG_NAMES.every((f) => d[f] === 0)
const sameFlags = (a: Flags, b: Flags) => isZero(minus(a, b))
const sameTime = (a: Date | null, b: Date | null) => (a?.getTime() ?? null) === (b?.getTime() ?? null)

/** The stored facts of a ticket, locked against the job on MariaDB (SQLite writes are queued one at a time). */
export async function loadFacts(em: EntityManager, ticketId: string): Promise<StatsTicketFacts | null> {
  const lock = isSqlite(em.connection) ? '' : ' FOR UPDATE'
  const rows = (await em.query(`SELECT ticket_id FROM stats_ticket_facts WHERE ticket_id = ?${lock}`, [ticketId])) as unknown[]
  if (rows.length === 0) return null
  return em.getRepository(StatsTicketFacts).findOneBy({ ticketId })
}

function factsRow(ticketId: string, c: ComputedFacts, now: Date): StatsTicketFacts {
  return Object.assign(new StatsTicketFacts(), { ticketId, ...c.key, ...c.flags, nextCheckAt: c.nextCheckAt, updatedAt: now })
}

/**
 * Brings one ticket's facts and daily rows up to date with the ticket as it is now, in the caller's
 * transaction. Returns whether anything changed.
 */
export async function refreshFacts(em: EntityManager, ticket: Ticket, now: Date): Promise<boolean> {
  const stored = await loadFacts(em, ticket.id)
  const next = computeFacts({ ...ticket, source: sourceOf(ticket) }, stored ? flagsOf(stored) : null, now)
  if (!stored) {
    await em.getRepository(StatsTicketFacts).insert(factsRow(ticket.id, next, now))
    if (!isZero(next.flags)) await applyDelta(em, next.key, next.flags)
    return true
  }
  const oldKey = keyOf(stored)
  const oldFlags = flagsOf(stored)
  if (sameKey(oldKey, next.key) && sameFlags(oldFlags, next.flags) && sameTime(stored.nextCheckAt, next.nextCheckAt)) return false
  if (sameKey(oldKey, next.key)) {
    const delta = minus(next.flags, oldFlags)
    if (!isZero(delta)) await applyDelta(em, next.key, delta)
  } else {
    if (!isZero(oldFlags)) await applyDelta(em, oldKey, minus(ZERO, oldFlags))
    if (!isZero(next.flags)) await applyDelta(em, next.key, next.flags)
  }
  await em.getRepository(StatsTicketFacts).update({ ticketId: ticket.id }, { ...next.key, ...next.flags, nextCheckAt: next.nextCheckAt, updatedAt: now })
  return true
}

async function applyDelta(em: EntityManager, key: ComputedFacts['key'], delta: Flags): Promise<void> {
  for (const { sql, params } of [dailyUpsert(em, key, delta), rollupUpsert(em, key, delta)]) await em.query(sql, params)
}

/**
 * As refreshFacts for a ticket being filed (its rows are queued in `writes`, not written yet): the
 * facts row is queued once per ticket and kept up to date in place for the later events of the same
 * filing (submit, then assign); each change queues its daily upsert.
 */
const queuedFacts = new WeakMap<PendingWrites, Map<string, StatsTicketFacts>>()
export function queueFacts(em: EntityManager, writes: PendingWrites, ticket: Ticket, now: Date): void {
  let perBatch = queuedFacts.get(writes)
  if (!perBatch) {
    perBatch = new Map()
    queuedFacts.set(writes, perBatch)
  }
  const queued = perBatch.get(ticket.id)
  const next = computeFacts({ ...ticket, source: sourceOf(ticket) }, queued ? flagsOf(queued) : null, now)
  if (!queued) {
    const row = factsRow(ticket.id, next, now)
    perBatch.set(ticket.id, row)
    writes.insert(StatsTicketFacts, [row])
    if (!isZero(next.flags)) for (const { sql, params } of [dailyUpsert(em, next.key, next.flags), rollupUpsert(em, next.key, next.flags)]) writes.statement(sql, params)
    return
  }
  const oldKey = keyOf(queued)
  const oldFlags = flagsOf(queued)
  const upserts: Array<[ComputedFacts['key'], Flags]> = sameKey(oldKey, next.key)
    ? [[next.key, minus(next.flags, oldFlags)]]
    : [
        [oldKey, minus(ZERO, oldFlags)],
        [next.key, next.flags]
      ]
  for (const [key, delta] of upserts) {
    if (isZero(delta)) continue
    for (const { sql, params } of [dailyUpsert(em, key, delta), rollupUpsert(em, key, delta)]) writes.statement(sql, params)
  }
  Object.assign(queued, next.key, next.flags, { nextCheckAt: next.nextCheckAt, updatedAt: now })
}

/** A stored datetime parameter for hand-written SQL. */
export function storedDate(em: EntityManager, value: Date): unknown {
  return persistentValue(em.connection, StatsTicketFacts, 'updatedAt', value)
}
