import type { CreateLeaveInput, DutyBoardView, DutyView, PutRosterInput, RosterView } from '@palm/shared'
import { apiRequest } from './api-client'
import { updateSessionUser } from './session'

const enc = encodeURIComponent

/**
 * Duty (在岗, docs/accounts-and-duty.md): the grid worker's own switch, each grid's weekly roster
 * and leave (community staff and admins), and the board of who is on duty now.
 */
export const dutyService = {
  mine: () => apiRequest<DutyView>({ path: '/api/me/duty' }),
  async setMine(onDuty: boolean): Promise<DutyView> {
    const view = await apiRequest<DutyView>({ method: 'PUT', path: '/api/me/duty', body: { onDuty } })
    updateSessionUser({ onDuty: view.onDuty })
    return view
  },
  roster: (gridCode: string) => apiRequest<RosterView>({ path: `/api/admin/rosters/${enc(gridCode)}` }),
  saveRoster: (gridCode: string, input: PutRosterInput) => apiRequest<RosterView>({ method: 'PUT', path: `/api/admin/rosters/${enc(gridCode)}`, body: input }),
  addLeave: (gridCode: string, input: CreateLeaveInput) => apiRequest<RosterView>({ method: 'POST', path: `/api/admin/rosters/${enc(gridCode)}/leaves`, body: input }),
  removeLeave: (gridCode: string, id: string) => apiRequest<RosterView>({ method: 'DELETE', path: `/api/admin/rosters/${enc(gridCode)}/leaves/${enc(id)}` }),
  /** Who is on duty now in each grid of a community (community staff may leave the code out: their own). */
  board: (communityCode?: string) => apiRequest<DutyBoardView>({ path: '/api/admin/duty', query: { communityCode } })
}
