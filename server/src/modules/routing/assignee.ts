import type { EntityManager } from 'typeorm'
import { User } from '../auth/user.entity'

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
 * The grid's on-duty grid worker with the fewest open tickets; ties go to the lowest id, so the
 * choice is deterministic and replayable. One query: the grid's workers (users by grid and role)
 * joined with their open tickets (tickets by assignee and state group, the assignee inbox index).
 */
export async function pickOnDutyWorker(em: EntityManager, gridCode: string): Promise<WorkerPick> {
  const rows = await em
    .getRepository(User)
    .createQueryBuilder('u')
    .select('u.id', 'id')
    .addSelect('u.display_name', 'displayName')
    .addSelect('COUNT(t.id)', 'open')
    .leftJoin('tickets', 't', "t.assignee_id = u.id AND t.state_group = 'open'")
    .where('u.grid_code = :gridCode AND u.role = :role AND u.on_duty = :onDuty AND u.disabled = :disabled', {
      gridCode,
      role: 'grid_worker',
      onDuty: true,
      disabled: false
    })
    .groupBy('u.id')
    .addGroupBy('u.display_name')
    .getRawMany<{ id: string; displayName: string; open: number | string }>()

  const loads: WorkerLoad[] = rows
    .map((r) => ({ id: r.id, displayName: r.displayName, open: Number(r.open) }))
    .sort((a, b) => a.open - b.open || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  return { chosen: loads[0], candidates: loads.map(({ id, open }) => ({ id, open })) }
}
