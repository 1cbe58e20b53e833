import Router from '@koa/router'
import { CreateAccountSchema, ListAccountsQuerySchema, UpdateAccountSchema } from '@palm/shared'
import type { AppDeps } from '../../deps'
import { requireRole } from '../../http/auth'
import { parseBody, parseQuery } from '../../http/validate'
import { presentAccount, presentAccounts } from './accounts.presenter'
import { ACCOUNT_MANAGERS, ACCOUNT_READERS } from './accounts.scope'
import { createAccount, getAccount, listAccounts, resetAccountPassword, resetAccountTotp, setAccountDisabled, updateAccount } from './accounts.service'

/**
 * /api/admin/accounts: staff accounts for the district, street and community (docs/accounts-and-duty.md).
 * The role is checked first (403), then the body (400), then the object's scope (404).
 */
export function createAccountsRouter(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api/admin/accounts' })

  router.get('/', async function listAccountsRoute(ctx) {
    const actor = requireRole(ctx, ACCOUNT_READERS)
    const slice = await listAccounts(deps, actor, parseQuery(ctx, ListAccountsQuerySchema))
    ctx.body = { items: await presentAccounts(deps.ds, slice.items, deps.now()), nextCursor: slice.nextCursor }
  })

  router.get('/:id', async function getAccountRoute(ctx) {
    const actor = requireRole(ctx, ACCOUNT_READERS)
    ctx.body = await presentAccount(deps.ds, await getAccount(deps, actor, ctx.params.id ?? ''), deps.now())
  })

  router.post('/', async function createAccountRoute(ctx) {
    const actor = requireRole(ctx, ACCOUNT_MANAGERS)
    const created = await createAccount(deps, actor, parseBody(ctx, CreateAccountSchema))
    ctx.status = 201
    ctx.body = {
      account: await presentAccount(deps.ds, created.row, deps.now()),
      oneTimePassword: created.oneTimePassword,
      ...(created.totpUri ? { totpUri: created.totpUri } : {})
    }
  })

  router.patch('/:id', async function updateAccountRoute(ctx) {
    const actor = requireRole(ctx, ACCOUNT_MANAGERS)
    const row = await updateAccount(deps, actor, ctx.params.id ?? '', parseBody(ctx, UpdateAccountSchema))
    ctx.body = await presentAccount(deps.ds, row, deps.now())
  })

  for (const [action, disabled] of [
    ['disable', true],
    ['enable', false]
  ] as const) {
    router.post(`/:id/${action}`, async function setDisabledRoute(ctx) {
      const actor = requireRole(ctx, ACCOUNT_MANAGERS)
      ctx.body = await presentAccount(deps.ds, await setAccountDisabled(deps, actor, ctx.params.id ?? '', disabled), deps.now())
    })
  }

  router.post('/:id/reset-password', async function resetPasswordRoute(ctx) {
    const actor = requireRole(ctx, ACCOUNT_MANAGERS)
    ctx.body = await resetAccountPassword(deps, actor, ctx.params.id ?? '')
  })

  router.post('/:id/reset-totp', async function resetTotpRoute(ctx) {
    const actor = requireRole(ctx, ACCOUNT_MANAGERS)
    ctx.body = await resetAccountTotp(deps, actor, ctx.params.id ?? '')
  })

  return router
}
