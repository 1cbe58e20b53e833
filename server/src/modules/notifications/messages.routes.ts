import Router from '@koa/router'
import { MarkMessagesReadSchema, PageQuerySchema, RecordSubscriptionsSchema } from '@palm/shared'
import type { AppDeps } from '../../deps'
import { requireActor } from '../../http/auth'
import { parseBody, parseQuery } from '../../http/validate'
import { presentMessagePage } from './messages.presenter'
import { countUnread, listMessages, markMessagesRead } from './messages.service'
import { listSubscriptions, recordSubscriptions } from './subscriptions.service'

/** /api/messages: the caller's own message centre and subscribe-message grants (sign-in required). */
export function createMessagesRouter(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api/messages' })

  router.get('/', async function listMessagesRoute(ctx) {
    const actor = requireActor(ctx)
    const query = parseQuery(ctx, PageQuerySchema)
    ctx.body = presentMessagePage(await listMessages(deps.ds.manager, actor, query))
  })

  router.get('/unread-count', async function unreadCountRoute(ctx) {
    const actor = requireActor(ctx)
    ctx.body = { count: await countUnread(deps.ds.manager, actor) }
  })

  router.post('/read', async function markReadRoute(ctx) {
    const actor = requireActor(ctx)
    const input = parseBody(ctx, MarkMessagesReadSchema)
    ctx.body = { updated: await markMessagesRead(deps, actor, input) }
  })

  router.get('/subscriptions', async function listSubscriptionsRoute(ctx) {
    const actor = requireActor(ctx)
    ctx.body = await listSubscriptions(deps, actor)
  })

  router.post('/subscriptions', async function recordSubscriptionsRoute(ctx) {
    const actor = requireActor(ctx)
    const input = parseBody(ctx, RecordSubscriptionsSchema)
    ctx.body = await recordSubscriptions(deps, actor, input)
  })

  return router
}
