import Router from '@koa/router'
import { PageQuerySchema } from '@palm/shared'
import type { AppDeps } from '../../deps'
import { parseQuery } from '../../http/validate'
import { presentPublicPage } from './publication.presenter'
import { listPublished } from './publication.service'

/** `GET /api/public/tickets`: the public board, no sign-in. */
export function createPublicBoardRouter(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api/public/tickets' })

  router.get('/', async function publicBoardRoute(ctx) {
    const query = parseQuery(ctx, PageQuerySchema)
    ctx.body = presentPublicPage(await listPublished(deps.ds.manager, query))
  })

  return router
}
