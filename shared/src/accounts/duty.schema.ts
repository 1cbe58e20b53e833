import { z } from 'zod'

/**
 * "On duty now" (在岗), the one rule routing and every duty screen use, in China time (UTC+8):
 * a grid worker is on duty now for a grid when
 *   the worker's switch is on (`PUT /api/me/duty`), AND
 *   the worker is not on leave now (a leave covers `from` ≤ now < `to`), AND
 *   (the grid's roster has no entries for that worker, OR now falls in one of them: start ≤ now < end).
 * Disabled accounts are never on duty. Nobody on duty in a grid → its tickets go to the community queue.
 */
export const DutyLimits = {
  maxRosterEntries: 300,
  /** A leave lasts at most this many days (enter a longer absence as several, or disable the account). */
  maxLeaveDays: 366,
  reasonMaxLength: 200
} as const

/** ISO weekday of a roster entry: 1 = Monday … 7 = Sunday (China time). */
export const WeekdaySchema = z.number().int().min(1).max(7)
/** `HH:MM` on a 24-hour clock; `24:00` is the end of the day. A shift over midnight is two entries. */
export const RosterTimeSchema = z.string().regex(/^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/, 'use HH:MM, 00:00–24:00')

/** Why a worker is or is not on duty now (the page words it). */
export const DUTY_REASONS = ['switched_off', 'on_leave', 'outside_roster', 'in_roster', 'no_roster', 'disabled'] as const
export const DutyReasonSchema = z.enum(DUTY_REASONS)
export type DutyReason = z.infer<typeof DutyReasonSchema>

/** `PUT /api/me/duty` (grid workers only): the worker's own switch. */
export const SetDutySchema = z.strictObject({ onDuty: z.boolean() })
export type SetDutyInput = z.infer<typeof SetDutySchema>

/** A worker's duty in one grid right now. */
export const GridDutyViewSchema = z.object({
  gridCode: z.string(),
  gridName: z.string(),
  onDutyNow: z.boolean(),
  reason: DutyReasonSchema
})
export type GridDutyView = z.infer<typeof GridDutyViewSchema>

/**
 * `GET`/`PUT /api/me/duty`: the switch, whether routing would hand the worker a ticket now in any of
 * their grids, and why (the first grid's reason that makes them on duty, else the strongest reason
 * not). `grids` has the same per grid; `leaveUntil` is set while on leave.
 */
export const DutyViewSchema = z.object({
  onDuty: z.boolean(),
  onDutyNow: z.boolean(),
  reason: DutyReasonSchema,
  leaveUntil: z.string().optional(),
  grids: z.array(GridDutyViewSchema)
})
export type DutyView = z.infer<typeof DutyViewSchema>

/** One roster line: the worker is on duty in this grid every `weekday` from `start` to `end`. */
export const RosterEntryInputSchema = z.strictObject({
  workerId: z.string().trim().min(1).max(36),
  weekday: WeekdaySchema,
  start: RosterTimeSchema,
  end: RosterTimeSchema
})
export type RosterEntryInput = z.infer<typeof RosterEntryInputSchema>

/**
 * `PUT /api/admin/rosters/:gridCode`: the grid's whole weekly roster (replaces the old one; `[]`
 * clears it). Refused whole (400, `errors[].path` = `entries.N.end` / `entries.N.start` /
 * `entries.N.workerId`) for start ≥ end, overlapping entries of one worker, or a worker not
 * attached to the grid.
 */
export const PutRosterSchema = z.strictObject({ entries: z.array(RosterEntryInputSchema).max(DutyLimits.maxRosterEntries) })
export type PutRosterInput = z.infer<typeof PutRosterSchema>

/** `POST /api/admin/rosters/:gridCode/leaves`: `from` < `to` (400 at `to` otherwise). */
export const CreateLeaveSchema = z.strictObject({
  workerId: z.string().trim().min(1).max(36),
  from: z.iso.datetime({ offset: true }),
  to: z.iso.datetime({ offset: true }),
  reason: z.string().trim().min(1).max(DutyLimits.reasonMaxLength).optional()
})
export type CreateLeaveInput = z.infer<typeof CreateLeaveSchema>

export const RosterEntryViewSchema = z.object({
  id: z.string(),
  workerId: z.string(),
  workerName: z.string(),
  weekday: z.number().int(),
  start: z.string(),
  end: z.string()
})
export type RosterEntryView = z.infer<typeof RosterEntryViewSchema>

export const LeaveViewSchema = z.object({
  id: z.string(),
  workerId: z.string(),
  workerName: z.string(),
  from: z.string(),
  to: z.string(),
  reason: z.string().nullable()
})
export type LeaveView = z.infer<typeof LeaveViewSchema>

/** A grid worker of a grid with their duty now. */
export const DutyWorkerViewSchema = z.object({
  id: z.string(),
  displayName: z.string(),
  onDuty: z.boolean(),
  onDutyNow: z.boolean(),
  reason: DutyReasonSchema
})
export type DutyWorkerView = z.infer<typeof DutyWorkerViewSchema>

/**
 * `GET /api/admin/rosters/:gridCode` (and the answer of every roster write): the weekly entries by
 * weekday and start, the leaves not yet over, and the grid's workers (to pick from) with their duty now.
 */
export const RosterViewSchema = z.object({
  gridCode: z.string(),
  gridName: z.string(),
  communityCode: z.string(),
  entries: z.array(RosterEntryViewSchema),
  leaves: z.array(LeaveViewSchema),
  workers: z.array(DutyWorkerViewSchema)
})
export type RosterView = z.infer<typeof RosterViewSchema>

/** `GET /api/admin/duty?communityCode=`: who is on duty now in each grid of one community. */
export const DutyBoardQuerySchema = z.object({ communityCode: z.string().trim().min(1).max(32).optional() })
export type DutyBoardQuery = z.infer<typeof DutyBoardQuerySchema>

export const DutyBoardViewSchema = z.object({
  communityCode: z.string(),
  communityName: z.string(),
  /** The instant the board was computed (ISO). */
  at: z.string(),
  grids: z.array(
    z.object({
      gridCode: z.string(),
      gridName: z.string(),
      onDutyCount: z.number().int(),
      workers: z.array(DutyWorkerViewSchema)
    })
  )
})
export type DutyBoardView = z.infer<typeof DutyBoardViewSchema>
