import Router from '@koa/router'
import { CreateTestingPointSchema, TestingPointQuerySchema, UpdateTestingPointSchema } from '@palm/shared'
import { withAuditedTx } from '../audit/index'
import type { AppDeps } from '../../deps'
import { requireRole } from '../../http/auth'
import { parseBody, parseQuery } from '../../http/validate'
import { TESTING_POINT_EDITORS, createTestingPoint, getTestingPoint, listTestingPoints, updateTestingPoint } from './testing-points.service'

/**
 * Testing points (api.md "Services"): anyone lists them, nearest first; staff in scope write under
 * the same path. Requests for new points are tickets (see testing-point-requests.routes.ts).
 */
export function createTestingPointsRouter(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api/testing-points' })
  const { ds } = deps

  router.get('/', async (ctx) => {
    const query = parseQuery(ctx, TestingPointQuerySchema)
    ctx.body = { items: await listTestingPoints(ds.manager, deps.now(), query) }
  })
  router.post('/', async (ctx) => {
    const actor = requireRole(ctx, TESTING_POINT_EDITORS)
    const input = parseBody(ctx, CreateTestingPointSchema)
    ctx.status = 201
    ctx.body = await withAuditedTx(ctx, ds, 'testing_point', (em) => createTestingPoint(em, deps.now(), actor, input))
  })
  router.get('/:id', async (ctx) => {
    ctx.body = await getTestingPoint(ds.manager, deps.now(), ctx.params.id ?? '')
  })
  router.patch('/:id', async (ctx) => {
    const actor = requireRole(ctx, TESTING_POINT_EDITORS)
    const input = parseBody(ctx, UpdateTestingPointSchema)
    ctx.body = await withAuditedTx(ctx, ds, 'testing_point', (em) => updateTestingPoint(em, deps.now(), actor, ctx.params.id ?? '', input))
  })
  return router
}
