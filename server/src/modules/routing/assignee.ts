import type { EntityManager } from 'typeorm'

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
 * The grid's on-duty, enabled grid workers with their open tickets: the workers by the users' grid
 * index (grid_code, role), each count an index-only range of the tickets' assignee inbox index
 * (assignee_id, state_group, …). One statement, written out once (it runs on every submission).
 */
const WORKER_LOADS_SQL =
  'SELECT u.id AS id, u.display_name AS displayName, ' +
  "(SELECT COUNT(*) FROM tickets t WHERE t.assignee_id = u.id AND t.state_group = 'open') AS openCount " +
  "FROM users u WHERE u.grid_code = ? AND u.role = 'grid_worker' AND u.on_duty = 1 AND u.disabled = 0"

/**
 * The grid's on-duty grid worker with the fewest open tickets; ties go to the lowest id, so the
 * choice is deterministic and replayable.
 */
export async function pickOnDutyWorker(em: EntityManager, gridCode: string): Promise<WorkerPick> {
  const rows = (await em.query(WORKER_LOADS_SQL, [gridCode])) as Array<{ id: string; displayName: string; openCount: number | string }>
  const loads: WorkerLoad[] = rows
    .map((r) => ({ id: r.id, displayName: r.displayName, open: Number(r.openCount) }))
    .sort((a, b) => a.open - b.open || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  return { chosen: loads[0], candidates: loads.map(({ id, open }) => ({ id, open })) }
}
