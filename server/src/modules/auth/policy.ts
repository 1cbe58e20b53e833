import { actorGridCodes, type Actor } from './actor'

/** Where an object lives: the territory (and department queue) it belongs to, and who owns it. */
export interface ScopedObject {
  gridCode?: string | null
  communityCode?: string | null
  streetCode?: string | null
  departmentCode?: string | null
  ownerId?: string | null
}

/**
 * The one answer to "is this object inside this actor's scope". Territory nests (grid ⊂ community ⊂
 * street ⊂ district), so a scope matches when the object carries the same code at the actor's level
 * (for a grid worker, any of their grids).
 * Residents and volunteers match only what they own. Callers deny with 404 so existence is not revealed.
 */
export function isInScope(actor: Actor, obj: ScopedObject): boolean {
  switch (actor.role) {
    case 'district_admin':
      return true
    case 'street_admin':
      return !!actor.scope.streetCode && obj.streetCode === actor.scope.streetCode
    case 'community_staff':
      return !!actor.scope.communityCode && obj.communityCode === actor.scope.communityCode
    case 'grid_worker':
      return !!obj.gridCode && actorGridCodes(actor).includes(obj.gridCode)
    case 'department_staff':
      return !!actor.scope.departmentCode && obj.departmentCode === actor.scope.departmentCode
    case 'resident':
    case 'volunteer':
      return !!obj.ownerId && obj.ownerId === actor.id
  }
}
