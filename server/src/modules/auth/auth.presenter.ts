import type { AuthSessionView, MeView } from '@palm/shared'
import { actorFromUser } from './actor'
import type { User } from './user.entity'

/** Exactly what a user may see about themselves: never openid, unionid, phone, hashes or secrets. */
export function presentMe(user: User): MeView {
  const actor = actorFromUser(user)
  return {
    id: actor.id,
    role: actor.role,
    scope: actor.scope,
    displayName: actor.displayName,
    username: user.username,
    onDuty: user.role === 'grid_worker' ? user.onDuty : false,
    totpEnabled: !!user.totpSecret
  }
}

export interface IssuedSession {
  accessToken: string
  refreshToken: string
  expiresIn: number
  user: User
}

export function presentSession(session: IssuedSession): AuthSessionView {
  return { accessToken: session.accessToken, refreshToken: session.refreshToken, expiresIn: session.expiresIn, user: presentMe(session.user) }
}
