import Taro from '@tarojs/taro'
import { getSession, updateSessionUser } from './session'

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
