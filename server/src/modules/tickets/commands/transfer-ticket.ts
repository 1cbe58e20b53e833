import { isStaffRole, type Role, type TransferTarget } from '@palm/shared'
import type { EntityManager } from 'typeorm'
import { ForbiddenError, NotFoundError } from '../../../errors'
import { isInScope } from '../../auth/policy'
import { User } from '../../auth/user.entity'
import { Community, Department, Grid } from '../../territory/territory.entity'
import type { Ticket } from '../ticket.entity'
import { isSystemActor, type TicketActor } from '../ticket-actor'
import type { TransitionCommand, TransitionOutcome } from './transition-context'

type Destination = Pick<Ticket, 'level' | 'gridCode' | 'communityCode' | 'streetCode' | 'departmentCode' | 'assigneeId'> & { name: string }

const outOfScope = () => new NotFoundError('There is no such target in your scope.')

/** Street and district centres dispatch to any department; a department only within itself. */
function mayReachDepartment(actor: TicketActor, departmentCode: string): boolean {
  if (isSystemActor(actor)) return true
  if (actor.role === 'street_admin' || actor.role === 'district_admin') return true
  return actor.role === 'department_staff' && actor.scope.departmentCode === departmentCode
}

async function gridDestination(em: EntityManager, actor: TicketActor, code: string): Promise<Destination> {
  const grid = await em.getRepository(Grid).findOneBy({ code })
  if (!grid || isSystemActor(actor) || !isInScope(actor, { gridCode: grid.code, communityCode: grid.communityCode, streetCode: grid.streetCode })) throw outOfScope()
  return { level: 'grid', gridCode: grid.code, communityCode: grid.communityCode, streetCode: grid.streetCode, departmentCode: null, assigneeId: null, name: grid.name }
}

async function communityDestination(em: EntityManager, actor: TicketActor, ticket: Ticket, code: string): Promise<Destination> {
  const community = await em.getRepository(Community).findOneBy({ code })
  if (!community || isSystemActor(actor) || !isInScope(actor, { communityCode: community.code, streetCode: community.streetCode })) throw outOfScope()
  // The grid stays when the ticket stays in its community, so its grid worker still sees it.
  const gridCode = ticket.communityCode === community.code ? ticket.gridCode : null
  return { level: 'community', gridCode, communityCode: community.code, streetCode: community.streetCode, departmentCode: null, assigneeId: null, name: community.name }
}

async function departmentDestination(em: EntityManager, actor: TicketActor, ticket: Ticket, code: string): Promise<Destination> {
  const department = await em.getRepository(Department).findOneBy({ code })
  if (!department) throw outOfScope()
  if (!mayReachDepartment(actor, department.code)) throw new ForbiddenError('Only street and district centres dispatch to departments.')
  return {
    level: 'department',
    gridCode: ticket.gridCode,
    communityCode: ticket.communityCode,
    streetCode: ticket.streetCode,
    departmentCode: department.code,
    assigneeId: null,
    name: department.name
  }
}

/** A named handler: the ticket moves to their unit (grid, community or department) and into their hands. */
async function personDestination(em: EntityManager, actor: TicketActor, ticket: Ticket, id: string): Promise<Destination> {
  const user = await em.getRepository(User).findOneBy({ id })
  if (!user || user.disabled || !isStaffRole(user.role as Role)) throw outOfScope()
  let unit: Destination
  if (user.role === 'grid_worker' && user.gridCode) unit = await gridDestination(em, actor, user.gridCode)
  else if (user.role === 'community_staff' && user.communityCode) unit = await communityDestination(em, actor, ticket, user.communityCode)
  else if (user.role === 'department_staff' && user.departmentCode) unit = await departmentDestination(em, actor, ticket, user.departmentCode)
  else throw outOfScope()
  return { ...unit, assigneeId: user.id, name: user.displayName }
}

function destinationFor(em: EntityManager, actor: TicketActor, ticket: Ticket, target: TransferTarget): Promise<Destination> {
  if (target.gridCode) return gridDestination(em, actor, target.gridCode)
  if (target.communityCode) return communityDestination(em, actor, ticket, target.communityCode)
  if (target.departmentCode) return departmentDestination(em, actor, ticket, target.departmentCode)
  if (target.assigneeId) return personDestination(em, actor, ticket, target.assigneeId)
  throw outOfScope()
}

/**
 * 转派: within the actor's own scope, to a grid, a community queue, a department queue or a named
 * handler. Every code in the target is checked against the caller's scope (docs/security.md API1-3): a
 * target outside it is 404, as if it did not exist; a department for a caller who may not dispatch
 * to departments is 403. The ticket waits as `assigned` for the new handler to accept.
 * @throws NotFoundError, ForbiddenError
 */
export const transferTicket: TransitionCommand = async ({ em, actor, ticket, input }): Promise<TransitionOutcome> => {
  if (!input.target) throw outOfScope()
  const { name, ...destination } = await destinationFor(em, actor, ticket, input.target)
  const reason = `由${actor.displayName}转派至${name}${input.note ? `：${input.note}` : ''}`
  return {
    patch: { ...destination, routingReason: reason, routingInputs: JSON.stringify({ transfer: input.target, from: { level: ticket.level } }) },
    data: { target: input.target, level: destination.level }
  }
}
