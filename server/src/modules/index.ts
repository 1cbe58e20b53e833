import type Router from '@koa/router'
import type { AppDeps } from '../deps'
import { createAuthRouter } from './auth/index'
import { createAccountsRouter } from './accounts/index'
import { createDutyRouter } from './duty/index'
import { createDepartmentsRouter, createRoutingRouter } from './routing/index'
import { createAdminCategoriesRouter, createCategoriesRouter } from './sla/index'
import { createStatsRouter, statsTicketHook } from './stats/index'
import { createTerritoryAdminRouter, createTerritoryRouter } from './territory/index'
import { createHazardsRouter } from './hazards/index'
import { createLegalRouter } from './legal/index'
import { createTestingPointRequestsRouter, createTestingPointsRouter } from './testing-points/index'
import { createVolunteersRouter } from './volunteers/index'
import { createReplyTemplatesRouter, createTicketsRouter } from './tickets/index'
import { createUploadsRouter } from './uploads/index'
import { createMessagesRouter, notifyTicketEvent } from './notifications/index'
import { createPublicBoardRouter, createReviewRouter, publicationHook } from './publication/index'
import { registerTicketEventHooks, type TicketEventHook } from './tickets/index'
import { createPrivacyRouter } from './privacy/index'
import { createOpen311AdminRouter, createOpen311Router } from './open311/index'
import { createAuditRouter } from './audit/index'
import { createPlacesRouter } from './places/index'
import { createMapsRouter } from './maps/index'

/**
 * Every module that hears of ticket events, in the order they run inside the transaction of each
 * event (tickets/ticket-events.ts): messages and WeChat outbox rows, the public board's copy, then
 * the statistics' per-ticket facts and daily rows.
 * A module that listens adds one entry here; nothing registers itself by being imported.
 */
export const TICKET_EVENT_HOOKS: readonly TicketEventHook[] = [notifyTicketEvent, publicationHook, statsTicketHook]

/** Registers the modules' hooks: once at start-up, by createApp (and by a process that files tickets without an app). */
export function registerModuleHooks(): void {
  registerTicketEventHooks(TICKET_EVENT_HOOKS)
}

/** Every module's router, each with its own `/api/<module>` prefix. A new module adds one line. */
export function moduleRouters(deps: AppDeps): Router[] {
  // The categories router comes before the tickets router, so /api/tickets/categories is not read as a ticket id;
  // likewise /testing-points/requests before the router that reads /testing-points/:id.
  return [
    createTerritoryRouter(deps),
    createTerritoryAdminRouter(deps),
    createAuthRouter(deps),
    createAccountsRouter(deps),
    createDutyRouter(deps),
    createCategoriesRouter(deps),
    createRoutingRouter(deps),
    createAdminCategoriesRouter(deps),
    createDepartmentsRouter(deps),
    createStatsRouter(deps),
    createTicketsRouter(deps),
    createReplyTemplatesRouter(deps),
    createUploadsRouter(deps),
    createMessagesRouter(deps),
    createPublicBoardRouter(deps),
    createReviewRouter(deps),
    createPrivacyRouter(deps),
    createOpen311Router(deps),
    createOpen311AdminRouter(deps),
    createTestingPointRequestsRouter(deps),
    createTestingPointsRouter(deps),
    createLegalRouter(deps),
    createHazardsRouter(deps),
    createVolunteersRouter(deps),
    createAuditRouter(deps),
    createMapsRouter(deps),
    createPlacesRouter(deps)
  ]
}
