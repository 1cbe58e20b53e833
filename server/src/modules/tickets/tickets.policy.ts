import { isStaffRole, type TicketEvent } from '@palm/shared'
import type { SelectQueryBuilder } from 'typeorm'
import { actorGridCodes } from '../auth/actor'
import { ROLE_SCOPE, isInScope, scopeCondition, type ScopeColumns } from '../auth/policy'
import type { Ticket } from './ticket.entity'
import { isSystemActor, type TicketActor } from './ticket-actor'

/** How the caller relates to a ticket beyond their role and scope. */
export interface TicketRelation {
  isReporter: boolean
  isFollower: boolean
  /** Department staff whose department was asked to co-handle (协办) the ticket. */
  isCohandler?: boolean
}

/** Rank on the supervision ladder; a supervisor acts on tickets at their own level or below. */
const LEVEL_RANK: Record<string, number> = { grid: 0, community: 1, street: 2, district: 3 }
const ROLE_RANK: Partial<Record<string, number>> = { grid_worker: 0, community_staff: 1, street_admin: 2, district_admin: 3 }

function territoryOf(ticket: Ticket) {
  return { gridCode: ticket.gridCode, communityCode: ticket.communityCode, streetCode: ticket.streetCode, departmentCode: ticket.departmentCode }
}

/**
 * Grid workers and community staff do not see a ticket while it sits in a department's queue instead
 * of the territory's (a fraud tip may name a neighbour: it must not lie in the grid's inbox). It keeps
 * its territory codes for statistics and for the street and district, who oversee departments.
 */
const TERRITORY_HANDLERS: readonly string[] = ['grid_worker', 'community_staff']

/**
 * "May this caller see this ticket": the system always; citizens their own and the ones they follow;
 * staff the tickets whose territory (or department queue) lies in their scope, except department-only
 * tickets for grid and community staff. Everything else is answered 404 by the callers, so existence
 * is not revealed.
 */
export function canSeeTicket(actor: TicketActor, ticket: Ticket, relation: TicketRelation): boolean {
  if (isSystemActor(actor)) return true
  if (relation.isReporter || relation.isFollower || relation.isCohandler) return true
  if (!isStaffRole(actor.role) || !isInScope(actor, territoryOf(ticket))) return false
  return !(ticket.level === 'department' && TERRITORY_HANDLERS.includes(actor.role))
}

/**
 * Whether the ticket waits in this handler's own queue: a grid worker's grids (unassigned or theirs),
 * a community's grids and queue for community staff, a department's queue for its staff. Once
 * accepted, only the person who accepted it carries on.
 */
function isHandlerOf(actor: TicketActor, ticket: Ticket): boolean {
  if (isSystemActor(actor)) return false
  if (ticket.state === 'accepted' || ticket.state === 'in_progress' || ticket.state === 'suspended') return ticket.assigneeId === actor.id
  switch (actor.role) {
    case 'grid_worker':
      return ticket.level === 'grid' && !!ticket.gridCode && actorGridCodes(actor).includes(ticket.gridCode) && (ticket.assigneeId === null || ticket.assigneeId === actor.id)
    case 'community_staff':
      return (ticket.level === 'grid' || ticket.level === 'community') && ticket.communityCode === actor.scope.communityCode
    case 'department_staff':
      return ticket.departmentCode !== null && ticket.departmentCode === actor.scope.departmentCode
    default:
      return false
  }
}

/** A supervisor may steer tickets in their scope that sit at their level or below (any level for the district). */
function supervises(actor: TicketActor, ticket: Ticket): boolean {
  if (isSystemActor(actor)) return true
  const rank = ROLE_RANK[actor.role]
  if (rank === undefined || rank === 0) return false
  if (actor.role === 'district_admin') return true
  if (ticket.level === 'department') return actor.role === 'street_admin' && isInScope(actor, territoryOf(ticket))
  return (LEVEL_RANK[ticket.level] ?? 99) <= rank && isInScope(actor, territoryOf(ticket))
}

/**
 * Object-level "may this caller fire this event on this ticket", for a caller who can see it and whose
 * role may fire the event at all (the shared machine answers that). False means 403: the ticket is
 * visible but not theirs to act on (another worker's, another level's, or not their own report).
 */
export function mayActOn(actor: TicketActor, ticket: Ticket, event: TicketEvent, relation: TicketRelation): boolean {
  if (isSystemActor(actor)) return true
  switch (event) {
    case 'cancel':
      return relation.isReporter
    case 'rate':
    case 'reopen':
      return relation.isReporter || relation.isFollower
    case 'accept':
    case 'start':
    case 'reply':
    case 'resolve':
    case 'return':
    case 'extend_request':
    case 'suspend':
    case 'resume':
      return isHandlerOf(actor, ticket)
    case 'transfer':
    case 'escalate':
    case 'cohandle':
      return isHandlerOf(actor, ticket) || supervises(actor, ticket)
    case 'cohandle_reply':
      return relation.isCohandler === true
    case 'press':
      return relation.isReporter || relation.isFollower
    // Which supervisor exactly decides an extension is a rule (wrong_approval_level), so a supervisor
    // of the wrong level hears why rather than a bare 403.
    case 'extend_approve':
    case 'extend_deny':
    case 'callback':
      return supervises(actor, ticket)
    case 'reject':
      return supervises(actor, ticket)
    case 'urge':
      return supervises(actor, ticket)
    case 'close':
      return actor.role === 'district_admin'
    case 'assign':
      return false
  }
}

/** Where a ticket keeps its territory and department queue (the inbox indexes lead with these columns). */
const TICKET_SCOPE_COLUMNS: ScopeColumns = { street: 'street_code', community: 'community_code', grid: 'grid_code', department: 'department_code' }

/**
 * Restricts a tickets query (alias `t`) to what a staff member may see, by the same rule as
 * canSeeTicket: the role → scope table of auth/policy.ts, and no department-queue tickets for
 * TERRITORY_HANDLERS. Each scope matches one inbox index: (scope column, state_group, due_at, id).
 * Citizens see nothing through it (their lists are "mine" and "followed").
 */
export function applyStaffScope<T extends object>(qb: SelectQueryBuilder<T>, actor: TicketActor): SelectQueryBuilder<T> {
  if (isSystemActor(actor)) return qb
  if (ROLE_SCOPE[actor.role] === 'owner') return qb.andWhere('1 = 0')
  const scope = scopeCondition(actor, 't', TICKET_SCOPE_COLUMNS)
  if (scope) qb.andWhere(scope.sql, scope.params)
  if (TERRITORY_HANDLERS.includes(actor.role)) qb.andWhere('t.level <> :departmentLevel', { departmentLevel: 'department' })
  return qb
}
