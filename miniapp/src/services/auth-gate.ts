import Taro from '@tarojs/taro'
import { getSession, updateSessionUser } from './session'
import { StorageKeys, removeStored } from './storage'

/** The forced password change page (registered in app.config.ts under packages/auth). */
export const CHANGE_PASSWORD_PATH = '/packages/auth/change-password/index'

let lastRedirect = 0

function currentRoute(): string {
  const pages = typeof Taro.getCurrentPages === 'function' ? Taro.getCurrentPages() : []
  const top = pages[pages.length - 1]
  return top?.route ? `/${top.route.replace(/^\//, '')}` : ''
}

/**
 * The one reaction to 403 `password_change_required` (a first sign-in, or an admin's reset): the
 * session is marked, and the app goes to the password change page, once, wherever the call came
 * from. Pages never handle this code themselves.
 */
export function passwordChangeRequired(): void {
  if (!getSession()) return
  updateSessionUser({ mustChangePassword: true })
  const now = Date.now()
  if (now - lastRedirect < 2_000) return
  if (currentRoute().startsWith(CHANGE_PASSWORD_PATH)) return
  lastRedirect = now
  void Taro.navigateTo({ url: CHANGE_PASSWORD_PATH }).catch(() => Taro.redirectTo({ url: CHANGE_PASSWORD_PATH }))
}

/** The privacy notice page (registered in app.config.ts under packages/auth). */
export const PRIVACY_PATH = '/packages/auth/privacy/index'
let lastConsentRedirect = 0

/**
 * The one reaction to 403 `consent_required` (no current consent on the server: never given from
 * this account, withdrawn, or an older policy version): the local record stops counting and the
 * app opens the privacy notice, where agreeing records the consent on the server. Pages never
 * handle this code themselves; the caller still gets the error.
 */
export function consentRequired(): void {
  // The server has no current consent, so the one on this phone no longer counts: the notice offers 同意 again.
  removeStored(StorageKeys.privacyConsent)
  const now = Date.now()
  if (now - lastConsentRedirect < 2_000) return
  if (currentRoute().startsWith(PRIVACY_PATH)) return
  lastConsentRedirect = now
  void Taro.navigateTo({ url: PRIVACY_PATH }).catch(() => Taro.redirectTo({ url: PRIVACY_PATH }))
}
