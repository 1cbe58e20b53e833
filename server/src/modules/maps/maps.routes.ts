import Router from '@koa/router'
import { isStaffRole, MapGridsQuerySchema, MapTicketsQuerySchema } from '@palm/shared'
import type { AppDeps } from '../../deps'
import { ForbiddenError } from '../../errors'
import { requireActor } from '../../http/auth'
import { parseQuery } from '../../http/validate'
import { mapGrids } from './map-grids'
import { mapTickets } from './map-tickets'

/**
 * /api/map (docs/maps.md): the grid layer (public, like the territory reads) and the staff map's
 * tickets (staff only, their scope only). Both answer in the `coordSystem` asked for.
 */
export function createMapsRouter(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api/map' })

  router.get('/grids', async function mapGridsRoute(ctx) {
    const query = parseQuery(ctx, MapGridsQuerySchema)
    ctx.body = await mapGrids(deps.ds, query)
    // Grids change only by an import; a minute of caching spares the phone the refetch per page.
    ctx.set('Cache-Control', 'public, max-age=60')
  })

  router.get('/tickets', async function mapTicketsRoute(ctx) {
    const actor = requireActor(ctx)
    if (!isStaffRole(actor.role)) throw new ForbiddenError('The ticket map is for staff.')
    const query = parseQuery(ctx, MapTicketsQuerySchema)
    ctx.body = await mapTickets(deps.ds.manager, deps, actor, query)
  })

  return router
}
