import Router from '@koa/router'
import { CITIZEN_ROLES, GiveConsentSchema } from '@palm/shared'
import type { AppDeps } from '../../deps'
import { requireActor, requireRole } from '../../http/auth'
import { parseBody } from '../../http/validate'
import { giveConsent, withdrawConsent } from './consent.service'
import { deleteMyAccount, exportMyData } from './privacy.service'

/**
 * Residents' data rights (docs/residents-data.md): consent on the server, a copy of everything kept
 * about me, and account deletion. No route takes an id: each acts on the signed-in resident only.
 */
export function createPrivacyRouter(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api/me' })

  router.post('/consent', async function giveConsentRoute(ctx) {
    const actor = requireActor(ctx)
    ctx.body = await giveConsent(deps, actor, parseBody(ctx, GiveConsentSchema))
  })

  router.delete('/consent', async function withdrawConsentRoute(ctx) {
    await withdrawConsent(deps, requireActor(ctx))
    ctx.status = 204
  })

  router.get('/export', async function exportMyDataRoute(ctx) {
    const actor = requireRole(ctx, CITIZEN_ROLES)
    ctx.set('Cache-Control', 'no-store')
    ctx.body = await exportMyData(deps, actor)
  })

  router.delete('/', async function deleteMyAccountRoute(ctx) {
    ctx.body = await deleteMyAccount(deps, requireRole(ctx, CITIZEN_ROLES))
  })

  return router
}
