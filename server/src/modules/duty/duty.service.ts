import { randomUUID } from 'node:crypto'
import { DutyLimits, type CreateLeaveInput, type DutyBoardView, type DutyReason, type DutyView, type DutyWorkerView, type FieldIssue, type PutRosterInput, type RosterView } from '@palm/shared'
import { In, LessThanOrEqual, MoreThan, type DataSource } from 'typeorm'
import type { AppDeps } from '../../deps'
import { withTx } from '../../db/tx'
import { recordAudit } from '../audit/index'
import { ForbiddenError, NotFoundError, UnauthenticatedError, ValidationError } from '../../errors'
import type { Actor } from '../auth/actor'
import { StaffGrid } from '../auth/staff-grid.entity'
import { User } from '../auth/user.entity'
import { Community, Grid } from '../territory/territory.entity'
import { RosterEntry, StaffLeave } from './duty.entity'
import { dutyNow, fromMinuteOfWeek, minuteOfWeek, toMinuteOfWeek } from './on-duty'

/*
 * Duty (在岗): the worker's switch, weekly rosters per grid and leaves, and "on duty now" as the
 * pages show it. The rule itself is on-duty.ts (and, for routing, the one SQL of routing/assignee.ts).
 * Contract: docs/accounts-and-duty.md "Duty".
 */

type Deps = Pick<AppDeps, 'ds' | 'now'>

const gridNotFound = () => new NotFoundError('No such grid in your area.')

/** 404 unless the grid lies in the caller's area: their community, their street, or the district. */
async function gridInScope(ds: DataSource, actor: Actor, gridCode: string): Promise<Grid> {
  const grid = await ds.getRepository(Grid).findOneBy({ code: gridCode })
  if (!grid) throw gridNotFound()
  const inScope =
    actor.role === 'district_admin' ||
    (actor.role === 'street_admin' && grid.streetCode === actor.scope.streetCode) ||
    (actor.role === 'community_staff' && grid.communityCode === actor.scope.communityCode)
  if (!inScope) throw gridNotFound()
  return grid
}

interface GridWorkers {
  workers: User[]
  /** Roster lines per `${gridCode}|${userId}`. */
  entries: Map<string, RosterEntry[]>
  /** Workers on leave at `at`, with the end of that leave. */
  onLeave: Map<string, Date>
}

/** The workers attached to these grids, their roster lines there and who is on leave now: four queries. */
async function loadGridWorkers(ds: DataSource, gridCodes: readonly string[], at: Date): Promise<GridWorkers & { attached: StaffGrid[] }> {
  if (!gridCodes.length) return { workers: [], entries: new Map(), onLeave: new Map(), attached: [] }
  const attached = await ds.getRepository(StaffGrid).find({ where: { gridCode: In([...gridCodes]) } })
  const userIds = [...new Set(attached.map((a) => a.userId))]
  const [workers, entries, leaves] = await Promise.all([
    userIds.length ? ds.getRepository(User).find({ where: { id: In(userIds), role: 'grid_worker' } }) : [],
    ds.getRepository(RosterEntry).find({ where: { gridCode: In([...gridCodes]) } }),
    userIds.length ? ds.getRepository(StaffLeave).find({ where: { userId: In(userIds), endsAt: MoreThan(at), startsAt: LessThanOrEqual(at) } }) : []
  ])
  const byKey = new Map<string, RosterEntry[]>()
  for (const e of entries) byKey.set(`${e.gridCode}|${e.userId}`, [...(byKey.get(`${e.gridCode}|${e.userId}`) ?? []), e])
  const onLeave = new Map<string, Date>()
  for (const l of leaves) if (!onLeave.has(l.userId) || (onLeave.get(l.userId)?.getTime() ?? 0) < l.endsAt.getTime()) onLeave.set(l.userId, l.endsAt)
  return { workers: workers.sort((a, b) => a.displayName.localeCompare(b.displayName) || a.id.localeCompare(b.id)), entries: byKey, onLeave, attached }
}

function workerDuty(g: GridWorkers, gridCode: string, user: User, minute: number): { onDutyNow: boolean; reason: DutyReason } {
  return dutyNow({ disabled: user.disabled, onDuty: user.onDuty, onLeave: g.onLeave.has(user.id), entries: g.entries.get(`${gridCode}|${user.id}`) ?? [] }, minute)
}

function workerView(g: GridWorkers, gridCode: string, user: User, minute: number): DutyWorkerView {
  return { id: user.id, displayName: user.displayName, onDuty: user.onDuty, ...workerDuty(g, gridCode, user, minute) }
}

// ——— the worker's own duty ———

/**
 * The caller's duty now: the switch, and per grid whether routing would hand them a ticket now and
 * why. The overall reason is the first on-duty grid's, else the strongest reason not to be.
 */
export async function getMyDuty(deps: Deps, actor: Actor): Promise<DutyView> {
  const user = await deps.ds.getRepository(User).findOneBy({ id: actor.id })
  if (!user) throw new UnauthenticatedError('This account no longer exists.', 'invalid_token')
  if (user.role !== 'grid_worker') throw new ForbiddenError('Only grid workers go on and off duty.')
  const at = deps.now()
  const minute = minuteOfWeek(at)
  const gridRows = await deps.ds.getRepository(StaffGrid).find({ where: { userId: user.id } })
  gridRows.sort((a, b) => Number(b.isPrimary) - Number(a.isPrimary) || a.gridCode.localeCompare(b.gridCode))
  const codes = gridRows.map((r) => r.gridCode)
  const loaded = await loadGridWorkers(deps.ds, codes, at)
  const names = new Map((codes.length ? await deps.ds.getRepository(Grid).find({ select: { code: true, name: true }, where: { code: In(codes) } }) : []).map((g) => [g.code, g.name]))
  const grids = codes.map((code) => ({ gridCode: code, gridName: names.get(code) ?? code, ...workerDuty(loaded, code, user, minute) }))
  const on = grids.find((g) => g.onDutyNow)
  const base = dutyNow({ disabled: user.disabled, onDuty: user.onDuty, onLeave: loaded.onLeave.has(user.id), entries: [] }, minute)
  const reason: DutyReason = on ? on.reason : base.onDutyNow ? 'outside_roster' : base.reason
  const leaveUntil = loaded.onLeave.get(user.id)
  return { onDuty: user.onDuty, onDutyNow: !!on, reason, ...(leaveUntil ? { leaveUntil: leaveUntil.toISOString() } : {}), grids }
}

/** The worker's own switch (在岗/离岗); routing reads it on the next submission. */
export async function setMyDuty(deps: Deps, actor: Actor, onDuty: boolean): Promise<DutyView> {
  if (actor.role !== 'grid_worker') throw new ForbiddenError('Only grid workers go on and off duty.')
  await withTx(
    deps.ds,
    async (em) => (
      await em.getRepository(User).update({ id: actor.id }, { onDuty, updatedAt: deps.now() }),
      await recordAudit(em, { action: 'duty.on_duty', objectType: 'user', objectId: actor.id, detail: { onDuty }, actor })
    )
  )
  return getMyDuty(deps, actor)
}

// ——— rosters and leaves ———

async function rosterView(deps: Deps, grid: Grid): Promise<RosterView> {
  const at = deps.now()
  const minute = minuteOfWeek(at)
  const loaded = await loadGridWorkers(deps.ds, [grid.code], at)
  const names = new Map(loaded.workers.map((w) => [w.id, w.displayName]))
  const ids = loaded.workers.map((w) => w.id)
  const leaves = ids.length ? await deps.ds.getRepository(StaffLeave).find({ where: { userId: In(ids), endsAt: MoreThan(at) }, order: { startsAt: 'ASC', id: 'ASC' } }) : []
  const entries = [...loaded.entries.values()].flat().sort((a, b) => a.startMinute - b.startMinute || a.userId.localeCompare(b.userId))
  return {
    gridCode: grid.code,
    gridName: grid.name,
    communityCode: grid.communityCode,
    entries: entries.map((e) => {
      const start = fromMinuteOfWeek(e.startMinute, false)
      return { id: e.id, workerId: e.userId, workerName: names.get(e.userId) ?? e.userId, weekday: start.weekday, start: start.hhmm, end: fromMinuteOfWeek(e.endMinute, true).hhmm }
    }),
    leaves: leaves.map((l) => ({ id: l.id, workerId: l.userId, workerName: names.get(l.userId) ?? l.userId, from: l.startsAt.toISOString(), to: l.endsAt.toISOString(), reason: l.reason })),
    workers: loaded.workers.map((w) => workerView(loaded, grid.code, w, minute))
  }
}

/** The grid's weekly roster, the leaves not yet over and its workers with their duty now. */
export async function getRoster(deps: Deps, actor: Actor, gridCode: string): Promise<RosterView> {
  return rosterView(deps, await gridInScope(deps.ds, actor, gridCode))
}

async function attachedWorkerIds(ds: DataSource, gridCode: string): Promise<Set<string>> {
  const rows = await ds.getRepository(StaffGrid).find({ where: { gridCode } })
  return new Set(rows.map((r) => r.userId))
}

/**
 * Replaces the grid's weekly roster. Refused whole (400 with field paths, nothing written) when a
 * line ends before it starts, two lines of one worker overlap, or a worker is not attached to the grid.
 */
export async function putRoster(deps: Deps, actor: Actor, gridCode: string, input: PutRosterInput): Promise<RosterView> {
  const grid = await gridInScope(deps.ds, actor, gridCode)
  const attached = await attachedWorkerIds(deps.ds, grid.code)
  const issues: FieldIssue[] = []
  const lines = input.entries.map((e, i) => ({ i, workerId: e.workerId, start: toMinuteOfWeek(e.weekday, e.start), end: toMinuteOfWeek(e.weekday, e.end) }))
  for (const line of lines) {
    if (!attached.has(line.workerId)) issues.push({ path: `entries.${line.i}.workerId`, code: 'not_attached', message: 'is not a grid worker of this grid' })
    if (line.start >= line.end) issues.push({ path: `entries.${line.i}.end`, code: 'inverted', message: 'must be after start' })
  }
  const valid = lines.filter((l) => l.start < l.end).sort((a, b) => a.workerId.localeCompare(b.workerId) || a.start - b.start || a.i - b.i)
  for (let k = 1; k < valid.length; k++) {
    const prev = valid[k - 1]
    const cur = valid[k]
    if (prev && cur && prev.workerId === cur.workerId && cur.start < prev.end) {
      issues.push({ path: `entries.${cur.i}.start`, code: 'overlap', message: `overlaps entries.${prev.i} of the same worker` })
    }
  }
  if (issues.length) throw new ValidationError(issues, 'The roster is not valid; nothing was changed.')
  const now = deps.now()
  await withTx(deps.ds, async (em) => {
    await em.getRepository(RosterEntry).delete({ gridCode: grid.code })
    if (lines.length) {
      await em.getRepository(RosterEntry).insert(lines.map((l) => ({ id: randomUUID(), gridCode: grid.code, userId: l.workerId, startMinute: l.start, endMinute: l.end, createdAt: now })))
    }
    await recordAudit(em, { action: 'duty.roster', objectType: 'grid', objectId: grid.code, detail: { lines: lines.length }, actor })
  })
  return rosterView(deps, grid)
}

/** Records a leave of one of the grid's workers (it applies in all of their grids). */
export async function addLeave(deps: Deps, actor: Actor, gridCode: string, input: CreateLeaveInput): Promise<RosterView> {
  const grid = await gridInScope(deps.ds, actor, gridCode)
  const issues: FieldIssue[] = []
  if (!(await attachedWorkerIds(deps.ds, grid.code)).has(input.workerId)) issues.push({ path: 'workerId', code: 'not_attached', message: 'is not a grid worker of this grid' })
  const from = new Date(input.from)
  const to = new Date(input.to)
  if (to.getTime() <= from.getTime()) issues.push({ path: 'to', code: 'inverted', message: 'must be after from' })
  else if (to.getTime() - from.getTime() > DutyLimits.maxLeaveDays * 86_400_000) issues.push({ path: 'to', code: 'too_long', message: `a leave lasts at most ${DutyLimits.maxLeaveDays} days` })
  if (issues.length) throw new ValidationError(issues, 'The leave is not valid; nothing was changed.')
  const leave: StaffLeave = Object.assign(new StaffLeave(), {
    id: randomUUID(),
    userId: input.workerId,
    startsAt: from,
    endsAt: to,
    reason: input.reason ?? null,
    createdBy: actor.id,
    createdAt: deps.now()
  })
  await withTx(
    deps.ds,
    async (em) => (
      await em.getRepository(StaffLeave).insert(leave),
      await recordAudit(em, { action: 'duty.leave_add', objectType: 'user', objectId: input.workerId, detail: { leaveId: leave.id, gridCode: grid.code }, actor })
    )
  )
  return rosterView(deps, grid)
}

/** Deletes a leave of one of the grid's workers (404 for any other). */
export async function deleteLeave(deps: Deps, actor: Actor, gridCode: string, leaveId: string): Promise<RosterView> {
  const grid = await gridInScope(deps.ds, actor, gridCode)
  const leave = await deps.ds.getRepository(StaffLeave).findOneBy({ id: leaveId })
  if (!leave || !(await attachedWorkerIds(deps.ds, grid.code)).has(leave.userId)) throw new NotFoundError('No such leave.')
  await withTx(
    deps.ds,
    async (em) => (
      await em.getRepository(StaffLeave).delete({ id: leave.id }),
      await recordAudit(em, { action: 'duty.leave_delete', objectType: 'user', objectId: leave.userId, detail: { leaveId: leave.id, gridCode: grid.code }, actor })
    )
  )
  return rosterView(deps, grid)
}

// ——— who is on duty now ———

/**
 * Every grid of one community with its workers and their duty now. Community staff see their own
 * community (the code may be left out); street and district admins name one in their area.
 */
export async function dutyBoard(deps: Deps, actor: Actor, communityCode: string | undefined): Promise<DutyBoardView> {
  const code = communityCode ?? (actor.role === 'community_staff' ? actor.scope.communityCode : undefined)
  if (!code) throw new ValidationError([{ path: 'communityCode', code: 'required', message: 'name the community' }])
  const community = await deps.ds.getRepository(Community).findOneBy({ code })
  const inScope =
    !!community &&
    (actor.role === 'district_admin' ||
      (actor.role === 'street_admin' && community.streetCode === actor.scope.streetCode) ||
      (actor.role === 'community_staff' && community.code === actor.scope.communityCode))
  if (!community || !inScope) throw new NotFoundError('No such community in your area.')
  const grids = await deps.ds.getRepository(Grid).find({ select: { code: true, name: true }, where: { communityCode: community.code }, order: { code: 'ASC' } })
  const at = deps.now()
  const minute = minuteOfWeek(at)
  const loaded = await loadGridWorkers(
    deps.ds,
    grids.map((g) => g.code),
    at
  )
  const byId = new Map(loaded.workers.map((w) => [w.id, w]))
  return {
    communityCode: community.code,
    communityName: community.name,
    at: at.toISOString(),
    grids: grids.map((g) => {
      const workers = loaded.attached
        .filter((a) => a.gridCode === g.code)
        .flatMap((a) => {
          const user = byId.get(a.userId)
          return user ? [workerView(loaded, g.code, user, minute)] : []
        })
        .sort((a, b) => a.displayName.localeCompare(b.displayName) || a.id.localeCompare(b.id))
      return { gridCode: g.code, gridName: g.name, onDutyCount: workers.filter((w) => w.onDutyNow).length, workers }
    })
  }
}
