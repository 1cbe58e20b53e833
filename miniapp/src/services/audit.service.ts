import Taro from '@tarojs/taro'
import type { AuditAction, AuditPage } from '@palm/shared'
import { apiRequest, buildUrl } from './api-client'
import { ApiError, apiErrorFromResponse, networkError } from './api-error'
import { getSession } from './session'
import { isWeapp } from '../utils/platform'

/** The filters of the audit page (docs/audit.md); empty ones are left out. */
export interface AuditFilter {
  actor?: string
  action?: AuditAction
  object?: string
  /** ISO date-times. */
  from?: string
  to?: string
}

const filterQuery = (f: AuditFilter) => ({ actor: f.actor || undefined, action: f.action, object: f.object || undefined, from: f.from, to: f.to })

/** The audit trail, for district admins: a filtered page (newest first) and the CSV export (itself recorded). */
export const auditService = {
  list: (filter: AuditFilter, cursor?: string) => apiRequest<AuditPage>({ path: '/api/admin/audit', query: { ...filterQuery(filter), cursor } }),

  /** Saves the filtered trail as CSV: WeChat offers to send it to a chat, H5 downloads it. Resolves with the file name. */
  async exportCsv(filter: AuditFilter): Promise<string> {
    const fileName = `审计日志-${new Date().toISOString().slice(0, 10)}.csv`
    const raw = await fetchCsv(filter)
    const text = raw.startsWith('\uFEFF') ? raw : `\uFEFF${raw}`
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

/**
 * The CSV body. WeChat's request hands back text as is; on H5 the file is read with fetch and the
 * session's bearer token, after one cheap call through the API client that refreshes an expired
 * token (tokens never go in a URL).
 */
async function fetchCsv(filter: AuditFilter): Promise<string> {
  const query = filterQuery(filter)
  if (isWeapp) {
    const body = await apiRequest<unknown>({ path: '/api/admin/audit/export.csv', query })
    if (typeof body !== 'string') throw new ApiError({ status: 200, code: 'internal_error', detail: 'the export was not text' })
    return body
  }
  await apiRequest<unknown>({ path: '/api/admin/audit', query: { ...query, limit: 1 } })
  const token = getSession()?.accessToken
  let res: Response
  try {
    res = await fetch(buildUrl('/api/admin/audit/export.csv', query), { headers: token ? { Authorization: `Bearer ${token}` } : {} })
  } catch (err) {
    throw networkError(err instanceof Error ? err.message : String(err))
  }
  if (!res.ok) throw apiErrorFromResponse(res.status, await res.json().catch(() => null))
  return res.text()
}
