import type { AuthSessionView, MeView } from '@palm/shared'
import { actorFromUser } from './actor'
import type { User } from './user.entity'

/**
 * Exactly what a user may see about themselves: never openid, unionid, phone, hashes or secrets.
 * `gridCodes` are a grid worker's grids (staff_grids), when the caller loaded them.
 */
export function presentMe(user: User, gridCodes?: readonly string[]): MeView {
  const actor = actorFromUser(gridCodes ? { ...user, gridCodes } : user)
  return {
    id: actor.id,
    role: actor.role,
    scope: actor.scope,
    displayName: actor.displayName,
    username: user.username,
    // Boolean(): a row just inserted on MariaDB may carry its defaults back as 0/1.
    onDuty: user.role === 'grid_worker' ? Boolean(user.onDuty) : false,
    totpEnabled: !!user.totpSecret,
    mustChangePassword: Boolean(user.mustChangePassword),
    wechatBound: !!user.openid
  }
}

export interface IssuedSession {
  accessToken: string
  refreshToken: string
  expiresIn: number
  user: User
  /** A grid worker's grids, primary first. */
  gridCodes?: string[]
}

export function presentSession(session: IssuedSession): AuthSessionView {
  return { accessToken: session.accessToken, refreshToken: session.refreshToken, expiresIn: session.expiresIn, user: presentMe(session.user, session.gridCodes) }
}
