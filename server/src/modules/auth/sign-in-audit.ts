import type { DataSource } from 'typeorm'
import { AppError } from '../../errors'
import { recordAuditView } from '../audit/index'
import { actorFromUser, type ActorSource } from './actor'

/** How someone signed in: staff password (+TOTP) or a WeChat code (mini-program or H5). */
export type SignInMethod = 'password' | 'wechat_mini' | 'wechat_web'

function attemptedUsername(body: unknown): string | null {
  if (!body || typeof body !== 'object') return null
  const name = (body as { username?: unknown }).username
  return typeof name === 'string' ? name.trim().toLowerCase().slice(0, 64) : null
}

/**
 * Runs a sign-in and records its outcome (docs/security.md LOG-1): success as `auth.sign_in` (staff) or
 * `auth.wechat_sign_in` with the account as actor; a refusal (401/403: wrong password, code, TOTP,
 * locked, disabled) as `auth.sign_in_failed` with the username tried and the refusal code, never
 * the password or code. Bad input (400) and throttling (429) are not sign-in attempts and are not
 * recorded. Each outcome is its own transaction (the sign-in itself spans several writes).
 */
export async function auditSignIn<U extends ActorSource>(ds: DataSource, method: SignInMethod, body: unknown, attempt: () => Promise<U>): Promise<U> {
  let user: U
  try {
    user = await attempt()
  } catch (err) {
    if (err instanceof AppError && (err.status === 401 || err.status === 403)) {
      await recordAuditView(ds, { action: 'auth.sign_in_failed', objectType: 'session', actor: null, detail: { method, username: attemptedUsername(body), reason: err.code } })
    }
    throw err
  }
  const action = method === 'password' ? 'auth.sign_in' : 'auth.wechat_sign_in'
  await recordAuditView(ds, { action, objectType: 'user', objectId: user.id, actor: actorFromUser(user), detail: { method } })
  return user
}
