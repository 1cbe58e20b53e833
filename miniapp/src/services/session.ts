import type { Role, Scope } from '@palm/shared'
import { PERSONAL_KEYS, StorageKeys, readStored, removeStored, writeStored } from './storage'

/** Who is signed in, as the sign-in endpoints and GET /api/me describe them. */
export interface SessionUser {
  id: string
  role: Role
  displayName: string
  scope: Scope
  /** Staff only: the sign-in name. */
  username?: string | null
  /** Staff after a first sign-in or an admin's reset: every other call answers 403 until it is changed. */
  mustChangePassword?: boolean
  /** Staff: whether a WeChat account is bound for one-tap sign-in. */
  wechatBound?: boolean
  /** Grid workers: the duty switch. */
  onDuty?: boolean
  totpEnabled?: boolean
}

export interface Session {
  accessToken: string
  refreshToken: string
  user: SessionUser
}

/** What every sign-in endpoint answers (api.md "Sign-in"). */
export interface TokenResponse {
  accessToken: string
  refreshToken: string
  expiresIn: number
  user: SessionUser
}

type Listener = (session: Session | undefined) => void
const listeners = new Set<Listener>()

export function getSession(): Session | undefined {
  const s = readStored<Session>(StorageKeys.session)
  return s && typeof s.accessToken === 'string' && typeof s.refreshToken === 'string' && s.user ? s : undefined
}

export function saveSession(tokens: TokenResponse | Session): Session {
  const session: Session = { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, user: tokens.user }
  writeStored(StorageKeys.session, session)
  listeners.forEach((l) => l(session))
  return session
}

/** Replaces the tokens after a refresh, keeping the user the app already knows. */
export function saveRefreshedTokens(tokens: { accessToken: string; refreshToken: string; user?: SessionUser }): Session | undefined {
  const current = getSession()
  const user = tokens.user ?? current?.user
  if (!user) return undefined
  return saveSession({ accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, user })
}

/**
 * Signs out locally. 'all' (sign-out) also removes personal data such as an unsent report
 * (docs/security.md SESS-4, DB-RI-1); 'tokens' (a refresh that failed) keeps the draft so nothing typed is lost.
 */
export function clearSession(scope: 'all' | 'tokens' = 'all'): void {
  if (scope === 'all') for (const key of PERSONAL_KEYS) removeStored(key)
  else removeStored(StorageKeys.session)
  listeners.forEach((l) => l(undefined))
}

export function onSessionChange(listener: Listener): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

/** Replaces what the app knows about the signed-in user (after GET /api/me, a bind, a duty switch). */
export function updateSessionUser(patch: Partial<SessionUser>): Session | undefined {
  const current = getSession()
  if (!current) return undefined
  return saveSession({ ...current, user: { ...current.user, ...patch } })
}
