import { SUPERVISOR_ROLES } from '@palm/shared'
import type { SelectQueryBuilder } from 'typeorm'
import { ForbiddenError } from '../../errors'
import type { Actor } from '../auth/actor'
import { isInScope, scopeCondition, type ScopedObject } from '../auth/policy'
import type { Volunteer, VolunteerActivity } from './volunteer.entity'

/** Residents join the alliance; a demo "volunteer" persona without a row may register too. */
export const CITIZEN_ROLES_FOR_ALLIANCE = ['resident', 'volunteer'] as const
/** Who approves members (each for the communities in their scope). */
export const VOLUNTEER_APPROVERS = SUPERVISOR_ROLES
/** Who organises activities: community and street staff, the district, and the anti-fraud centre. */
export const ACTIVITY_ORGANISERS = ['community_staff', 'street_admin', 'district_admin', 'department_staff'] as const
/** Who publishes anti-fraud alerts: the anti-fraud centre (department staff) and community, street and district staff. */
export const ALERT_PUBLISHERS = ['department_staff', 'community_staff', 'street_admin', 'district_admin'] as const

function hasRole(actor: Actor, roles: readonly string[]): boolean {
  return roles.includes(actor.role)
}

/** 403 unless the actor approves members at all (function level; the record level is mayDecideVolunteer). */
export function assertVolunteerApprover(actor: Actor): void {
  if (!hasRole(actor, VOLUNTEER_APPROVERS)) throw new ForbiddenError()
}

/** "May this actor decide on (or add to the record of) this member": the member's community lies in their scope (else 404). */
export function mayDecideVolunteer(actor: Actor, volunteer: Pick<Volunteer, 'communityCode' | 'streetCode'>): boolean {
  return isInScope(actor, { communityCode: volunteer.communityCode, streetCode: volunteer.streetCode })
}

/** Restricts a members query (alias `v`) to the approver's scope, by the same role → scope table as mayDecideVolunteer. */
export function applyVolunteerScope<T extends object>(qb: SelectQueryBuilder<T>, actor: Actor): SelectQueryBuilder<T> {
  assertVolunteerApprover(actor)
  const scope = scopeCondition(actor, 'v')
  if (scope) qb.andWhere(scope.sql, scope.params)
  return qb
}

/** 403 unless the actor organises activities at all; `detail` says which act was refused. */
export function assertActivityOrganiser(actor: Actor, detail: string): void {
  if (!hasRole(actor, ACTIVITY_ORGANISERS)) throw new ForbiddenError(detail)
}

/** "May this actor organise an activity for this place" (a street they name must be in their scope, else 404). */
export function mayOrganiseAt(actor: Actor, place: ScopedObject): boolean {
  return isInScope(actor, place)
}

/**
 * "May this actor run this activity" (edit it, see its venue code and sign-ups): an organiser whose
 * scope holds it; a district-wide activity is the district's.
 */
export function mayManageActivity(actor: Actor, activity: Pick<VolunteerActivity, 'communityCode' | 'streetCode' | 'departmentCode'>): boolean {
  if (!hasRole(actor, ACTIVITY_ORGANISERS)) return false
  if (!activity.communityCode && !activity.streetCode && !activity.departmentCode) return actor.role === 'district_admin'
  return isInScope(actor, { communityCode: activity.communityCode, streetCode: activity.streetCode, departmentCode: activity.departmentCode })
}

/** 403 unless the actor publishes alerts. */
export function assertAlertPublisher(actor: Actor): void {
  if (!hasRole(actor, ALERT_PUBLISHERS)) throw new ForbiddenError('Alerts are published by staff.')
}

/**
 * 403 `volunteer_not_approved` unless the caller's membership row is approved: every alliance act
 * (sign-up, check-in) needs it, and an applicant or a rejected member is told why.
 */
export function assertApprovedMember(membership: Volunteer | null): asserts membership is Volunteer {
  if (!membership || membership.status !== 'approved') throw new ForbiddenError('Only approved alliance volunteers may do this.', 'volunteer_not_approved')
}
