import Router from '@koa/router'
import { CreateHazardSchema, FromTicketHazardSchema, HazardQuerySchema, HazardTransitionSchema, chinaClock } from '@palm/shared'
import { auditStaffRead, withAuditedTx } from '../audit/index'
import type { AppDeps } from '../../deps'
import { requireRole } from '../../http/auth'
import { parseBody, parseQuery } from '../../http/validate'
import { toCsv } from '../../http/csv'
import { HAZARD_CSV_HEADER, hazardCsvRow, presentHazardDetail, presentHazards } from './hazards.presenter'
import { HAZARD_READERS, HAZARD_WRITERS } from './hazards.policy'
import { createHazard, createHazardFromTicket, exportHazards, getHazard, listHazards, transitionHazard } from './hazards.service'

/** The hazard ledger (隐患台账): staff only, each within their scope; the CSV export opens in Excel. */
export function createHazardsRouter(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api/hazards' })
  const { ds } = deps

  router.get('/', async function listLedger(ctx) {
    const actor = requireRole(ctx, HAZARD_READERS)
    const query = parseQuery(ctx, HazardQuerySchema)
    const page = await listHazards(ds.manager, deps, actor, query)
    ctx.body = { items: await presentHazards(ds.manager, page.entries, deps.now()), nextCursor: page.nextCursor }
  })
  router.get('/export.csv', async function exportLedger(ctx) {
    const actor = requireRole(ctx, HAZARD_READERS)
    const query = parseQuery(ctx, HazardQuerySchema)
    const rows = await presentHazards(ds.manager, await exportHazards(ds.manager, deps, actor, query), deps.now())
    await auditStaffRead(ctx, ds, 'service.export', 'hazard', { rows: rows.length, filters: query })
    ctx.set('Content-Disposition', `attachment; filename="hazard-ledger-${chinaClock(deps.now()).dateKey}.csv"`)
    ctx.set('Cache-Control', 'no-store')
    ctx.type = 'text/csv; charset=utf-8'
    ctx.body = toCsv(HAZARD_CSV_HEADER, rows.map(hazardCsvRow))
  })
  router.post('/', async function reportHazard(ctx) {
    const actor = requireRole(ctx, HAZARD_WRITERS)
    const input = parseBody(ctx, CreateHazardSchema)
    const created = await withAuditedTx(ctx, ds, 'hazard', (em) => createHazard(em, deps, actor, input))
    ctx.status = 201
    ctx.body = await presentHazardDetail(ds.manager, await getHazard(ds.manager, actor, created.id), deps.now())
  })
  router.post('/from-ticket/:ticketId', async function enterTipInLedger(ctx) {
    const actor = requireRole(ctx, HAZARD_WRITERS)
    const input = parseBody(ctx, FromTicketHazardSchema)
    const created = await withAuditedTx(ctx, ds, 'hazard', (em) => createHazardFromTicket(em, deps, actor, ctx.params.ticketId ?? '', input))
    ctx.status = 201
    ctx.body = await presentHazardDetail(ds.manager, await getHazard(ds.manager, actor, created.id), deps.now())
  })
  router.get('/:id', async function showEntry(ctx) {
    const actor = requireRole(ctx, HAZARD_READERS)
    ctx.body = await presentHazardDetail(ds.manager, await getHazard(ds.manager, actor, ctx.params.id ?? ''), deps.now())
  })
  router.post('/:id/transitions', async function moveEntry(ctx) {
    const actor = requireRole(ctx, HAZARD_READERS)
    const input = parseBody(ctx, HazardTransitionSchema)
    const moved = await withAuditedTx(ctx, ds, 'hazard', (em) => transitionHazard(em, deps, actor, ctx.params.id ?? '', input))
    ctx.body = await presentHazardDetail(ds.manager, await getHazard(ds.manager, actor, moved.id), deps.now())
  })
  return router
}
