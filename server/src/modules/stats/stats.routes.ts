import Router from '@koa/router'
import { STAFF_ROLES, StatsQuerySchema } from '@palm/shared'
import type { AppDeps } from '../../deps'
import { requireRole } from '../../http/auth'
import { parseQuery } from '../../http/validate'
import { computeStats } from './stats.service'

/** `GET /api/stats`: staff only (403 for citizens); a unit outside the caller's scope is a 404. */
export function createStatsRouter(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api/stats' })

  router.get('/', async function statsRoute(ctx) {
    const actor = requireRole(ctx, STAFF_ROLES)
    const query = parseQuery(ctx, StatsQuerySchema)
    ctx.body = await computeStats(deps.ds.manager, actor, query, deps.now())
  })

  return router
}
