import Router from '@koa/router'
import { CreateTestingPointSchema, TestingPointQuerySchema, UpdateTestingPointSchema } from '@palm/shared'
import { withAuditedTx } from '../audit/index'
import type { AppDeps } from '../../deps'
import { requireRole } from '../../http/auth'
import { parseBody, parseQuery } from '../../http/validate'
import { presentOneTestingPoint, presentTestingPoints } from './testing-points.presenter'
import { TESTING_POINT_EDITORS } from './testing-points.policy'
import { createTestingPoint, getTestingPoint, listTestingPoints, updateTestingPoint } from './testing-points.service'

/**
 * Testing points (api.md "Services"): anyone lists them, nearest first; staff in scope write under
 * the same path. Requests for new points are tickets (see testing-point-requests.routes.ts).
 */
export function createTestingPointsRouter(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api/testing-points' })
  const { ds } = deps

  router.get('/', async function listPoints(ctx) {
    const query = parseQuery(ctx, TestingPointQuerySchema)
    const now = deps.now()
    ctx.body = { items: await presentTestingPoints(ds.manager, await listTestingPoints(ds.manager, now, query), now) }
  })
  router.post('/', async function createPoint(ctx) {
    const actor = requireRole(ctx, TESTING_POINT_EDITORS)
    const input = parseBody(ctx, CreateTestingPointSchema)
    const point = await withAuditedTx(ctx, ds, 'testing_point', (em) => createTestingPoint(em, deps.now(), actor, input))
    ctx.status = 201
    ctx.body = await presentOneTestingPoint(ds.manager, point, deps.now())
  })
  router.get('/:id', async function showPoint(ctx) {
    ctx.body = await presentOneTestingPoint(ds.manager, await getTestingPoint(ds.manager, ctx.params.id ?? ''), deps.now())
  })
  router.patch('/:id', async function editPoint(ctx) {
    const actor = requireRole(ctx, TESTING_POINT_EDITORS)
    const input = parseBody(ctx, UpdateTestingPointSchema)
    const point = await withAuditedTx(ctx, ds, 'testing_point', (em) => updateTestingPoint(em, deps.now(), actor, ctx.params.id ?? '', input))
    ctx.body = await presentOneTestingPoint(ds.manager, point, deps.now())
  })
  return router
}
