import { randomBytes, randomUUID } from 'node:crypto'
import {
  HazardTipDetailsSchema,
  chinaClock,
  decodeCursor,
  encodeCursor,
  nextHazardStatus,
  type CreateHazardInput,
  type FromTicketHazardInput,
  type HazardKind,
  type HazardQuery,
  type HazardStatus,
  type HazardTransitionInput
} from '@palm/shared'
import type { EntityManager } from 'typeorm'
import type { AppDeps } from '../../deps'
import { BadRequestError, ConflictError, InvalidTransitionError, NotFoundError } from '../../errors'
import type { Actor } from '../auth/actor'
import { getGridIndex } from '../territory/grid-index-cache'
import { Community, Grid } from '../territory/territory.entity'
import { isUniqueViolation } from '../../db/errors'
import { findServiceTicket } from '../tickets/index'
import { HazardEntry, HazardEntryEvent } from './hazard.entity'
import { applyLedgerScope, assertLedgerReader, assertLedgerWriter, mayEnterTip, mayReadEntry, mayRecordAt } from './hazards.policy'

/** An entry with its history, oldest event first (what the detail view shows). */
export interface HazardWithHistory {
  entry: HazardEntry
  events: HazardEntryEvent[]
}

/** Self-built houses are the housing bureau's as well as the grid's (docs/domain.md "Routing" 2). */
const HOUSING_DEPARTMENT = 'housing_bureau'
const CATEGORY_KIND: Record<string, HazardKind> = { self_built_house: 'self_built_house', fire: 'fire', gas: 'gas', other_hazard: 'other' }
const VERIFIED_TICKET_STATES = new Set(['accepted', 'in_progress', 'resolved', 'closed'])
const EXPORT_MAX_ROWS = 10_000

function ledgerNumber(now: Date): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'
  const suffix = [...randomBytes(6)].map((b) => alphabet[b % alphabet.length]).join('')
  return `YH-${chinaClock(now).dateKey.replace(/-/g, '')}-${suffix}`
}

function eventRow(entry: HazardEntry, seq: number, actor: Actor, event: string, from: string | null, to: string, note: string | null | undefined, at: Date): HazardEntryEvent {
  return Object.assign(new HazardEntryEvent(), {
    id: randomUUID(),
    entryId: entry.id,
    seq,
    event,
    fromStatus: from,
    toStatus: to,
    actorId: actor.id,
    actorRole: actor.role,
    actorName: actor.displayName.slice(0, 64),
    note: note?.trim() ? note.trim() : null,
    at
  })
}

/** Where a new entry lies: a named grid, the grid worker's own grid, the grid under `location`, or a community. */
async function placeEntry(em: EntityManager, deps: AppDeps, actor: Actor, input: CreateHazardInput) {
  let grid: Grid | null = null
  if (input.gridCode) grid = await em.findOneBy(Grid, { code: input.gridCode })
  else if (input.location) {
    const located = (await getGridIndex(deps.ds)).locate(input.location)
    if (located) grid = await em.findOneBy(Grid, { code: located.code })
  } else if (actor.role === 'grid_worker' && actor.scope.gridCode) grid = await em.findOneBy(Grid, { code: actor.scope.gridCode })
  if (grid) return { gridCode: grid.code, communityCode: grid.communityCode, streetCode: grid.streetCode }
  if (input.gridCode) throw new NotFoundError('No such grid in your area.')
  if (input.communityCode) {
    const community = await em.findOneBy(Community, { code: input.communityCode })
    if (!community) throw new NotFoundError('No such community in your area.')
    return { gridCode: null, communityCode: community.code, streetCode: community.streetCode }
  }
  throw new BadRequestError('validation_failed', 'Say where the hazard is: a location, a grid or a community.', [
    { path: 'location', code: 'required', message: 'give a location, gridCode or communityCode' }
  ])
}

async function insertEntry(em: EntityManager, entry: HazardEntry, first: HazardEntryEvent): Promise<void> {
  try {
    await em.insert(HazardEntry, entry)
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError('conflict', 'This tip is already in the ledger.')
    throw err
  }
  await em.insert(HazardEntryEvent, first)
}

/**
 * A grid worker's (or staff member's) own entry from an inspection: status `reported`.
 * @throws ForbiddenError; NotFoundError when the place is outside the actor's scope
 */
export async function createHazard(em: EntityManager, deps: AppDeps, actor: Actor, input: CreateHazardInput): Promise<HazardEntry> {
  assertLedgerWriter(actor)
  const place = await placeEntry(em, deps, actor, input)
  const departmentCode = input.kind === 'self_built_house' ? HOUSING_DEPARTMENT : null
  if (!mayRecordAt(actor, { ...place, departmentCode })) throw new NotFoundError('No such place in your area.')
  const now = deps.now()
  const entry = Object.assign(new HazardEntry(), {
    id: randomUUID(),
    number: ledgerNumber(now),
    ...place,
    departmentCode,
    place: input.place,
    building: input.building ?? null,
    kind: input.kind,
    riskLevel: input.riskLevel,
    description: input.description,
    lat: input.location?.lat ?? null,
    lng: input.location?.lng ?? null,
    status: 'reported',
    appraisal: null,
    appraisalOrg: null,
    rectificationPlan: null,
    rectificationDeadline: null,
    sourceTicketId: null,
    createdBy: actor.id,
    createdAt: now,
    updatedAt: now,
    closedAt: null
  })
  await insertEntry(em, entry, eventRow(entry, 1, actor, 'report', null, 'reported', null, now))
  return entry
}

/**
 * Enters a verified hazard tip in the ledger (status `verified`): the tip must be in the actor's scope
 * and accepted (someone has checked on site). The entry copies the place and kind, never the reporter.
 * @throws NotFoundError; InvalidTransitionError while the tip is not yet accepted; ConflictError when entered twice
 */
export async function createHazardFromTicket(em: EntityManager, deps: AppDeps, actor: Actor, ticketId: string, input: FromTicketHazardInput): Promise<HazardEntry> {
  assertLedgerWriter(actor)
  const ticket = await findServiceTicket(em, ticketId)
  if (!ticket || ticket.kind !== 'hazard_tip') throw new NotFoundError('No such hazard tip.')
  if (!mayEnterTip(actor, ticket)) throw new NotFoundError('No such hazard tip.')
  if (!VERIFIED_TICKET_STATES.has(ticket.state)) throw new InvalidTransitionError(ticket.state, 'enter_in_ledger')
  if (!ticket.streetCode) throw new BadRequestError('validation_failed', 'The tip has no street yet; route it first.')
  const details = HazardTipDetailsSchema.safeParse(ticket.details ? (JSON.parse(ticket.details) as unknown) : {})
  const kind: HazardKind = (details.success ? details.data.hazardKind : undefined) ?? CATEGORY_KIND[ticket.category] ?? 'other'
  const now = deps.now()
  const entry = Object.assign(new HazardEntry(), {
    id: randomUUID(),
    number: ledgerNumber(now),
    gridCode: ticket.gridCode,
    communityCode: ticket.communityCode,
    streetCode: ticket.streetCode,
    departmentCode: kind === 'self_built_house' ? HOUSING_DEPARTMENT : ticket.departmentCode,
    place: ((details.success ? details.data.place : undefined) ?? ticket.address ?? '（见举报工单）').slice(0, 200),
    building: input.building ?? (details.success ? (details.data.building ?? null) : null),
    kind,
    riskLevel: input.riskLevel,
    description: ticket.description,
    lat: ticket.lat,
    lng: ticket.lng,
    status: 'verified',
    appraisal: null,
    appraisalOrg: null,
    rectificationPlan: null,
    rectificationDeadline: null,
    sourceTicketId: ticket.id,
    createdBy: actor.id,
    createdAt: now,
    updatedAt: now,
    closedAt: null
  })
  await insertEntry(em, entry, eventRow(entry, 1, actor, 'verify', null, 'verified', input.note ?? `由举报工单 ${ticket.number} 核实登记`, now))
  return entry
}

async function requireEntryInScope(em: EntityManager, actor: Actor, id: string): Promise<HazardEntry> {
  assertLedgerReader(actor)
  const entry = await em.findOneBy(HazardEntry, { id })
  if (!entry || !mayReadEntry(actor, entry)) throw new NotFoundError('No such ledger entry.')
  return entry
}

/** One entry with its history. @throws NotFoundError out of scope */
export async function getHazard(em: EntityManager, actor: Actor, id: string): Promise<HazardWithHistory> {
  const entry = await requireEntryInScope(em, actor, id)
  const events = await em.find(HazardEntryEvent, { where: { entryId: id }, order: { seq: 'ASC' } })
  return { entry, events }
}

/**
 * Moves an entry along reported → verified → appraised → rectifying → closed (挂单销账), with the
 * fields each step needs; the UPDATE is conditional on the status read, so two staff acting at once
 * cannot both move it.
 * @throws NotFoundError; InvalidTransitionError
 */
export async function transitionHazard(em: EntityManager, deps: AppDeps, actor: Actor, id: string, input: HazardTransitionInput): Promise<HazardEntry> {
  const entry = await requireEntryInScope(em, actor, id)
  const from = entry.status as HazardStatus
  const to = nextHazardStatus(from, input.event)
  if (!to) throw new InvalidTransitionError(from, input.event)
  const now = deps.now()
  const patch: Partial<HazardEntry> = { status: to, updatedAt: now }
  if (input.riskLevel) patch.riskLevel = input.riskLevel
  if (input.event === 'appraise') {
    patch.appraisal = input.appraisal ?? null
    patch.appraisalOrg = input.appraisalOrg ?? null
  }
  if (input.event === 'start_rectification') {
    patch.rectificationPlan = input.rectificationPlan ?? null
    patch.rectificationDeadline = input.rectificationDeadline ? new Date(input.rectificationDeadline) : null
  }
  if (to === 'closed') patch.closedAt = now
  const result = await em.createQueryBuilder().update(HazardEntry).set(patch).where('id = :id AND status = :from', { id, from }).execute()
  if (result.affected !== 1) throw new InvalidTransitionError(from, input.event)
  const seq = (await em.countBy(HazardEntryEvent, { entryId: id })) + 1
  await em.insert(HazardEntryEvent, eventRow(entry, seq, actor, input.event, from, to, input.note, now))
  return Object.assign(entry, patch)
}

/** The ledger rows the actor may see, filtered as asked (newest first), as a query builder. */
function scopedQuery(em: EntityManager, actor: Actor, query: Omit<HazardQuery, 'cursor' | 'limit'>, now: Date) {
  const qb = applyLedgerScope(em.getRepository(HazardEntry).createQueryBuilder('h'), actor)
  if (query.streetCode) qb.andWhere('h.streetCode = :street', { street: query.streetCode })
  if (query.communityCode) qb.andWhere('h.communityCode = :community', { community: query.communityCode })
  if (query.status) qb.andWhere('h.status = :status', { status: query.status })
  if (query.kind) qb.andWhere('h.kind = :kind', { kind: query.kind })
  if (query.overdue === true) qb.andWhere("h.status <> 'closed' AND h.rectificationDeadline < :now", { now })
  if (query.overdue === false) qb.andWhere("(h.status = 'closed' OR h.rectificationDeadline IS NULL OR h.rectificationDeadline >= :now)", { now })
  return qb.orderBy('h.createdAt', 'DESC').addOrderBy('h.id', 'DESC')
}

/** `GET /api/hazards`: a page of the ledger in the actor's scope (a street admin sees only their street's rows). */
export async function listHazards(em: EntityManager, deps: AppDeps, actor: Actor, query: HazardQuery): Promise<{ entries: HazardEntry[]; nextCursor: string | null }> {
  const now = deps.now()
  const qb = scopedQuery(em, actor, query, now)
  const cursor = query.cursor ? decodeCursor(query.cursor) : undefined
  if (query.cursor && (!cursor || cursor.length !== 2)) throw new BadRequestError('validation_failed', 'The cursor is not valid.', [{ path: 'cursor', code: 'invalid', message: 'not a cursor' }])
  if (cursor) {
    const at = new Date(String(cursor[0]))
    qb.andWhere('(h.createdAt < :at OR (h.createdAt = :at AND h.id < :lastId))', { at, lastId: String(cursor[1]) })
  }
  const rows = await qb.take(query.limit + 1).getMany()
  const page = rows.slice(0, query.limit)
  const last = page[page.length - 1]
  return {
    entries: page,
    nextCursor: rows.length > query.limit && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null
  }
}

/** Every ledger row of the export (same scope and filters as the list), capped at 10,000. */
export async function exportHazards(em: EntityManager, deps: AppDeps, actor: Actor, query: HazardQuery): Promise<HazardEntry[]> {
  return scopedQuery(em, actor, query, deps.now()).take(EXPORT_MAX_ROWS).getMany()
}
