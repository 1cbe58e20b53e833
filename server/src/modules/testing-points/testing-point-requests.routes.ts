import Router from '@koa/router'
import { ApproveTestingPointRequestSchema } from '@palm/shared'
import { z } from 'zod'
import { auditStaffRead, withAuditedTx } from '../audit/index'
import type { AppDeps } from '../../deps'
import { requireActor, requireRole } from '../../http/auth'
import { parseBody, parseQuery } from '../../http/validate'
import { presentApproval, presentOpenRequests, presentSupport } from './testing-point-requests.presenter'
import { approveRequest, getSupportedRequest, listOpenRequests, supportRequest } from './testing-point-requests.service'
import { REQUEST_APPROVERS, SUPPORTER_ROLES } from './testing-points.policy'

const RequestQuerySchema = z
  .object({
    communityCode: z.string().max(16).optional(),
    lat: z.coerce.number().min(-90).max(90).optional(),
    lng: z.coerce.number().min(-180).max(180).optional(),
    limit: z.coerce.number().int().min(1).max(50).default(20)
  })
  .refine((q) => (q.lat === undefined) === (q.lng === undefined), { message: 'give both lat and lng, or neither', path: ['lng'] })

/**
 * Requests for new testing points are tickets (`POST /api/tickets`, kind testing_point_request);
 * this router adds support (+1) under /api/tickets/:id/support, the open requests near a resident,
 * and the community's approval that publishes the point.
 */
export function createTestingPointRequestsRouter(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api' })
  const { ds } = deps

  router.post('/tickets/:id/support', async function supportRequestedPoint(ctx) {
    const actor = requireRole(ctx, SUPPORTER_ROLES)
    ctx.status = 201
    ctx.body = await withAuditedTx(ctx, ds, 'testing_point_request', async (em) => presentSupport(em, actor, (await supportRequest(em, deps, actor, ctx.params.id ?? '')).id))
  })
  router.get('/tickets/:id/support', async function showSupport(ctx) {
    const actor = requireActor(ctx)
    const request = await getSupportedRequest(ds.manager, ctx.params.id ?? '')
    ctx.body = await presentSupport(ds.manager, actor, request.id)
  })
  router.get('/testing-points/requests', async function listRequests(ctx) {
    const actor = requireActor(ctx)
    const items = await presentOpenRequests(ds.manager, actor, await listOpenRequests(ds.manager, parseQuery(ctx, RequestQuerySchema)))
    await auditStaffRead(ctx, ds, 'service.view_personal', 'testing_point_request', { rows: items.length })
    ctx.body = { items }
  })
  router.post('/testing-points/requests/:ticketId/approve', async function approveRequestedPoint(ctx) {
    const actor = requireRole(ctx, REQUEST_APPROVERS)
    const input = parseBody(ctx, ApproveTestingPointRequestSchema)
    const approved = await withAuditedTx(ctx, ds, 'testing_point_request', (em) => approveRequest(em, deps, actor, ctx.params.ticketId ?? '', input))
    ctx.status = 201
    ctx.body = await presentApproval(ds.manager, approved, deps.now())
  })
  return router
}
