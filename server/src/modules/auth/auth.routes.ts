import Router from '@koa/router'
import { RATE_LIMITS, STAFF_ROLES, BindWeChatSchema, ChangePasswordSchema, DemoSignInSchema, LogoutSchema, RefreshSessionSchema, StaffSignInSchema, WeChatSignInSchema } from '@palm/shared'
import type { AppDeps } from '../../deps'
import { requireActor, requireRole } from '../../http/auth'
import { parseBody } from '../../http/validate'
import { UnauthenticatedError } from '../../errors'
import { wechatClientFor } from '../wechat/index'
import { currentConsent } from './consent-records'
import type { Actor } from './actor'
import { presentMe, presentSession } from './auth.presenter'
import { presentMeta } from './meta.service'
import { gridCodesOfUser } from './staff-grids.repo'
import { bindStaffWeChat, unbindStaffWeChat } from './wechat-binding.service'
import { demoSignInAllowed, signInDemo } from './demo-sign-in.service'
import { loginRateLimit } from './rate-limit'
import { logout, rotateRefreshToken, startSession } from './sessions.service'
import { changePassword, signInStaff } from './staff-sign-in.service'
import { auditSignIn } from './sign-in-audit'
import { User } from './user.entity'
import { signInWithWeChat } from './wechat-sign-in.service'

/** Sign-in attempts allowed per client IP and route per minute, all instances together (see loginRateLimit). */
export const LOGIN_ATTEMPTS_PER_MINUTE = RATE_LIMITS.sign_in.max

/**
 * Sign-in for every role (api.md "Sign-in"): WeChat for residents, password (+TOTP) for staff, demo
 * personas in demo mode only (the route does not exist otherwise), refresh, logout, `/api/me`, the
 * server's meta and staff WeChat binding (docs/accounts-and-duty.md).
 */
export function createAuthRouter(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api' })
  const wechat = wechatClientFor(deps.config)
  const throttle = loginRateLimit(deps)

  router.get('/meta', function metaRoute(ctx) {
    ctx.body = presentMeta(deps.config)
  })

  router.post('/auth/wechat', throttle, async function signInWeChatMini(ctx) {
    const { code } = parseBody(ctx, WeChatSignInSchema)
    const user = await auditSignIn(deps.ds, 'wechat_mini', null, () => signInWithWeChat(deps, wechat, 'mini', code))
    ctx.body = presentSession(await startSession(deps, user))
  })

  router.post('/auth/wechat-web', throttle, async function signInWeChatWeb(ctx) {
    const { code } = parseBody(ctx, WeChatSignInSchema)
    const user = await auditSignIn(deps.ds, 'wechat_web', null, () => signInWithWeChat(deps, wechat, 'web', code))
    ctx.body = presentSession(await startSession(deps, user))
  })

  router.post('/auth/staff', throttle, async function signInStaffRoute(ctx) {
    const input = parseBody(ctx, StaffSignInSchema)
    const user = await auditSignIn(deps.ds, 'password', input, () => signInStaff(deps, input))
    ctx.body = presentSession(await startSession(deps, user))
  })

  if (demoSignInAllowed(deps.config)) {
    router.post('/auth/demo', async function signInDemoRoute(ctx) {
      const user = await signInDemo(deps, parseBody(ctx, DemoSignInSchema))
      ctx.body = presentSession(await startSession(deps, user))
    })
  }

  router.post('/auth/refresh', async function refreshRoute(ctx) {
    const { refreshToken } = parseBody(ctx, RefreshSessionSchema)
    ctx.body = presentSession(await rotateRefreshToken(deps, refreshToken))
  })

  router.post('/auth/logout', async function logoutRoute(ctx) {
    const { refreshToken } = parseBody(ctx, LogoutSchema)
    const actor = ctx.state.actor as Actor | undefined
    await logout(deps, actor?.id, refreshToken)
    ctx.status = 204
  })

  router.get('/me', async function meRoute(ctx) {
    const actor = requireActor(ctx)
    const user = await deps.ds.getRepository(User).findOneBy({ id: actor.id })
    if (!user) throw new UnauthenticatedError('This account no longer exists.', 'invalid_token')
    const me = presentMe(user, user.role === 'grid_worker' ? await gridCodesOfUser(deps.ds, user.id) : undefined)
    ctx.body = { ...me, consent: await currentConsent(deps.ds.manager, user.id) }
  })

  router.post('/me/wechat', throttle, async function bindWeChatRoute(ctx) {
    const actor = requireRole(ctx, STAFF_ROLES)
    const { code } = parseBody(ctx, BindWeChatSchema)
    const user = await bindStaffWeChat(deps, wechat, actor, code)
    ctx.body = presentMe(user, user.role === 'grid_worker' ? await gridCodesOfUser(deps.ds, user.id) : undefined)
  })

  router.delete('/me/wechat', async function unbindWeChatRoute(ctx) {
    const user = await unbindStaffWeChat(deps, requireRole(ctx, STAFF_ROLES))
    ctx.body = presentMe(user, user.role === 'grid_worker' ? await gridCodesOfUser(deps.ds, user.id) : undefined)
  })

  router.post('/me/password', throttle, async function changePasswordRoute(ctx) {
    const actor = requireActor(ctx)
    const input = parseBody(ctx, ChangePasswordSchema)
    ctx.body = presentSession(await changePassword(deps, actor, input))
  })

  return router
}
