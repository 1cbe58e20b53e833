import type Router from '@koa/router'
import type { AppDeps } from '../deps'
import { createAuthRouter } from './auth/index'
import { createAccountsRouter } from './accounts/index'
import { createDutyRouter } from './duty/index'
import { createDepartmentsRouter, createRoutingRouter } from './routing/index'
import { createAdminCategoriesRouter, createCategoriesRouter } from './sla/index'
import { createStatsRouter } from './stats/index'
import { createTerritoryAdminRouter, createTerritoryRouter } from './territory/index'
import { serviceRouters } from './service-support/service-routers'
import { createTicketsRouter } from './tickets/index'
import { createUploadsRouter } from './uploads/index'
import { createMessagesRouter } from './notifications/index'
import { createPublicBoardRouter, createReviewRouter } from './publication/index'
import { createPrivacyRouter } from './privacy/index'
import { createOpen311AdminRouter, createOpen311Router } from './open311/index'
import { createAuditRouter } from './audit/index'
import { createPlacesRouter } from './places/index'
import { createMapsRouter } from './maps/index'

/** Every module's router, each with its own `/api/<module>` prefix. A new module adds one line. */
export function moduleRouters(deps: AppDeps): Router[] {
  // The categories router comes before the tickets router, so /api/tickets/categories is not read as a ticket id.
  return [createTerritoryRouter(deps), createTerritoryAdminRouter(deps), createAuthRouter(deps), createAccountsRouter(deps), createDutyRouter(deps), createCategoriesRouter(deps), createRoutingRouter(deps), createAdminCategoriesRouter(deps), createDepartmentsRouter(deps), createStatsRouter(deps), createTicketsRouter(deps), createUploadsRouter(deps), createMessagesRouter(deps), createPublicBoardRouter(deps), createReviewRouter(deps), createPrivacyRouter(deps), createOpen311Router(deps), createOpen311AdminRouter(deps), ...serviceRouters(deps), createAuditRouter(deps), createMapsRouter(deps), createPlacesRouter(deps)]
}
