import Taro from '@tarojs/taro'
import type { Role } from '@palm/shared'
import { apiRequest } from './api-client'
import { consentAfterSignIn } from './privacy.service'
import { clearSession, getSession, saveSession, updateSessionUser, type Session, type SessionUser, type TokenResponse } from './session'

/** `POST /api/auth/staff`: the staff form (the code of the authenticator app when the account has one). */
export interface StaffSignInInput {
  username: string
  password: string
  totp?: string
}

/** `POST /api/me/password`. */
export interface ChangePasswordInput {
  currentPassword: string
  newPassword: string
}

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
    return consentAfterSignIn(saveSession(tokens))
  },

  /** H5 inside WeChat: the snsapi_base OAuth code from the redirect. */
  async signInWithWeChatWeb(code: string): Promise<Session> {
    const tokens = await apiRequest<TokenResponse>({ method: 'POST', path: '/api/auth/wechat-web', body: { code }, auth: false })
    return consentAfterSignIn(saveSession(tokens))
  },

  /** Demo mode only; the server answers 404 elsewhere. */
  async signInDemo(input: DemoSignInInput): Promise<Session> {
    const tokens = await apiRequest<TokenResponse>({ method: 'POST', path: '/api/auth/demo', body: input, auth: false })
    return saveSession(tokens)
  },

  /** Staff: username and password (+ the authenticator code). The answer says whether the password must change first. */
  async signInStaff(input: StaffSignInInput): Promise<Session> {
    const tokens = await apiRequest<TokenResponse>({ method: 'POST', path: '/api/auth/staff', body: input, auth: false })
    return saveSession(tokens)
  },

  /** Staff: changes the password; the server ends every other sign-in and answers a fresh session. */
  async changePassword(input: ChangePasswordInput): Promise<Session> {
    const tokens = await apiRequest<TokenResponse>({ method: 'POST', path: '/api/me/password', body: input })
    return saveSession({ ...tokens, user: { ...tokens.user, mustChangePassword: false } })
  },

  /** Staff in the mini-program: binds this WeChat account, so the next sign-in is one tap (微信一键登录). */
  async bindWeChat(): Promise<SessionUser | undefined> {
    const { code } = await Taro.login()
    await apiRequest<unknown>({ method: 'POST', path: '/api/me/wechat', body: { code } })
    return (await authService.refreshMe())?.user
  },

  /** Staff: removes the WeChat binding (signing in needs the password again). */
  async unbindWeChat(): Promise<SessionUser | undefined> {
    await apiRequest<unknown>({ method: 'DELETE', path: '/api/me/wechat' })
    return (await authService.refreshMe())?.user
  },

  me: () => apiRequest<SessionUser>({ path: '/api/me' }),

  /** Asks the server who the caller is now and keeps it in the session (flags like wechatBound, onDuty). */
  async refreshMe(): Promise<Session | undefined> {
    const me = await apiRequest<SessionUser>({ path: '/api/me' })
    return updateSessionUser(me)
  },

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
