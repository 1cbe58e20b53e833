import type { AppDeps } from '../../deps'
import { withWrite } from '../../db/tx'
import { ForbiddenError, RateLimitedError, ServiceUnavailableError, UnauthenticatedError } from '../../errors'
import { WeChatError, type WeChatClient, type WeChatIdentity } from '../wechat/index'
import { totpRequired } from './staff-sign-in.service'
import { findOrInsertUser, newUserRow } from './users.repo'
import { User } from './user.entity'

export type WeChatSource = 'mini' | 'web'

/**
 * Turns a WeChat failure into what the resident's client should do (docs/security.md WX-3, API6-3):
 * ask wx.login for a new code (401), back off (429), stop (403), or retry later (503).
 */
function mapWeChatError(err: WeChatError): Error {
  switch (err.kind) {
    case 'invalid_code':
      return new UnauthenticatedError('The WeChat login code is invalid or already used; call wx.login again.', 'invalid_code')
    case 'rate_limited':
      return new RateLimitedError(60, 'WeChat is limiting sign-ins right now; try again in a minute.')
    case 'risky_user':
      return new ForbiddenError('WeChat has flagged this account as high-risk, so sign-in is blocked. Contact WeChat support if this is a mistake.', 'wechat_risky_user')
    default:
      return new ServiceUnavailableError('wechat_unavailable', 'WeChat did not answer in time; try again shortly.', 5)
  }
}

/** Trades a WeChat code for the identity WeChat vouches for; failures become what the client should do. */
export async function exchangeCode(deps: AppDeps, wechat: WeChatClient, source: WeChatSource, code: string): Promise<WeChatIdentity> {
  try {
    return source === 'mini' ? await wechat.code2Session(code) : await wechat.webOAuthExchange(code)
  } catch (err) {
    if (!(err instanceof WeChatError)) throw err
    deps.log.warn({ source, errcode: err.errcode, kind: err.kind }, 'wechat sign-in refused')
    throw mapWeChatError(err)
  }
}

/**
 * A resident signs in with a WeChat code: WeChat vouches for the openid, and the account is found
 * or created by it (unionid kept when WeChat sends one). Nothing is created when WeChat refuses.
 * A staff account that bound this WeChat (POST /api/me/wechat) is found the same way: one tap.
 * @throws UnauthenticatedError `invalid_code` / `account_disabled`, RateLimitedError, ForbiddenError
 *   `wechat_risky_user`, ServiceUnavailableError `wechat_unavailable`
 */
export async function signInWithWeChat(deps: AppDeps, wechat: WeChatClient, source: WeChatSource, code: string): Promise<User> {
  const identity = await exchangeCode(deps, wechat, source, code)
  const now = deps.now()
  const candidate = newUserRow('resident', '微信用户', now, { openid: identity.openid, unionid: identity.unionid ?? null, openidSource: source })
  candidate.displayName = `微信用户${candidate.id.slice(0, 4).toUpperCase()}`
  const { user } = await findOrInsertUser(deps, { openid: identity.openid }, candidate)
  if (user.disabled) throw new UnauthenticatedError('This account is disabled.', 'account_disabled')
  // A staff member who bound this WeChat signs in with one tap, unless the account needs a second factor.
  if (totpRequired(user)) throw new UnauthenticatedError('This account signs in with its password and authenticator code.', 'totp_required')
  if (identity.unionid && user.unionid !== identity.unionid) {
    await withWrite(deps.ds, (em) => em.getRepository(User).update({ id: user.id }, { unionid: identity.unionid, updatedAt: now }))
    user.unionid = identity.unionid
  }
  return user
}
