import { randomUUID } from 'node:crypto'
import {
  DEFAULT_CATEGORIES,
  GRID_COUNTS_CSV_COLUMNS,
  GridCountsSchema,
  type CreateGridEntryInput,
  type GridCountsImportResult,
  type GridCountsInput,
  type GridCountsView,
  type GridEntryBlock,
  type GridEntryView,
  type GridEventsView,
  type GridProfileView
} from '@palm/shared'
import { In, type EntityManager } from 'typeorm'
import type { AppDeps } from '../../deps'
import { withTx } from '../../db/tx'
import { BadRequestError, NotFoundError } from '../../errors'
import type { Actor } from '../auth/actor'
import { recordAudit } from '../audit/index'
import { Community, Grid } from '../territory/territory.entity'
import { Ticket } from '../tickets/ticket.entity'
import { GridCounts, GridEntry, Place } from './places.entity'
import { gridInScope, gridNotFound, requireGridInScope } from './places.scope'
import { presentPlaces } from './places.service'

/** The grid profile (网格档案, docs/places-and-grids.md): six blocks of one grid, for staff in scope. */

function presentCounts(c: GridCounts): GridCountsView {
  return {
    residents: Number(c.residents),
    households: Number(c.households),
    partyMembers: Number(c.partyMembers),
    specialGroups: Number(c.specialGroups),
    lowIncome: Number(c.lowIncome),
    updatedAt: c.updatedAt.toISOString()
  }
}

function presentEntry(e: GridEntry): GridEntryView {
  return { id: e.id, block: e.block as GridEntryBlock, name: e.name, kind: e.kind, contact: e.contact, note: e.note, createdAt: e.createdAt.toISOString() }
}

const RECENT_EVENTS = 10

/** 事: the grid's tickets in figures (three grouped queries and the ten newest). */
async function gridEvents(em: EntityManager, gridCode: string, now: Date): Promise<GridEventsView> {
  const tickets = em.getRepository(Ticket)
  const [groups, overdueRow, onTime, byCategory, recent] = await Promise.all([
    tickets
      .createQueryBuilder('t')
      .select('t.state_group', 'g')
      .addSelect('COUNT(*)', 'n')
      .where('t.grid_code = :gridCode', { gridCode })
      .groupBy('t.state_group')
      .getRawMany<{ g: string; n: number | string }>(),
    tickets
      .createQueryBuilder('t')
      .select('COUNT(*)', 'n')
      .where('t.grid_code = :gridCode', { gridCode })
      .andWhere("t.state_group = 'open'")
      .andWhere("t.state <> 'suspended'")
      .andWhere('t.due_at < :now', { now })
      .getRawOne<{ n: number | string }>(),
    tickets
      .createQueryBuilder('t')
      .select('COUNT(*)', 'n')
      .addSelect('SUM(CASE WHEN t.resolved_at <= t.resolve_due_at THEN 1 ELSE 0 END)', 'ok')
      .where('t.grid_code = :gridCode', { gridCode })
      .andWhere('t.resolved_at IS NOT NULL')
      .getRawOne<{ n: number | string; ok: number | string | null }>(),
    tickets
      .createQueryBuilder('t')
      .select('t.category', 'c')
      .addSelect('COUNT(*)', 'n')
      .where('t.grid_code = :gridCode', { gridCode })
      .groupBy('t.category')
      .orderBy('n', 'DESC')
      .limit(8)
      .getRawMany<{ c: string; n: number | string }>(),
    tickets.find({ select: { id: true, number: true, category: true, state: true, createdAt: true }, where: { gridCode }, order: { createdAt: 'DESC', id: 'DESC' }, take: RECENT_EVENTS })
  ])
  const byGroup = new Map(groups.map((r) => [r.g, Number(r.n)]))
  const resolvedCount = Number(onTime?.n ?? 0)
  return {
    total: [...byGroup.values()].reduce((a, b) => a + b, 0),
    open: byGroup.get('open') ?? 0,
    overdue: Number(overdueRow?.n ?? 0),
    resolved: resolvedCount,
    onTimeRate: resolvedCount ? Math.round((Number(onTime?.ok ?? 0) / resolvedCount) * 1000) / 1000 : null,
    byCategory: byCategory.map((r) => ({ category: r.c, name: DEFAULT_CATEGORIES.find((c) => c.code === r.c)?.name ?? r.c, count: Number(r.n) })),
    recent: recent.map((t) => ({ id: t.id, number: t.number, category: t.category, state: t.state, submittedAt: t.createdAt.toISOString() }))
  }
}

/** The whole profile of a grid in the caller's territory (404 otherwise). */
export async function gridProfile(em: EntityManager, actor: Actor, gridCode: string, now: Date): Promise<GridProfileView> {
  const grid = await requireGridInScope(em, actor, gridCode)
  const [community, counts, places, entries, events] = await Promise.all([
    em.getRepository(Community).findOneBy({ code: grid.communityCode }),
    em.getRepository(GridCounts).findOneBy({ gridCode: grid.code }),
    em.getRepository(Place).find({ where: { gridCode: grid.code }, order: { createdAt: 'ASC', id: 'ASC' }, take: 200 }),
    em.getRepository(GridEntry).find({ where: { gridCode: grid.code }, order: { createdAt: 'ASC', id: 'ASC' }, take: 600 }),
    gridEvents(em, grid.code, now)
  ])
  const block = (b: GridEntryBlock) => entries.filter((e) => e.block === b).map(presentEntry)
  return {
    grid: { code: grid.code, name: grid.name, synthetic: Boolean(grid.synthetic) },
    community: { code: grid.communityCode, name: community?.name ?? grid.communityCode },
    people: counts ? presentCounts(counts) : null,
    places: await presentPlaces(em, places),
    things: block('thing'),
    situations: block('situation'),
    events,
    organisations: block('organisation')
  }
}

/** Writes one grid's counts (insert or replace) inside the caller's transaction. */
async function upsertCounts(em: EntityManager, gridCode: string, counts: GridCountsInput, actor: Actor, now: Date): Promise<void> {
  const repo = em.getRepository(GridCounts)
  const values = { ...counts, updatedBy: actor.id, updatedAt: now }
  const changed = await repo.update({ gridCode }, values)
  if (!changed.affected) await repo.insert({ gridCode, ...values })
}

/** 人: community staff (and above) set a grid's counts; audited with the new figures (counts only, no names). */
export async function setGridCounts(deps: Pick<AppDeps, 'ds' | 'now'>, actor: Actor, gridCode: string, counts: GridCountsInput): Promise<GridCountsView> {
  const now = deps.now()
  await withTx(deps.ds, async (em) => {
    await requireGridInScope(em, actor, gridCode)
    await upsertCounts(em, gridCode, counts, actor, now)
    await recordAudit(em, { action: 'grid_profile.counts', objectType: 'grid', objectId: gridCode, detail: { ...counts } })
  })
  return presentCounts(await deps.ds.getRepository(GridCounts).findOneByOrFail({ gridCode }))
}

const csvProblem = (message: string, line?: number) => new BadRequestError('csv_invalid', message, line === undefined ? undefined : [{ path: `line.${line}`, code: 'csv_invalid', message }])

const CSV_FIELD: Record<string, keyof GridCountsInput> = { residents: 'residents', households: 'households', party_members: 'partyMembers', special_groups: 'specialGroups', low_income: 'lowIncome' }

/** Parses the counts CSV: exactly the documented header, one grid a line, whole numbers ≥ 0. */
export function parseCountsCsv(csv: string): Array<{ gridCode: string; counts: GridCountsInput }> {
  const lines = csv
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((l) => l.trim())
  while (lines.length && lines[lines.length - 1] === '') lines.pop()
  const header = (lines[0] ?? '').split(',').map((h) => h.trim().toLowerCase())
  if (header.join(',') !== GRID_COUNTS_CSV_COLUMNS.join(',')) {
    throw csvProblem(`The first line must be exactly: ${GRID_COUNTS_CSV_COLUMNS.join(',')}`, 1)
  }
  if (lines.length < 2) throw csvProblem('The file has a header but no grids.')
  if (lines.length > 2001) throw csvProblem('At most 2000 grids in one file.')
  const seen = new Set<string>()
  return lines.slice(1).map((line, i) => {
    const lineNo = i + 2
    const cells = line.split(',').map((c) => c.trim())
    if (cells.length !== GRID_COUNTS_CSV_COLUMNS.length) throw csvProblem(`Line ${lineNo} has ${cells.length} columns; ${GRID_COUNTS_CSV_COLUMNS.length} are needed.`, lineNo)
    const [gridCode, ...numbers] = cells as [string, ...string[]]
    if (!gridCode) throw csvProblem(`Line ${lineNo} has no grid_code.`, lineNo)
    if (seen.has(gridCode)) throw csvProblem(`Line ${lineNo} repeats grid ${gridCode}.`, lineNo)
    seen.add(gridCode)
    const raw: Record<string, unknown> = {}
    GRID_COUNTS_CSV_COLUMNS.slice(1).forEach((column, k) => {
      const cell = numbers[k] ?? ''
      raw[CSV_FIELD[column] as string] = /^\d+$/.test(cell) ? Number(cell) : cell === '' ? undefined : cell
    })
    const parsed = GridCountsSchema.safeParse(raw)
    if (!parsed.success) throw csvProblem(`Line ${lineNo}: every count must be a whole number of 0 or more.`, lineNo)
    return { gridCode, counts: parsed.data }
  })
}

/**
 * Imports counts for many grids at once, all or nothing: every grid must exist in the caller's
 * territory (404 for the first that does not), and one audit row records the import.
 */
export async function importGridCounts(deps: Pick<AppDeps, 'ds' | 'now'>, actor: Actor, csv: string): Promise<GridCountsImportResult> {
  const rows = parseCountsCsv(csv)
  const now = deps.now()
  await withTx(deps.ds, async (em) => {
    const grids = await em.getRepository(Grid).find({ select: { code: true, communityCode: true, streetCode: true }, where: { code: In(rows.map((r) => r.gridCode)) } })
    const byCode = new Map(grids.map((g) => [g.code, g]))
    for (const row of rows) {
      const grid = byCode.get(row.gridCode)
      if (!grid || !gridInScope(actor, grid)) throw new NotFoundError(`No grid ${row.gridCode} in your area.`)
    }
    for (const row of rows) await upsertCounts(em, row.gridCode, row.counts, actor, now)
    await recordAudit(em, { action: 'grid_profile.import', objectType: 'grid', objectId: null, detail: { grids: rows.map((r) => r.gridCode).slice(0, 50), count: rows.length } })
  })
  return { updated: rows.length }
}

/** 物 / 情 / 组织: adds one line to a grid in scope (grid workers too: they know their grid best). */
export async function addGridEntry(deps: Pick<AppDeps, 'ds' | 'now'>, actor: Actor, gridCode: string, input: CreateGridEntryInput): Promise<GridEntryView> {
  const row: GridEntry = Object.assign(new GridEntry(), {
    id: randomUUID(),
    gridCode,
    block: input.block,
    name: input.name,
    kind: input.kind || null,
    contact: input.contact || null,
    note: input.note || null,
    createdBy: actor.id,
    createdAt: deps.now()
  })
  await withTx(deps.ds, async (em) => {
    await requireGridInScope(em, actor, gridCode)
    await em.getRepository(GridEntry).insert(row)
    await recordAudit(em, { action: 'grid_profile.entry_add', objectType: 'grid_entry', objectId: row.id, detail: { grid: gridCode, block: input.block } })
  })
  return presentEntry(await deps.ds.getRepository(GridEntry).findOneByOrFail({ id: row.id }))
}

export async function deleteGridEntry(deps: Pick<AppDeps, 'ds'>, actor: Actor, gridCode: string, id: string): Promise<void> {
  await withTx(deps.ds, async (em) => {
    await requireGridInScope(em, actor, gridCode)
    const entry = await em.getRepository(GridEntry).findOneBy({ id, gridCode })
    if (!entry) throw new NotFoundError('No such entry.')
    await em.getRepository(GridEntry).delete({ id })
    await recordAudit(em, { action: 'grid_profile.entry_delete', objectType: 'grid_entry', objectId: id, detail: { grid: gridCode, block: entry.block } })
  })
}

export { gridNotFound }
