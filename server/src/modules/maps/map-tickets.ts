import { MAP_TICKETS_MAX, type TicketState, type MapScope, type MapTicketsQuery, type MapTicketsView } from '@palm/shared'
import type { EntityManager } from 'typeorm'
import type { AppDeps } from '../../deps'
import { actorGridCodes, type Actor } from '../auth/actor'
import { applyStaffScope, canSeeTicket, Ticket } from '../tickets/index'
import { presentPoint } from '../../http/coords'

/** Where the caller's tickets lie, for the map to draw those grids (and not the whole district). */
export function mapScopeOf(actor: Actor): MapScope {
  switch (actor.role) {
    case 'grid_worker':
      return { gridCodes: [...actorGridCodes(actor)] }
    case 'community_staff':
      return actor.scope.communityCode ? { communityCode: actor.scope.communityCode } : {}
    case 'street_admin':
      return actor.scope.streetCode ? { streetCode: actor.scope.streetCode } : {}
    default:
      return {}
  }
}

/**
 * The staff map's markers: the tickets of the caller's scope that have a point, the most urgent
 * first, at most MAP_TICKETS_MAX. The same scope rule as the inbox, and each row is checked once
 * more with the detail's rule, so a marker never opens a 404 (docs/maps.md).
 */
export async function mapTickets(em: EntityManager, deps: AppDeps, actor: Actor, query: MapTicketsQuery): Promise<MapTicketsView> {
  const system = query.coordSystem ?? 'wgs84'
  const now = deps.now()
  const qb = em.getRepository(Ticket).createQueryBuilder('t').where('t.lat IS NOT NULL AND t.lng IS NOT NULL')
  applyStaffScope(qb, actor)
  if (query.state !== 'all') qb.andWhere('t.state_group = :group', { group: query.state })
  const rows = await qb
    .orderBy('t.due_at', 'ASC')
    .addOrderBy('t.id', 'ASC')
    .limit(MAP_TICKETS_MAX + 1)
    .getMany()
  const visible = rows.slice(0, MAP_TICKETS_MAX).filter((t) => canSeeTicket(actor, t, { isReporter: t.reporterId === actor.id, isFollower: false }))
  return {
    coordSystem: system,
    truncated: rows.length > MAP_TICKETS_MAX,
    scope: mapScopeOf(actor),
    items: visible.map((t) => ({
      id: t.id,
      number: t.number,
      category: t.category,
      state: t.state as TicketState,
      stateGroup: t.stateGroup as 'open' | 'done',
      overdue: t.stateGroup === 'open' && t.dueAt.getTime() < now.getTime(),
      title: t.description.length > 40 ? `${t.description.slice(0, 40)}…` : t.description,
      address: t.address,
      gridCode: t.gridCode,
      point: presentPoint(t.lat as number, t.lng as number, system)
    }))
  }
}
