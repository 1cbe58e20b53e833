import type { Role, Scope } from '@palm/shared'
import type { User } from './user.entity'

/** Who is calling: the signed-in user as policies and services see them. */
export interface Actor {
  id: string
  role: Role
  displayName: string
  scope: Scope
}

/**
 * The columns of a user an actor is made of (a full User row will do). `gridCodes` are a grid
 * worker's staff_grids, as an array or as the comma-separated GROUP_CONCAT of the sign-in check;
 * without them the primary grid (users.grid_code) is the worker's only grid.
 */
export type ActorSource = Pick<User, 'id' | 'role' | 'displayName' | 'gridCode' | 'communityCode' | 'streetCode' | 'departmentCode'> & {
  gridCodes?: readonly string[] | string | null
}

/** A grid worker's grids, the primary first, each once. */
function gridCodesOf(user: ActorSource): string[] {
  const listed = typeof user.gridCodes === 'string' ? user.gridCodes.split(',') : [...(user.gridCodes ?? [])]
  const others = listed.filter((code) => code && code !== user.gridCode).sort()
  return [...new Set(user.gridCode ? [user.gridCode, ...others] : others)]
}

/** Builds the actor of a user row: the scope columns it has, and a grid worker's every grid. */
export function actorFromUser(user: ActorSource): Actor {
  const scope: Scope = {}
  if (user.gridCode) scope.gridCode = user.gridCode
  if (user.role === 'grid_worker') {
    const gridCodes = gridCodesOf(user)
    if (gridCodes.length) scope.gridCodes = gridCodes
  }
  if (user.communityCode) scope.communityCode = user.communityCode
  if (user.streetCode) scope.streetCode = user.streetCode
  if (user.departmentCode) scope.departmentCode = user.departmentCode
  return { id: user.id, role: user.role as Role, displayName: user.displayName, scope }
}

/** Every grid an actor's grid scope covers (a grid worker's grids; empty for everyone else). */
export function actorGridCodes(actor: Actor): readonly string[] {
  if (actor.scope.gridCodes?.length) return actor.scope.gridCodes
  return actor.scope.gridCode ? [actor.scope.gridCode] : []
}
