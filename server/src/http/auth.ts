import type { Context, Middleware } from 'koa'
import type { Role } from '@palm/shared'
import type { AppDeps } from '../deps'
import { ForbiddenError, UnauthenticatedError } from '../errors'
import { actorFromUser, type Actor } from '../modules/auth/actor'
import { verifyAccessToken } from '../modules/auth/tokens'
import { RefreshToken } from '../modules/auth/refresh-token.entity'
import { User } from '../modules/auth/user.entity'

/**
 * Reads a Bearer token when there is one and puts the actor on ctx.state. The user row and the
 * sign-in are checked on every request, so a disabled account or a logout takes effect at once,
 * not when the token expires.
 * Tokens in the query string are never accepted.
 */
export function authenticate(deps: AppDeps): Middleware {
  return async function authenticateMiddleware(ctx, next) {
    const header = ctx.get('Authorization')
    if (header) {
      const match = /^Bearer ([A-Za-z0-9._-]+)$/.exec(header)
      if (!match?.[1]) throw new UnauthenticatedError('Use “Authorization: Bearer <token>”.', 'invalid_token')
      const { userId, sessionId } = verifyAccessToken(deps.config.jwt, match[1])
      const user = await deps.ds.getRepository(User).findOneBy({ id: userId })
      if (!user || user.disabled) throw new UnauthenticatedError('This account is not active.', 'invalid_token')
      if (sessionId && !(await isSessionAlive(deps, sessionId))) throw new UnauthenticatedError('This sign-in has ended.', 'invalid_token')
      ctx.state.actor = actorFromUser(user)
    }
    await next()
  }
}

/** A sign-in is alive while its refresh-token family has a token that was not revoked (logout revokes them all). */
async function isSessionAlive(deps: AppDeps, familyId: string): Promise<boolean> {
  const alive = await deps.ds
    .getRepository(RefreshToken)
    .createQueryBuilder('t')
    .select('t.id')
    .where('t.familyId = :familyId AND t.revokedAt IS NULL', { familyId })
    .limit(1)
    .getRawOne()
  return alive !== undefined
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
