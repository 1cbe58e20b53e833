import type { CreateHazardInput, FromTicketHazardInput, HazardKind, HazardStatus, HazardTransitionInput, HazardView } from '@palm/shared'
import { apiRequest } from './api-client'
import { fetchTextExport, saveTextFile, withBom } from './file-export'

export interface HazardFilter {
  streetCode?: string
  communityCode?: string
  status?: HazardStatus
  kind?: HazardKind
  overdue?: boolean
}

const enc = encodeURIComponent
const filterQuery = (f: HazardFilter) => ({
  streetCode: f.streetCode,
  communityCode: f.communityCode,
  status: f.status,
  kind: f.kind,
  overdue: f.overdue ? 'true' : undefined
})

/** The hazard ledger (隐患台账), staff only, each within their scope. */
export const hazardsService = {
  list: (filter: HazardFilter, cursor?: string) => apiRequest<{ items: HazardView[]; nextCursor?: string | null }>({ path: '/api/hazards', query: { ...filterQuery(filter), cursor } }),
  get: (id: string) => apiRequest<HazardView>({ path: `/api/hazards/${enc(id)}` }),
  create: (input: CreateHazardInput) => apiRequest<HazardView>({ method: 'POST', path: '/api/hazards', body: input }),
  fromTicket: (ticketId: string, input: FromTicketHazardInput) => apiRequest<HazardView>({ method: 'POST', path: `/api/hazards/from-ticket/${enc(ticketId)}`, body: input }),
  transition: (id: string, input: HazardTransitionInput) => apiRequest<HazardView>({ method: 'POST', path: `/api/hazards/${enc(id)}/transitions`, body: input }),

  /**
   * Exports the filtered ledger as the server's CSV (UTF-8 with BOM, for Excel). WeChat saves it and
   * offers to send it to a chat (to open on a computer); H5 downloads it. Resolves with the file name.
   */
  async exportCsv(filter: HazardFilter): Promise<string> {
    const text = withBom(await fetchTextExport('/api/hazards/export.csv', '/api/hazards', filterQuery(filter)))
    return saveTextFile(`隐患台账-${new Date().toISOString().slice(0, 10)}.csv`, text, 'text/csv;charset=utf-8')
  }
}
