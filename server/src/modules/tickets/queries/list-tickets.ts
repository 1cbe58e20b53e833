import { decodeCursor, encodeCursor, isStaffRole, TICKET_STATES, type ListTicketsQuery, type TicketState } from '@palm/shared'
import type { EntityManager, SelectQueryBuilder } from 'typeorm'
import type { AppDeps } from '../../../deps'
import { ForbiddenError, ValidationError } from '../../../errors'
import type { Actor } from '../../auth/actor'
import { Ticket } from '../ticket.entity'
import { applyStaffScope } from '../tickets.policy'
import { applyExtensionsToApprove } from './extension-approvals'

export interface TicketListPage {
  items: Ticket[]
  nextCursor: string | null
}

const badCursor = () => new ValidationError([{ path: 'cursor', code: 'invalid_cursor', message: 'Use the nextCursor of the previous page.' }])

function applyFilters(qb: SelectQueryBuilder<Ticket>, query: ListTicketsQuery, defaultState: ListTicketsQuery['state'], now: Date): void {
  const state = query.state ?? defaultState
  if (state === 'open' || state === 'done') qb.andWhere('t.state_group = :group', { group: state })
  else if (state && state !== 'all' && (TICKET_STATES as readonly string[]).includes(state)) qb.andWhere('t.state = :state', { state: state as TicketState })
  if (query.category) qb.andWhere('t.category = :category', { category: query.category })
  if (query.kind) qb.andWhere('t.kind = :kind', { kind: query.kind })
  // A suspended ticket's clock stands: it is not overdue (docs/handling.md).
  if (query.overdue === true) qb.andWhere('t.state_group = :openGroup AND t.due_at < :now AND t.state <> :suspended', { openGroup: 'open', now, suspended: 'suspended' })
  if (query.overdue === false) qb.andWhere('(t.state_group <> :openGroup OR t.due_at >= :now OR t.state = :suspended)', { openGroup: 'open', now, suspended: 'suspended' })
}

/**
 * Keyset pagination on (due_at, id) ascending: the most urgent first, no OFFSET, stable under inserts.
 * The cursor is the last row's key.
 */
async function pageByDueTime(qb: SelectQueryBuilder<Ticket>, query: ListTicketsQuery): Promise<TicketListPage> {
  if (query.cursor) {
    const parts = decodeCursor(query.cursor)
    const [dueMs, id] = parts ?? []
    if (typeof dueMs !== 'number' || typeof id !== 'string') throw badCursor()
    const due = new Date(dueMs)
    qb.andWhere('(t.due_at > :cursorDue OR (t.due_at = :cursorDue AND t.id > :cursorId))', { cursorDue: due, cursorId: id })
  }
  const rows = await qb
    .orderBy('t.due_at', 'ASC')
    .addOrderBy('t.id', 'ASC')
    .limit(query.limit + 1)
    .getMany()
  const items = rows.slice(0, query.limit)
  const last = items[items.length - 1]
  return { items, nextCursor: rows.length > query.limit && last ? encodeCursor([last.dueAt.getTime(), last.id]) : null }
}

/** Keyset pagination on (created_at, id) descending: a resident's newest requests first. */
async function pageByNewest(qb: SelectQueryBuilder<Ticket>, query: ListTicketsQuery): Promise<TicketListPage> {
  if (query.cursor) {
    const [createdMs, id] = decodeCursor(query.cursor) ?? []
    if (typeof createdMs !== 'number' || typeof id !== 'string') throw badCursor()
    const created = new Date(createdMs)
    qb.andWhere('(t.created_at < :cursorCreated OR (t.created_at = :cursorCreated AND t.id < :cursorId))', { cursorCreated: created, cursorId: id })
  }
  const rows = await qb
    .orderBy('t.created_at', 'DESC')
    .addOrderBy('t.id', 'DESC')
    .limit(query.limit + 1)
    .getMany()
  const items = rows.slice(0, query.limit)
  const last = items[items.length - 1]
  return { items, nextCursor: rows.length > query.limit && last ? encodeCursor([last.createdAt.getTime(), last.id]) : null }
}

/**
 * `GET /api/tickets`. Citizens: `mine` = what they reported or follow, newest first (`inbox` is 403).
 * Staff: `inbox` (the default) = everything in their scope, open tickets unless `state` says otherwise,
 * most urgent first; `mine` = what is in their own hands now. The scope filter is the same rule as
 * for reading one ticket, so a list never shows what the detail would deny.
 * @throws ForbiddenError, ValidationError (cursor)
 */
export async function listTickets(em: EntityManager, deps: AppDeps, actor: Actor, query: ListTicketsQuery): Promise<TicketListPage> {
  const staff = isStaffRole(actor.role)
  const view = query.view ?? (staff ? 'inbox' : 'mine')
  const qb = em.getRepository(Ticket).createQueryBuilder('t')
  const now = deps.now()
  if (!staff) {
    if (view === 'inbox') throw new ForbiddenError('Inboxes are for staff.')
    qb.where('(t.reporter_id = :me OR t.id IN (SELECT f.ticket_id FROM ticket_followers f WHERE f.user_id = :me))', { me: actor.id })
    applyFilters(qb, query, 'all', now)
    return pageByNewest(qb, query)
  }
  if (view === 'mine') {
    qb.where('t.assignee_id = :me', { me: actor.id })
    applyStaffScope(qb, actor)
  } else {
    qb.where('1 = 1')
    applyStaffScope(qb, actor)
  }
  applyFilters(qb, query, 'open', now)
  if (query.toApprove === true) applyExtensionsToApprove(qb, actor.role)
  return pageByDueTime(qb, query)
}
