import { isStaffRole } from '@palm/shared'
import { QueryFailedError } from 'typeorm'
import type { AppDeps } from '../../deps'
import { withTx } from '../../db/tx'
import { recordAudit } from '../audit/index'
import { ConflictError, ForbiddenError, UnauthenticatedError } from '../../errors'
import type { WeChatClient } from '../wechat/index'
import type { Actor } from './actor'
import { totpRequired } from './staff-sign-in.service'
import { User } from './user.entity'
import { exchangeCode } from './wechat-sign-in.service'

const alreadyBound = () => new ConflictError('wechat_already_bound', 'This WeChat account is already bound to another account.')

async function loadStaff(deps: AppDeps, actor: Actor): Promise<User> {
  if (!isStaffRole(actor.role)) throw new ForbiddenError('Only staff accounts bind a WeChat account; residents sign in with it.')
  const user = await deps.ds.getRepository(User).findOneBy({ id: actor.id })
  if (!user) throw new UnauthenticatedError('This account no longer exists.', 'invalid_token')
  return user
}

/**
 * Binds the WeChat account of a `wx.login` code to the signed-in staff account, so later sign-ins
 * are one tap (POST /api/auth/wechat) and subscribe messages reach the staff member. The openid is
 * unique over all users: one held by anyone else (a resident included) is refused, and the unique
 * index settles two binds racing. Accounts that need an authenticator code cannot bind (one tap
 * would skip the second factor).
 * @throws ForbiddenError (not staff; TOTP account), ConflictError `wechat_already_bound`, the WeChat
 *   sign-in errors (`invalid_code`, rate limit, `wechat_unavailable`)
 */
export async function bindStaffWeChat(deps: AppDeps, wechat: WeChatClient, actor: Actor, code: string): Promise<User> {
  const user = await loadStaff(deps, actor)
  if (totpRequired(user)) throw new ForbiddenError('Accounts with an authenticator sign in with password and code; they cannot bind WeChat.')
  const identity = await exchangeCode(deps, wechat, 'mini', code)
  const holder = await deps.ds.getRepository(User).findOneBy({ openid: identity.openid })
  if (holder && holder.id !== user.id) throw alreadyBound()
  const changes = { openid: identity.openid, unionid: identity.unionid ?? null, openidSource: 'mini', updatedAt: deps.now() }
  try {
    await withTx(
      deps.ds,
      async (em) => (await em.getRepository(User).update({ id: user.id }, changes), await recordAudit(em, { action: 'account.wechat_bind', objectType: 'user', objectId: user.id, actor }))
    )
  } catch (err) {
    if (err instanceof QueryFailedError) throw alreadyBound()
    throw err
  }
  deps.log.info({ userId: user.id }, 'staff bound a WeChat account')
  return Object.assign(user, changes)
}

/** Unbinds the staff member's WeChat account (idempotent): sign-in by password again, no more pushes. */
export async function unbindStaffWeChat(deps: AppDeps, actor: Actor): Promise<User> {
  const user = await loadStaff(deps, actor)
  const changes = { openid: null, unionid: null, openidSource: null, updatedAt: deps.now() }
  await withTx(
    deps.ds,
    async (em) => (await em.getRepository(User).update({ id: user.id }, changes), await recordAudit(em, { action: 'account.wechat_unbind', objectType: 'user', objectId: user.id, actor }))
  )
  return Object.assign(user, changes)
}
