import Taro from '@tarojs/taro'
import type { CreateHazardInput, FromTicketHazardInput, HazardKind, HazardStatus, HazardTransitionInput, HazardView } from '@palm/shared'
import { apiRequest, buildUrl } from './api-client'
import { getSession } from './session'
import { ApiError, apiErrorFromResponse, networkError } from './api-error'
import { isWeapp } from '../utils/platform'

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
  list: (filter: HazardFilter, cursor?: string) =>
    apiRequest<{ items: HazardView[]; nextCursor?: string | null }>({ path: '/api/hazards', query: { ...filterQuery(filter), cursor } }),
  get: (id: string) => apiRequest<HazardView>({ path: `/api/hazards/${enc(id)}` }),
  create: (input: CreateHazardInput) => apiRequest<HazardView>({ method: 'POST', path: '/api/hazards', body: input }),
  fromTicket: (ticketId: string, input: FromTicketHazardInput) =>
    apiRequest<HazardView>({ method: 'POST', path: `/api/hazards/from-ticket/${enc(ticketId)}`, body: input }),
  transition: (id: string, input: HazardTransitionInput) => apiRequest<HazardView>({ method: 'POST', path: `/api/hazards/${enc(id)}/transitions`, body: input }),

  /**
   * Exports the filtered ledger as the server's CSV (UTF-8 with BOM, for Excel). WeChat saves it and
   * offers to send it to a chat (to open on a computer); H5 downloads it. Resolves with the file name.
   */
  async exportCsv(filter: HazardFilter): Promise<string> {
    const fileName = `隐患台账-${new Date().toISOString().slice(0, 10)}.csv`
    const text = withBom(await fetchCsv(filter))
    if (isWeapp) {
      const filePath = `${Taro.env.USER_DATA_PATH ?? ''}/${fileName}`
      await new Promise<void>((resolve, reject) =>
        Taro.getFileSystemManager().writeFile({ filePath, data: text, encoding: 'utf8', success: () => resolve(), fail: reject })
      )
      await Taro.shareFileMessage({ filePath, fileName })
      return fileName
    }
    const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }))
    const a = document.createElement('a')
    a.href = url
    a.download = fileName
    document.body.appendChild(a)
    a.click()
    a.remove()
    setTimeout(() => URL.revokeObjectURL(url), 10_000)
    return fileName
  }
}

/** Excel needs the BOM to read UTF-8; text decoding may have dropped the server's. */
function withBom(text: string): string {
  return text.startsWith('\uFEFF') ? text : `\uFEFF${text}`
}

/**
 * The CSV body. In WeChat the API client hands back the text as is. H5's Taro.request can only
 * parse JSON, so there the file is read with fetch and the session's bearer token, after one cheap
 * call through the API client that refreshes an expired token (tokens never go in a URL).
 */
async function fetchCsv(filter: HazardFilter): Promise<string> {
  const query = filterQuery(filter)
  if (isWeapp) {
    const body = await apiRequest<unknown>({ path: '/api/hazards/export.csv', query })
    if (typeof body !== 'string') throw new ApiError({ status: 200, code: 'internal_error', detail: 'the export was not text' })
    return body
  }
  await apiRequest<unknown>({ path: '/api/hazards', query: { ...query, limit: 1 } })
  const token = getSession()?.accessToken
  let res: Response
  try {
    res = await fetch(buildUrl('/api/hazards/export.csv', query), { headers: token ? { Authorization: `Bearer ${token}` } : {} })
  } catch (err) {
    throw networkError(err instanceof Error ? err.message : String(err))
  }
  if (!res.ok) throw apiErrorFromResponse(res.status, await res.json().catch(() => null))
  return res.text()
}
