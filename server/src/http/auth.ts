import type { Context, Middleware } from 'koa'
import type { Role } from '@palm/shared'
import type { AppDeps } from '../deps'
import { ForbiddenError, UnauthenticatedError } from '../errors'
import { actorFromUser, type Actor, type ActorSource } from '../modules/auth/actor'
import { verifyAccessToken } from '../modules/auth/tokens'
import { queryFixed } from '../db/prepared'

/** The user columns an actor needs, and whether the token's sign-in is still alive, in one statement. */
const USER_COLUMNS =
  'u.id AS id, u.role AS role, u.display_name AS displayName, u.grid_code AS gridCode, u.community_code AS communityCode, ' +
  'u.street_code AS streetCode, u.department_code AS departmentCode, u.disabled AS disabled, u.must_change_password AS mustChangePassword, ' +
  // A grid worker's grids (staff_grids by its primary key); GROUP_CONCAT joins them with commas on both databases.
  "(SELECT GROUP_CONCAT(sg.grid_code) FROM staff_grids sg WHERE sg.user_id = u.id AND u.role = 'grid_worker') AS gridCodes, " +
  // The privacy notice version the resident's latest decision granted (NULL after a withdrawal or with none), read
  // here so the consent gate of a submission costs no round trip of its own (privacy/consent.service.ts, consentGate).
  "(SELECT CASE WHEN c.action = 'granted' THEN c.policy_version END FROM consent_records c WHERE c.user_id = u.id ORDER BY c.seq DESC LIMIT 1) AS consentedPolicy"
/** A sign-in is alive while its refresh-token family has a token that was not revoked (logout revokes them all). */
const USER_WITH_SESSION_SQL = `SELECT ${USER_COLUMNS}, EXISTS (SELECT 1 FROM refresh_tokens t WHERE t.family_id = ? AND t.revoked_at IS NULL) AS sessionAlive ` + 'FROM users u WHERE u.id = ?'
const USER_SQL = `SELECT ${USER_COLUMNS}, 1 AS sessionAlive FROM users u WHERE u.id = ?`

interface SignedInRow extends ActorSource {
  /** 0/1 on both databases. */
  disabled: number | boolean
  mustChangePassword: number | boolean
  gridCodes: string | null
  consentedPolicy: string | null
  sessionAlive: number | string | boolean
}

/**
 * What an account with a one-time password may still reach: who am I, the password change itself,
 * sign-in/refresh/logout and the server's meta (docs/accounts-and-duty.md, forced password change).
 */
function allowedBeforePasswordChange(path: string): boolean {
  return path === '/api/me' || path === '/api/me/password' || path === '/api/meta' || path.startsWith('/api/auth/') || !path.startsWith('/api/')
}

/**
 * Reads a Bearer token when there is one and puts the actor on ctx.state. The user row and the
 * sign-in are checked on every request, so a disabled account or a logout takes effect at once,
 * not when the token expires. Both checks are one statement (the user by primary key, the sign-in
 * by the refresh-token family index), as every signed-in request pays for them.
 * A disabled account is refused (401 `account_disabled`); an account with a one-time password
 * reaches only what changing it needs (403 `password_change_required`).
 * Tokens in the query string are never accepted.
 */
export function authenticate(deps: AppDeps): Middleware {
  return async function authenticateMiddleware(ctx, next) {
    const header = ctx.get('Authorization')
    if (header) {
      const match = /^Bearer ([A-Za-z0-9._-]+)$/.exec(header)
      if (!match?.[1]) throw new UnauthenticatedError('Use “Authorization: Bearer <token>”.', 'invalid_token')
      const { userId, sessionId } = verifyAccessToken(deps.config.jwt, match[1])
      const rows = await (sessionId ? queryFixed<SignedInRow>(deps.ds.manager, USER_WITH_SESSION_SQL, [sessionId, userId]) : queryFixed<SignedInRow>(deps.ds.manager, USER_SQL, [userId]))
      const user = rows[0]
      if (!user) throw new UnauthenticatedError('This account is not active.', 'invalid_token')
      if (Number(user.disabled) !== 0) throw new UnauthenticatedError('This account is disabled.', 'account_disabled')
      if (Number(user.sessionAlive) !== 1) throw new UnauthenticatedError('This sign-in has ended.', 'invalid_token')
      if (Number(user.mustChangePassword) !== 0 && !allowedBeforePasswordChange(ctx.path)) {
        throw new ForbiddenError('Change the one-time password first (POST /api/me/password).', 'password_change_required')
      }
      ctx.state.actor = actorFromUser(user)
      ctx.state.consentedPolicy = user.consentedPolicy ?? null
    }
    await next()
  }
}

/** The signed-in actor, or 401. */
export function requireActor(ctx: Context): Actor {
  const actor = ctx.state.actor as Actor | undefined
  if (!actor) throw new UnauthenticatedError()
  return actor
}

/** The signed-in actor if their role is one of `roles`, else 403 (function-level deny). */
export function requireRole(ctx: Context, roles: readonly Role[]): Actor {
  const actor = requireActor(ctx)
  if (!roles.includes(actor.role)) throw new ForbiddenError()
  return actor
}
