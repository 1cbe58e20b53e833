import type { EntityManager } from 'typeorm'
import { minuteOfWeek } from '../duty/on-duty'
import { StaffLeave } from '../duty/duty.entity'
import { persistentValue } from '../../db/write-batch'
import { queryFixed } from '../../db/prepared'

export interface WorkerLoad {
  id: string
  displayName: string
  open: number
}

export interface WorkerPick {
  chosen: WorkerLoad | undefined
  /** Every on-duty worker of the grid with their open count, in the order of preference. */
  candidates: Array<{ id: string; open: number }>
}

/**
 * The grid's workers who are on duty now (docs/accounts-and-duty.md), with their open tickets, in
 * one statement (it runs on every submission): every worker attached to the grid by the staff_grids
 * grid index; switch on and enabled (users by primary key); no leave covering now (staff_leaves
 * (user_id, ends_at) range); no roster line for them in this grid, or one holding now (roster_entries
 * (grid_code, user_id, start_minute) range: minutes of the week, so a plain comparison); each count
 * an index-only range of the tickets' assignee inbox index (assignee_id, state_group, …).
 * Parameters: grid code, now (stored form) twice, minute of the week twice.
 */
const WORKER_LOADS_SQL =
  'SELECT u.id AS id, u.display_name AS displayName, ' +
  "(SELECT COUNT(*) FROM tickets t WHERE t.assignee_id = u.id AND t.state_group = 'open') AS openCount " +
  'FROM staff_grids sg JOIN users u ON u.id = sg.user_id ' +
  "WHERE sg.grid_code = ? AND u.role = 'grid_worker' AND u.on_duty = 1 AND u.disabled = 0 " +
  'AND NOT EXISTS (SELECT 1 FROM staff_leaves l WHERE l.user_id = u.id AND l.ends_at > ? AND l.starts_at <= ?) ' +
  'AND (NOT EXISTS (SELECT 1 FROM roster_entries r WHERE r.grid_code = sg.grid_code AND r.user_id = u.id) ' +
  'OR EXISTS (SELECT 1 FROM roster_entries r WHERE r.grid_code = sg.grid_code AND r.user_id = u.id AND r.start_minute <= ? AND r.end_minute > ?))'

/**
 * The grid's worker on duty at `at` with the fewest open tickets; ties go to the lowest id, so the
 * choice is deterministic and replayable. Nobody on duty → no choice (the caller queues the ticket
 * at the community).
 */
export async function pickOnDutyWorker(em: EntityManager, gridCode: string, at: Date): Promise<WorkerPick> {
  const now = persistentValue(em.connection, StaffLeave, 'endsAt', at)
  const minute = minuteOfWeek(at)
  const rows = await queryFixed<{ id: string; displayName: string; openCount: number | string }>(em, WORKER_LOADS_SQL, [gridCode, now, now, minute, minute])
  const loads: WorkerLoad[] = rows.map((r) => ({ id: r.id, displayName: r.displayName, open: Number(r.openCount) })).sort((a, b) => a.open - b.open || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  return { chosen: loads[0], candidates: loads.map(({ id, open }) => ({ id, open })) }
}
