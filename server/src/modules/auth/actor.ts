import type { Role, Scope } from '@palm/shared'
import type { User } from './user.entity'

/** Who is calling: the signed-in user as policies and services see them. */
export interface Actor {
  id: string
  role: Role
  displayName: string
  scope: Scope
}

/** The columns of a user an actor is made of (a full User row will do). */
export type ActorSource = Pick<User, 'id' | 'role' | 'displayName' | 'gridCode' | 'communityCode' | 'streetCode' | 'departmentCode'>

export function actorFromUser(user: ActorSource): Actor {
  const scope: Scope = {}
  if (user.gridCode) scope.gridCode = user.gridCode
  if (user.communityCode) scope.communityCode = user.communityCode
  if (user.streetCode) scope.streetCode = user.streetCode
  if (user.departmentCode) scope.departmentCode = user.departmentCode
  return { id: user.id, role: user.role as Role, displayName: user.displayName, scope }
}
