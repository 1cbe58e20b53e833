import Taro from '@tarojs/taro'
import type { Role } from '@palm/shared'
import { apiRequest } from './api-client'
import { clearSession, getSession, saveSession, type Session, type SessionUser, type TokenResponse } from './session'

/** Demo personas (api.md `POST /api/auth/demo`); staff personas take the scope named by a code. */
export type DemoPersona = Role

export interface DemoSignInInput {
  persona: DemoPersona
  key?: string
  gridCode?: string
  communityCode?: string
  streetCode?: string
  departmentCode?: string
}

export const authService = {
  /** In WeChat: wx.login → code → our server exchanges it (the session_key never reaches the phone). */
  async signInWithWeChat(): Promise<Session> {
    const { code } = await Taro.login()
    const tokens = await apiRequest<TokenResponse>({ method: 'POST', path: '/api/auth/wechat', body: { code }, auth: false })
    return saveSession(tokens)
  },

  /** H5 inside WeChat: the snsapi_base OAuth code from the redirect. */
  async signInWithWeChatWeb(code: string): Promise<Session> {
    const tokens = await apiRequest<TokenResponse>({ method: 'POST', path: '/api/auth/wechat-web', body: { code }, auth: false })
    return saveSession(tokens)
  },

  /** Demo mode only; the server answers 404 elsewhere. */
  async signInDemo(input: DemoSignInInput): Promise<Session> {
    const tokens = await apiRequest<TokenResponse>({ method: 'POST', path: '/api/auth/demo', body: input, auth: false })
    return saveSession(tokens)
  },

  me: () => apiRequest<SessionUser>({ path: '/api/me' }),

  /** Ends the session on the server too; local data goes even when the server cannot be reached. */
  async signOut(): Promise<void> {
    const session = getSession()
    try {
      if (session) await apiRequest<unknown>({ method: 'POST', path: '/api/auth/logout', body: { refreshToken: session.refreshToken } })
    } catch {
      // Signing out must always work locally; the refresh token expires on its own.
    } finally {
      clearSession('all')
    }
  }
}
