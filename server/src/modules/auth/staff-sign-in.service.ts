import { TOTP_REQUIRED_ROLES, type ChangePasswordInput, type StaffSignInInput } from '@palm/shared'
import type { AppDeps } from '../../deps'
import { withTx, withWrite } from '../../db/tx'
import { recordAudit } from '../audit/index'
import { AppError, BadRequestError, ForbiddenError, UnauthenticatedError } from '../../errors'
import type { Actor } from './actor'
import type { IssuedSession } from './auth.presenter'
import { assertStrongPassword } from './password-policy'
import { hashPassword, verifyPassword } from './passwords'
import { revokeAllSessions, startSession } from './sessions.service'
import { matchTotpStep } from './totp'
import { User } from './user.entity'

/** Five consecutive failures lock the account for 15 minutes (docs/security.md AUTH-4, DB-IA-2). */
export const LOCKOUT = { maxFailures: 5, minutes: 15 } as const

/**
 * 403 `account_locked` with Retry-After: the account is locked after repeated failures. The problem
 * carries `lockedUntil`, `retryAfterSeconds` and `minutesLeft`, so the page can say how long to wait.
 */
export class AccountLockedError extends AppError {
  constructor(retryAfterSeconds: number, lockedUntil?: Date) {
    const seconds = Math.max(1, Math.ceil(retryAfterSeconds))
    const minutesLeft = Math.ceil(seconds / 60)
    super(403, 'account_locked', `Too many failed sign-ins; this account is locked for about ${minutesLeft} more minute(s).`, {
      headers: { 'Retry-After': String(seconds) },
      data: { retryAfterSeconds: seconds, minutesLeft, ...(lockedUntil ? { lockedUntil: lockedUntil.toISOString() } : {}) }
    })
  }
}

const invalidCredentials = () => new UnauthenticatedError('The username or password is wrong.', 'invalid_credentials')

/** Usernames are compared in lower case, so MariaDB's case-insensitive collation and SQLite agree. */
export function normalizeUsername(username: string): string {
  return username.trim().toLowerCase()
}

function assertNotLocked(user: User, now: Date): void {
  if (user.lockedUntil && user.lockedUntil.getTime() > now.getTime()) {
    throw new AccountLockedError((user.lockedUntil.getTime() - now.getTime()) / 1000, user.lockedUntil)
  }
}

/**
 * Counts a failure with conditional UPDATEs, so that several instances counting at once never lose
 * one: the increment is atomic, and only the update that sees the fifth failure sets the lock (and
 * starts the count again for after it).
 */
async function recordFailure(deps: AppDeps, userId: string, now: Date): Promise<void> {
  const lock = await withWrite(deps.ds, async (em) => {
    const users = em.getRepository(User)
    await users
      .createQueryBuilder()
      .update()
      .set({ failedLogins: () => 'failed_logins + 1' })
      .where('id = :id', { id: userId })
      .execute()
    return users
      .createQueryBuilder()
      .update()
      .set({ lockedUntil: new Date(now.getTime() + LOCKOUT.minutes * 60_000), failedLogins: 0 })
      .where('id = :id AND failed_logins >= :max', { id: userId, max: LOCKOUT.maxFailures })
      .execute()
  })
  if (lock.affected === 1) deps.log.warn({ userId, minutes: LOCKOUT.minutes }, 'staff account locked after repeated failures')
}

async function clearFailures(deps: AppDeps, userId: string): Promise<void> {
  await withWrite(deps.ds, (em) =>
    em.getRepository(User).createQueryBuilder().update().set({ failedLogins: 0, lockedUntil: null }).where('id = :id AND (failed_logins > 0 OR locked_until IS NOT NULL)', { id: userId }).execute()
  )
}

/** District admins (TOTP_REQUIRED_ROLES) always need a second factor; anyone who enrolled one needs it too. */
export function totpRequired(user: Pick<User, 'role' | 'totpSecret'>): boolean {
  return (TOTP_REQUIRED_ROLES as readonly string[]).includes(user.role) || !!user.totpSecret
}

/**
 * Accepts a TOTP code once: the step is recorded with a conditional UPDATE, so the same code (or an
 * older one) presented again, even to another instance, is refused (AUTH-3).
 */
async function claimTotpStep(deps: AppDeps, userId: string, step: number): Promise<boolean> {
  const result = await withWrite(deps.ds, (em) =>
    em
      .getRepository(User)
      .createQueryBuilder()
      .update()
      .set({ totpLastStep: String(step) })
      .where('id = :id AND (totp_last_step IS NULL OR totp_last_step < :step)', { id: userId, step })
      .execute()
  )
  return result.affected === 1
}

async function checkSecondFactor(deps: AppDeps, user: User, code: string | undefined, now: Date): Promise<void> {
  if (!user.totpSecret) {
    throw new UnauthenticatedError('This account needs an authenticator app, which is not set up yet; ask an administrator to reset it.', 'totp_not_enrolled')
  }
  if (!code) throw new UnauthenticatedError('Enter the 6-digit code from your authenticator app.', 'totp_required')
  const step = matchTotpStep(user.totpSecret, code, now)
  if (step === null || !(await claimTotpStep(deps, user.id, step))) {
    await recordFailure(deps, user.id, now)
    deps.log.warn({ userId: user.id, reused: step !== null }, 'staff sign-in failed: authenticator code')
    if (step !== null) throw new UnauthenticatedError('This authenticator code was already used; wait for the next one.', 'totp_reused')
    throw new UnauthenticatedError('The authenticator code is wrong.', 'invalid_totp')
  }
}

/**
 * Staff sign-in: username and password (argon2id), then a TOTP code where required. Unknown users
 * and wrong passwords get the same answer in about the same time (AUTH-6). Failures count towards
 * the lockout; a locked account is refused even with the right password.
 * @throws UnauthenticatedError `invalid_credentials` / `totp_required` / `totp_not_enrolled` / `invalid_totp` /
 *   `totp_reused` / `account_disabled`,
 *   AccountLockedError 403 `account_locked`
 */
export async function signInStaff(deps: AppDeps, input: StaffSignInInput): Promise<User> {
  const now = deps.now()
  const user = await deps.ds.getRepository(User).findOneBy({ username: normalizeUsername(input.username) })
  if (user) assertNotLocked(user, now)
  const passwordMatches = await verifyPassword(user?.passwordHash ?? null, input.password)
  if (!user || !passwordMatches) {
    if (user) await recordFailure(deps, user.id, now)
    deps.log.warn({ userId: user?.id ?? null }, 'staff sign-in failed: wrong username or password')
    throw invalidCredentials()
  }
  if (user.disabled) throw new UnauthenticatedError('This account is disabled.', 'account_disabled')
  if (totpRequired(user)) await checkSecondFactor(deps, user, input.totp, now)
  await clearFailures(deps, user.id)
  deps.log.info({ userId: user.id, role: user.role }, 'staff signed in')
  return user
}

/**
 * A staff member changes their own password: the current one is checked (failures count towards the
 * lockout) and the new one must pass the password policy. This also ends a forced change (one-time
 * password). Every sign-in of the account ends, and the caller gets a fresh one.
 * @throws ForbiddenError for accounts without a password, BadRequestError `invalid_credentials` /
 *   `weak_password`, AccountLockedError
 */
export async function changePassword(deps: AppDeps, actor: Actor, input: ChangePasswordInput): Promise<IssuedSession> {
  const now = deps.now()
  const user = await deps.ds.getRepository(User).findOneBy({ id: actor.id })
  if (!user?.passwordHash) throw new ForbiddenError('This account signs in with WeChat and has no password.')
  assertNotLocked(user, now)
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    await recordFailure(deps, user.id, now)
    throw new BadRequestError('invalid_credentials', 'The current password is wrong.', [{ path: 'currentPassword', code: 'invalid_credentials', message: 'is wrong' }])
  }
  if (input.newPassword === input.currentPassword) {
    throw new BadRequestError('weak_password', 'The new password must differ from the current one.', [{ path: 'newPassword', code: 'weak_password', message: 'must differ from the current password' }])
  }
  assertStrongPassword(input.newPassword, user.username)
  const passwordHash = await hashPassword(input.newPassword)
  const changes = { passwordHash, failedLogins: 0, lockedUntil: null, mustChangePassword: false, updatedAt: now }
  await withTx(
    deps.ds,
    async (em) => (await em.getRepository(User).update({ id: user.id }, changes), await recordAudit(em, { action: 'account.password_change', objectType: 'user', objectId: user.id, actor }))
  )
  await revokeAllSessions(deps, user.id)
  return startSession(deps, Object.assign(user, changes))
}
