import { apiRequest } from './api-client'
import { updateSessionUser } from './session'

/** `GET /api/me/duty`: the switch, and whether routing counts the worker as on duty now (roster and leave). */
export interface MyDutyView {
  onDuty: boolean
  onDutyNow: boolean
  reason?: string | null
}

/** One weekly slot of a grid's roster: weekday 1 (Monday) – 7 (Sunday), times 'HH:MM' Beijing time. */
export interface RosterEntry {
  workerId: string
  workerName?: string
  weekday: number
  start: string
  end: string
}

export interface LeaveView {
  id: string
  workerId: string
  workerName?: string
  from: string
  to: string
  reason?: string | null
}

export interface RosterView {
  gridCode: string
  gridName?: string
  entries: RosterEntry[]
  leaves: LeaveView[]
}

export interface DutyWorkerView {
  id: string
  displayName: string
  onDuty: boolean
  onDutyNow: boolean
  reason?: string | null
}

export interface GridDutyView {
  gridCode: string
  gridName?: string
  workers: DutyWorkerView[]
}

const enc = encodeURIComponent

/** Duty (在岗): the grid worker's switch, the weekly rosters and leave, and who is on duty now. */
export const dutyService = {
  mine: () => apiRequest<MyDutyView>({ path: '/api/me/duty' }),
  async setMine(onDuty: boolean): Promise<MyDutyView> {
    const view = await apiRequest<MyDutyView>({ method: 'PUT', path: '/api/me/duty', body: { onDuty } })
    updateSessionUser({ onDuty: view.onDuty })
    return view
  },
  roster: (gridCode: string) => apiRequest<RosterView>({ path: `/api/admin/rosters/${enc(gridCode)}` }),
  saveRoster: (gridCode: string, entries: Array<Pick<RosterEntry, 'workerId' | 'weekday' | 'start' | 'end'>>) =>
    apiRequest<RosterView>({ method: 'PUT', path: `/api/admin/rosters/${enc(gridCode)}`, body: { entries } }),
  addLeave: (gridCode: string, input: { workerId: string; from: string; to: string; reason?: string }) =>
    apiRequest<LeaveView>({ method: 'POST', path: `/api/admin/rosters/${enc(gridCode)}/leaves`, body: input }),
  removeLeave: (gridCode: string, id: string) => apiRequest<unknown>({ method: 'DELETE', path: `/api/admin/rosters/${enc(gridCode)}/leaves/${enc(id)}` }),
  /** Who is on duty now, per grid of a community (community staff: their own). */
  async community(communityCode?: string): Promise<GridDutyView[]> {
    const body = await apiRequest<{ grids: GridDutyView[] } | GridDutyView[]>({ path: '/api/admin/duty', query: { communityCode } })
    return Array.isArray(body) ? body : body.grids
  }
}
