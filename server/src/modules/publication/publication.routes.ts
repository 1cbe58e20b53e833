import Router from '@koa/router'
import { PageQuerySchema, ReleasePublicationSchema, ReviewQueueQuerySchema } from '@palm/shared'
import type { AppDeps } from '../../deps'
import { requireActor } from '../../http/auth'
import { parseBody, parseQuery } from '../../http/validate'
import { presentPublicPage } from './publication.presenter'
import { listPublished } from './publication.service'
import { listHeld, releaseHeld, withholdHeld } from './review.service'

/** `GET /api/public/tickets`: the public board, no sign-in. */
export function createPublicBoardRouter(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api/public/tickets' })

  router.get('/', async function publicBoardRoute(ctx) {
    const query = parseQuery(ctx, PageQuerySchema)
    ctx.body = presentPublicPage(await listPublished(deps.ds.manager, query))
  })

  return router
}

/**
 * The review queue of held board items (docs/residents-data.md): `GET /api/publication/review`,
 * `POST /api/publication/review/:id/release {maskedText?}` and `…/withhold`, for community staff
 * (their community), street and district admins.
 */
export function createReviewRouter(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api/publication/review' })

  router.get('/', async function reviewQueueRoute(ctx) {
    const actor = requireActor(ctx)
    ctx.body = { items: await listHeld(deps.ds.manager, actor, parseQuery(ctx, ReviewQueueQuerySchema)) }
  })

  router.post('/:id/release', async function releaseHeldRoute(ctx) {
    const actor = requireActor(ctx)
    ctx.body = await releaseHeld(deps, actor, ctx.params.id ?? '', parseBody(ctx, ReleasePublicationSchema))
  })

  router.post('/:id/withhold', async function withholdHeldRoute(ctx) {
    ctx.body = await withholdHeld(deps, requireActor(ctx), ctx.params.id ?? '')
  })

  return router
}
