import { appConfig } from '../config'
import { isInsideWeChatBrowser } from '../utils/platform'
import { authService } from './auth.service'
import type { Session } from './session'

const OAUTH_STATE = 'palm-signin'

/**
 * Web OAuth is possible only in WeChat's browser with an official-account appid: the server's
 * (`GET /api/meta` wechatWebAppId) when it names one, else the build's.
 */
export function canUseWeChatWebOAuth(appId: string = appConfig.appId): boolean {
  return isInsideWeChatBrowser() && appId !== ''
}

/** Sends the browser to WeChat's snsapi_base consent-free authorisation; it comes back with ?code=. */
export function startWeChatWebOAuth(appId: string = appConfig.appId): void {
  const back = `${window.location.origin}${window.location.pathname}${window.location.hash}`
  const url =
    'https://open.weixin.qq.com/connect/oauth2/authorize' +
    `?appid=${encodeURIComponent(appId)}&redirect_uri=${encodeURIComponent(back)}` +
    `&response_type=code&scope=snsapi_base&state=${OAUTH_STATE}#wechat_redirect`
  window.location.href = url
}

/**
 * On start-up in H5: when WeChat has redirected back with a code, exchange it and remove it from
 * the address bar (a code is single-use, and a reload must not replay it).
 */
export async function completeWeChatWebOAuth(): Promise<Session | undefined> {
  if (typeof window === 'undefined') return undefined
  const params = new URLSearchParams(window.location.search)
  const code = params.get('code')
  if (!code || params.get('state') !== OAUTH_STATE) return undefined
  window.history.replaceState(null, '', `${window.location.pathname}${window.location.hash}`)
  return authService.signInWithWeChatWeb(code)
}
