import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { isStaffRole, type Role } from '@palm/shared'
import { IsNull, type EntityManager } from 'typeorm'
import type { AppDeps } from '../../deps'
import { withTx, withWrite } from '../../db/tx'
import { UnauthenticatedError } from '../../errors'
import type { IssuedSession } from './auth.presenter'
import { RefreshToken } from './refresh-token.entity'
import { gridCodesOfUser } from './staff-grids.repo'
import { signAccessToken } from './tokens'
import { User } from './user.entity'

/**
 * How long a sign-in lasts without and with use (docs/security.md SESS-2). Staff: 30 minutes idle (15 for
 * district admins), 12 hours at most. Residents sign in again silently with wx.login, so 30 days.
 */
export function refreshLifetimeFor(role: Role): { idleSeconds: number; absoluteSeconds: number } {
  if (role === 'district_admin') return { idleSeconds: 15 * 60, absoluteSeconds: 12 * 3600 }
  if (isStaffRole(role)) return { idleSeconds: 30 * 60, absoluteSeconds: 12 * 3600 }
  return { idleSeconds: 30 * 86400, absoluteSeconds: 30 * 86400 }
}

/** Refresh tokens are stored only as this hash, so a leaked table cannot be replayed. */
export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex')
}

async function insertRefreshToken(em: EntityManager, user: User, familyId: string | null, familyStartedAt: Date, now: Date): Promise<{ token: string; familyId: string }> {
  const token = randomBytes(32).toString('base64url')
  const { idleSeconds, absoluteSeconds } = refreshLifetimeFor(user.role as Role)
  const expiresAt = new Date(Math.min(now.getTime() + idleSeconds * 1000, familyStartedAt.getTime() + absoluteSeconds * 1000))
  const id = randomUUID()
  await em.getRepository(RefreshToken).insert({
    id,
    userId: user.id,
    familyId: familyId ?? id,
    tokenHash: hashRefreshToken(token),
    expiresAt,
    usedAt: null,
    revokedAt: null,
    createdAt: now
  })
  return { token, familyId: familyId ?? id }
}

/** A new sign-in: an access token and the first refresh token of a new family (its id is the family's). */
export async function startSession(deps: AppDeps, user: User): Promise<IssuedSession> {
  const now = deps.now()
  const issued = await withWrite(deps.ds, (em) => insertRefreshToken(em, user, null, now, now))
  const access = signAccessToken(deps.config.jwt, user, issued.familyId)
  return withGridCodes(deps, { accessToken: access.token, refreshToken: issued.token, expiresIn: access.expiresIn, user })
}

/** Adds a grid worker's grids to the session's user view (the other roles have none). */
async function withGridCodes(deps: Pick<AppDeps, 'ds'>, session: IssuedSession): Promise<IssuedSession> {
  if (session.user.role !== 'grid_worker') return session
  return { ...session, gridCodes: await gridCodesOfUser(deps.ds, session.user.id) }
}

type RotateOutcome = { kind: 'rotated'; session: IssuedSession } | { kind: 'reused'; familyId: string } | { kind: 'refused'; familyId?: string }

/**
 * Trades a refresh token for a new access token and its successor in the same family. A token is
 * good once: presenting one that was already used means it was copied, so the whole family is
 * revoked (SESS-2) and both the thief and the owner must sign in again. Expired, revoked and unknown
 * tokens, and tokens of disabled accounts, are refused alike.
 * @throws UnauthenticatedError 401 `invalid_token`
 */
export async function rotateRefreshToken(deps: AppDeps, presented: string): Promise<IssuedSession> {
  const now = deps.now()
  const outcome = await withTx(deps.ds, async (em): Promise<RotateOutcome> => {
    const tokens = em.getRepository(RefreshToken)
    const row = await tokens.findOneBy({ tokenHash: hashRefreshToken(presented) })
    if (!row || row.revokedAt) return { kind: 'refused' }
    if (row.usedAt) return { kind: 'reused', familyId: row.familyId }
    if (row.expiresAt.getTime() <= now.getTime()) return { kind: 'refused' }
    const user = await em.getRepository(User).findOneBy({ id: row.userId })
    if (!user || user.disabled) return { kind: 'refused', familyId: row.familyId }
    const claim = await tokens.createQueryBuilder().update().set({ usedAt: now }).where('id = :id AND used_at IS NULL AND revoked_at IS NULL', { id: row.id }).execute()
    if (claim.affected !== 1) return { kind: 'reused', familyId: row.familyId }
    const first = row.familyId === row.id ? row : await tokens.findOneBy({ id: row.familyId })
    const issued = await insertRefreshToken(em, user, row.familyId, (first ?? row).createdAt, now)
    const access = signAccessToken(deps.config.jwt, user, issued.familyId)
    return { kind: 'rotated', session: { accessToken: access.token, refreshToken: issued.token, expiresIn: access.expiresIn, user } }
  })
  if (outcome.kind === 'rotated') return withGridCodes(deps, outcome.session)
  // Revocation happens after the transaction, so that refusing does not roll it back.
  if (outcome.familyId) await revokeFamily(deps, outcome.familyId)
  if (outcome.kind === 'reused') {
    deps.log.warn({ familyId: outcome.familyId }, 'refresh token reused; sign-in family revoked')
    throw new UnauthenticatedError('This refresh token was already used; sign in again.', 'invalid_token')
  }
  throw new UnauthenticatedError('The refresh token is invalid or expired; sign in again.', 'invalid_token')
}

/** Ends one sign-in (all tokens of the family) at once. */
export async function revokeFamily(deps: Pick<AppDeps, 'ds' | 'now'>, familyId: string): Promise<void> {
  await withWrite(deps.ds, (em) => em.getRepository(RefreshToken).update({ familyId, revokedAt: IsNull() }, { revokedAt: deps.now() }))
}

/** Ends every sign-in of a user (logout everywhere, password change, disabling the account). */
export async function revokeAllSessions(deps: Pick<AppDeps, 'ds' | 'now'>, userId: string): Promise<void> {
  await withWrite(deps.ds, (em) => em.getRepository(RefreshToken).update({ userId, revokedAt: IsNull() }, { revokedAt: deps.now() }))
}

/**
 * Logout: with a refresh token, ends that sign-in (only the caller's own, when the caller is signed
 * in); without one, ends every sign-in of the caller. Unknown tokens are ignored, so logout is
 * idempotent.
 * @throws UnauthenticatedError when neither a refresh token nor an access token is given
 */
export async function logout(deps: AppDeps, callerId: string | undefined, refreshToken: string | undefined): Promise<void> {
  if (refreshToken) {
    const row = await deps.ds.getRepository(RefreshToken).findOneBy({ tokenHash: hashRefreshToken(refreshToken) })
    if (row && (!callerId || row.userId === callerId)) await revokeFamily(deps, row.familyId)
    return
  }
  if (!callerId) throw new UnauthenticatedError('Send the refresh token to end, or sign in to end every session.')
  await revokeAllSessions(deps, callerId)
}
