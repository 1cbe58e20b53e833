import type { CommunityOfficeView, GridWorkerCardView, MyGridView } from '@palm/shared'
import { In, Not, IsNull, type DataSource, type EntityManager } from 'typeorm'
import type { Actor } from '../auth/actor'
import { StaffGrid } from '../auth/staff-grid.entity'
import { User } from '../auth/user.entity'
import { Publication } from '../publication/publication.entity'
import { presentPublication } from '../publication/publication.presenter'
import { Community, Grid, Street } from '../territory/territory.entity'
import { locatePoint } from '../territory/index'
import { Ticket } from '../tickets/ticket.entity'
import { CommunityOffice, StaffCard } from './places.entity'

/** 我的网格 (docs/places-and-grids.md): a resident's grid, its workers, the community office, public replies. */

const RECENT_REPLIES = 5

/** The grid of the resident's newest report that has one (their "home" grid until they say otherwise). */
async function lastReportGrid(em: EntityManager, residentId: string): Promise<string | null> {
  const t = await em.getRepository(Ticket).findOne({ select: { id: true, gridCode: true }, where: { reporterId: residentId, gridCode: Not(IsNull()) }, order: { createdAt: 'DESC', id: 'DESC' } })
  return t?.gridCode ?? null
}

export function presentOffice(o: CommunityOffice): CommunityOfficeView {
  return { name: o.name, address: o.address, phone: o.phone, hours: o.hours }
}

/**
 * The grid's workers as residents may see them. A worker's call button uses their public work
 * number, else the community office's; users.phone (the private phone) is never read here.
 */
async function workerCards(em: EntityManager, gridCode: string, office: CommunityOffice | null): Promise<GridWorkerCardView[]> {
  const attached = await em.getRepository(StaffGrid).find({ where: { gridCode } })
  const ids = [...new Set(attached.map((a) => a.userId))]
  const primary = await em.getRepository(User).find({ select: { id: true }, where: { gridCode, role: 'grid_worker', disabled: false } })
  for (const u of primary) if (!ids.includes(u.id)) ids.push(u.id)
  if (!ids.length) return []
  const [workers, cards] = await Promise.all([
    em.getRepository(User).find({ select: { id: true, displayName: true }, where: { id: In(ids), role: 'grid_worker', disabled: false }, order: { displayName: 'ASC', id: 'ASC' } }),
    em.getRepository(StaffCard).find({ where: { userId: In(ids) } })
  ])
  const cardOf = new Map(cards.map((c) => [c.userId, c]))
  return workers.map((w) => {
    const card = cardOf.get(w.id)
    const phone = card?.workPhone ?? office?.phone ?? null
    return { displayName: w.displayName, photoUrl: card?.photoUrl ?? null, phone, phoneSource: card?.workPhone ? 'work' : office?.phone ? 'community' : null }
  })
}

/** Replies released to the public board for tickets of this grid, newest first (already masked). */
async function publicReplies(em: EntityManager, gridCode: string): Promise<MyGridView['replies']> {
  const rows = await em
    .getRepository(Publication)
    .createQueryBuilder('p')
    .innerJoin(Ticket, 't', 't.id = p.ticket_id')
    .where('t.grid_code = :gridCode', { gridCode })
    .andWhere("p.state = 'published'")
    .orderBy('p.published_at', 'DESC')
    .addOrderBy('p.ticket_id', 'DESC')
    .limit(RECENT_REPLIES)
    .getMany()
  return rows.map(presentPublication)
}

/** My grid from a point (WGS-84) when given, else from the resident's last located report; null grid when neither. */
export async function myGrid(ds: DataSource, actor: Actor, point: { lat: number; lng: number } | null): Promise<MyGridView> {
  const em = ds.manager
  let source: MyGridView['source'] = null
  let gridCode: string | null = null
  if (point) {
    gridCode = (await locatePoint(ds, point)).grid.code
    source = 'point'
  } else {
    gridCode = await lastReportGrid(em, actor.id)
    if (gridCode) source = 'last_report'
  }
  const grid = gridCode ? await em.getRepository(Grid).findOneBy({ code: gridCode }) : null
  if (!grid) return { source: null, grid: null, community: null, street: null, workers: [], office: null, replies: [] }
  const [community, street, office] = await Promise.all([
    em.getRepository(Community).findOneBy({ code: grid.communityCode }),
    em.getRepository(Street).findOneBy({ code: grid.streetCode }),
    em.getRepository(CommunityOffice).findOneBy({ communityCode: grid.communityCode })
  ])
  const [workers, replies] = await Promise.all([workerCards(em, grid.code, office), publicReplies(em, grid.code)])
  return {
    source,
    grid: { code: grid.code, name: grid.name },
    community: { code: grid.communityCode, name: community?.name ?? grid.communityCode },
    street: { code: grid.streetCode, name: street?.name ?? grid.streetCode },
    workers,
    office: office ? presentOffice(office) : null,
    replies
  }
}
