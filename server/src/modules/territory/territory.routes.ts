import Router from '@koa/router'
import { ListCommunitiesQuerySchema, ListGridsQuerySchema, LocateQuerySchema } from '@palm/shared'
import type { AppDeps } from '../../deps'
import { parseQuery } from '../../http/validate'
import { setTerritoryPollInterval } from './grid-index-cache'
import { presentCommunity, presentDepartment, presentGrid, presentLocatedPlace, presentStreet } from './territory.presenter'
import { listCommunities, listDepartments, listGrids, listStreets, locatePoint } from './territory.service'

/** Territory reads are public (pickers and the map need them before sign-in); nothing here writes. */
export function createTerritoryRouter(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api/territory' })
  const em = deps.ds.manager
  setTerritoryPollInterval(deps.ds, deps.config.territoryPollMs)

  router.get('/streets', async (ctx) => {
    ctx.body = (await listStreets(em)).map(presentStreet)
  })

  router.get('/communities', async (ctx) => {
    const { streetCode } = parseQuery(ctx, ListCommunitiesQuerySchema)
    ctx.body = (await listCommunities(em, streetCode)).map(presentCommunity)
  })

  router.get('/departments', async (ctx) => {
    ctx.body = (await listDepartments(em)).map(presentDepartment)
  })

  router.get('/grids', async (ctx) => {
    const query = parseQuery(ctx, ListGridsQuerySchema)
    ctx.body = (await listGrids(em, query)).map(presentGrid)
  })

  router.get('/locate', async (ctx) => {
    // lat/lng in the declared system (wgs84 by default); parseQuery hands them over in WGS-84 (docs/maps.md).
    const point = parseQuery(ctx, LocateQuerySchema)
    ctx.body = presentLocatedPlace(await locatePoint(deps.ds, point))
  })

  return router
}
