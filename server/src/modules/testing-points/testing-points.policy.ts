import { ForbiddenError } from '../../errors'
import type { Actor } from '../auth/actor'
import { isInScope } from '../auth/policy'
import type { Ticket } from '../tickets/index'
import type { TestingPoint } from './testing-point.entity'

/** Who may create and edit testing points (each within their own area). */
export const TESTING_POINT_EDITORS = ['community_staff', 'street_admin', 'district_admin'] as const
/** Who backs a resident's request for a new point (+1). */
export const SUPPORTER_ROLES = ['resident', 'volunteer'] as const
/** Who approves a request: its community's staff (they take the ticket over from a grid worker). */
export const REQUEST_APPROVERS = ['community_staff'] as const

/** 403 unless the actor edits testing points at all (function level; the record level is mayEditPoint). */
export function assertPointEditor(actor: Actor): void {
  if (!(TESTING_POINT_EDITORS as readonly string[]).includes(actor.role)) throw new ForbiddenError('Only community, street or district staff edit testing points.')
}

/** "May this actor edit this point": it lies in their area (else 404, as if it did not exist). */
export function mayEditPoint(actor: Actor, point: Pick<TestingPoint, 'communityCode' | 'streetCode'>): boolean {
  return isInScope(actor, { communityCode: point.communityCode, streetCode: point.streetCode })
}

/**
 * "May this actor approve this request": its ticket's grid, community or street lies in their scope
 * (else 404, as for any ticket out of scope). Whether they may settle the ticket itself is the
 * tickets policy's answer (403 when not).
 */
export function mayApproveRequest(actor: Actor, request: Pick<Ticket, 'gridCode' | 'communityCode' | 'streetCode'>): boolean {
  return isInScope(actor, { gridCode: request.gridCode, communityCode: request.communityCode, streetCode: request.streetCode })
}
