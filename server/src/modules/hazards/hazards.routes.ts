import Router from '@koa/router'
import { CreateHazardSchema, FromTicketHazardSchema, HazardQuerySchema, HazardTransitionSchema, chinaClock } from '@palm/shared'
import { auditStaffRead, withAuditedTx } from '../audit/index'
import type { AppDeps } from '../../deps'
import { requireRole } from '../../http/auth'
import { parseBody, parseQuery } from '../../http/validate'
import { toCsv } from '../../http/csv'
import { HAZARD_CSV_HEADER, hazardCsvRow } from './hazards.presenter'
import { HAZARD_READERS, HAZARD_WRITERS, createHazard, createHazardFromTicket, exportHazards, getHazard, listHazards, transitionHazard } from './hazards.service'

/** The hazard ledger (隐患台账): staff only, each within their scope; the CSV export opens in Excel. */
export function createHazardsRouter(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api/hazards' })
  const { ds } = deps

  router.get('/', async (ctx) => {
    const actor = requireRole(ctx, HAZARD_READERS)
    const query = parseQuery(ctx, HazardQuerySchema)
    ctx.body = await listHazards(ds.manager, deps, actor, query)
  })
  router.get('/export.csv', async (ctx) => {
    const actor = requireRole(ctx, HAZARD_READERS)
    const query = parseQuery(ctx, HazardQuerySchema)
    const rows = await exportHazards(ds.manager, deps, actor, query)
    await auditStaffRead(ctx, ds, 'service.export', 'hazard', { rows: rows.length, filters: query })
    ctx.set('Content-Disposition', `attachment; filename="hazard-ledger-${chinaClock(deps.now()).dateKey}.csv"`)
    ctx.set('Cache-Control', 'no-store')
    ctx.type = 'text/csv; charset=utf-8'
    ctx.body = toCsv(HAZARD_CSV_HEADER, rows.map(hazardCsvRow))
  })
  router.post('/', async (ctx) => {
    const actor = requireRole(ctx, HAZARD_WRITERS)
    const input = parseBody(ctx, CreateHazardSchema)
    ctx.status = 201
    ctx.body = await withAuditedTx(ctx, ds, 'hazard', (em) => createHazard(em, deps, actor, input))
  })
  router.post('/from-ticket/:ticketId', async (ctx) => {
    const actor = requireRole(ctx, HAZARD_WRITERS)
    const input = parseBody(ctx, FromTicketHazardSchema)
    ctx.status = 201
    ctx.body = await withAuditedTx(ctx, ds, 'hazard', (em) => createHazardFromTicket(em, deps, actor, ctx.params.ticketId ?? '', input))
  })
  router.get('/:id', async (ctx) => {
    const actor = requireRole(ctx, HAZARD_READERS)
    ctx.body = await getHazard(ds.manager, deps, actor, ctx.params.id ?? '')
  })
  router.post('/:id/transitions', async (ctx) => {
    const actor = requireRole(ctx, HAZARD_READERS)
    const input = parseBody(ctx, HazardTransitionSchema)
    ctx.body = await withAuditedTx(ctx, ds, 'hazard', (em) => transitionHazard(em, deps, actor, ctx.params.id ?? '', input))
  })
  return router
}
