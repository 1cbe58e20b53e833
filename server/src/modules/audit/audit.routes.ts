import Router from '@koa/router'
import { ExportAuditQuerySchema, ListAuditQuerySchema } from '@palm/shared'
import type { AppDeps } from '../../deps'
import { requireRole } from '../../http/auth'
import { parseQuery } from '../../http/validate'
import { toCsv } from '../../http/csv'
import { AUDIT_CSV_HEADER, auditCsvRow, presentAuditEvent } from './audit.presenter'
import { exportAudit, listAudit } from './audit.service'

/** Only the district admins read the trail (docs/audit.md); every export of it is itself a row. */
const AUDIT_READERS = ['district_admin'] as const

/** /api/admin/audit: the audit trail, filtered and keyset-paged, and its CSV export. */
export function createAuditRouter(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api/admin/audit' })

  router.get('/', async function listAuditRoute(ctx) {
    requireRole(ctx, AUDIT_READERS)
    const query = parseQuery(ctx, ListAuditQuerySchema)
    const page = await listAudit(deps.ds.manager, query)
    ctx.set('Cache-Control', 'no-store')
    ctx.body = { items: page.items.map(presentAuditEvent), nextCursor: page.nextCursor }
  })

  router.get('/export.csv', async function exportAuditRoute(ctx) {
    requireRole(ctx, AUDIT_READERS)
    const query = parseQuery(ctx, ExportAuditQuerySchema)
    const rows = await exportAudit(deps.ds, query)
    ctx.set('Content-Disposition', `attachment; filename="audit-${new Date().toISOString().slice(0, 10)}.csv"`)
    ctx.set('Cache-Control', 'no-store')
    ctx.type = 'text/csv; charset=utf-8'
    ctx.body = toCsv(AUDIT_CSV_HEADER, rows.map(auditCsvRow))
  })

  return router
}
