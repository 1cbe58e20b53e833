import type { Role } from '@palm/shared'
import type { SelectQueryBuilder } from 'typeorm'
import { User } from '../../auth/user.entity'
import type { Ticket } from '../ticket.entity'

/*
 * approverRoleFor (shared/src/tickets/ticket.machine.ts) as SQL, so "待审批延期" is one indexed query
 * in the caller's scope instead of a scan in memory. The rule: the level directly above the ticket's
 * queue or above its handler, whichever is higher; departments' tickets go to the district.
 * extension-approvals.test.ts checks every level × handler role against approverRoleFor.
 */
// COALESCE: a ticket nobody holds has no handler role, and NULL would make every NOT below unknown.
const HANDLER_ROLE = "COALESCE(handler.role, '')"
const ABOVE_COMMUNITY = `(t.level NOT IN ('grid', 'community') OR ${HANDLER_ROLE} IN ('department_staff', 'street_admin', 'district_admin'))`
const COMMUNITY_LEVEL = `(t.level = 'community' OR ${HANDLER_ROLE} = 'community_staff')`

const APPROVER_CONDITION: Partial<Record<Role, string>> = {
  district_admin: ABOVE_COMMUNITY,
  street_admin: `NOT ${ABOVE_COMMUNITY} AND ${COMMUNITY_LEVEL}`,
  community_staff: `NOT ${ABOVE_COMMUNITY} AND NOT ${COMMUNITY_LEVEL}`
}

/** Narrows a ticket query to pending extensions that `role` decides; roles that never decide one get none. */
export function applyExtensionsToApprove(qb: SelectQueryBuilder<Ticket>, role: Role): void {
  qb.leftJoin(User, 'handler', 'handler.id = t.assignee_id')
  qb.andWhere("t.extension_state = 'pending'")
  qb.andWhere(APPROVER_CONDITION[role] ?? '1 = 0')
}
