import type Router from '@koa/router'
import type { AppDeps } from '../../deps'
import { createHazardsRouter } from '../hazards/index'
import { createLegalRouter } from '../legal/index'
import { createTestingPointRequestsRouter, createTestingPointsRouter } from '../testing-points/index'
import { createVolunteersRouter } from '../volunteers/index'

/**
 * The resident services' routers, in mounting order (a fixed path such as /testing-points/requests
 * comes before the router that reads /testing-points/:id). Registered once in modules/index.ts.
 */
export function serviceRouters(deps: AppDeps): Router[] {
  return [createTestingPointRequestsRouter(deps), createTestingPointsRouter(deps), createLegalRouter(deps), createHazardsRouter(deps), createVolunteersRouter(deps)]
}
