import type { AuditAction, AuditPage } from '@palm/shared'
import { apiRequest } from './api-client'
import { fetchTextExport, saveTextFile, withBom } from './file-export'

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
    const text = withBom(await fetchTextExport('/api/admin/audit/export.csv', '/api/admin/audit', filterQuery(filter)))
    return saveTextFile(`审计日志-${new Date().toISOString().slice(0, 10)}.csv`, text, 'text/csv;charset=utf-8')
  }
}
