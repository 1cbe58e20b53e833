import { createSecretKey, type KeyObject } from 'node:crypto'
import jwt from 'jsonwebtoken'
import { isStaffRole, type Role } from '@palm/shared'
import type { Config } from '../../config'
import { UnauthenticatedError } from '../../errors'

/** Access-token lifetimes (docs/security.md "Who signs in, and how"): short for staff, longer for residents on phones. */
export const ACCESS_TTL_SECONDS = { staff: 15 * 60, citizen: 2 * 60 * 60 } as const
const ALGORITHM = 'HS256' as const

const secretKeys = new Map<string, KeyObject>()

/**
 * The HMAC secret as a KeyObject, made once per secret. Given a string, jsonwebtoken first tries it as
 * a PEM public (verify) or private (sign) key, which throws, and only then makes a secret key: about
 * half a millisecond of CPU per request (measured, bench/README.md). A KeyObject skips that; the
 * algorithm stays pinned and a KeyObject of type `secret` is refused for anything but HS*.
 */
function secretKey(secret: string): KeyObject {
  let key = secretKeys.get(secret)
  if (!key) {
    key = createSecretKey(Buffer.from(secret, 'utf8'))
    secretKeys.set(secret, key)
  }
  return key
}

export function accessTtlFor(role: Role): number {
  return isStaffRole(role) ? ACCESS_TTL_SECONDS.staff : ACCESS_TTL_SECONDS.citizen
}

/**
 * `sessionId` is the sign-in's refresh-token family: the request guard checks it is still alive, so
 * logout ends the access token at once instead of when it expires.
 */
export function signAccessToken(jwtConfig: Config['jwt'], user: { id: string; role: string }, sessionId?: string): { token: string; expiresIn: number } {
  const expiresIn = accessTtlFor(user.role as Role)
  const claims = sessionId ? { role: user.role, typ: 'access', sid: sessionId } : { role: user.role, typ: 'access' }
  const token = jwt.sign(claims, secretKey(jwtConfig.secret), {
    algorithm: ALGORITHM,
    expiresIn,
    subject: user.id,
    issuer: jwtConfig.issuer,
    audience: jwtConfig.audience
  })
  return { token, expiresIn }
}

/**
 * Verifies with the algorithm pinned and issuer and audience checked, so `alg: none`, a foreign key,
 * another environment's tokens and expired tokens are all refused alike.
 * @throws UnauthenticatedError `invalid_token`
 */
export function verifyAccessToken(jwtConfig: Config['jwt'], token: string): { userId: string; sessionId?: string } {
  try {
    const payload = jwt.verify(token, secretKey(jwtConfig.secret), {
      algorithms: [ALGORITHM],
      issuer: jwtConfig.issuer,
      audience: jwtConfig.audience,
      clockTolerance: 5
    })
    if (typeof payload !== 'object' || payload.typ !== 'access' || typeof payload.sub !== 'string') throw new Error('not an access token')
    return typeof payload.sid === 'string' ? { userId: payload.sub, sessionId: payload.sid } : { userId: payload.sub }
  } catch {
    throw new UnauthenticatedError('The access token is invalid or expired.', 'invalid_token')
  }
}
