import { PRIVATE_TICKET_KINDS, distanceMetres, TicketLimits, type NearbyTicketsQuery, type NearbyTicketView, type TicketState } from '@palm/shared'
import { In, type EntityManager } from 'typeorm'
import type { Actor } from '../../auth/actor'
import { Community } from '../../territory/territory.entity'
import { maskPublicText } from '../../masking/index'
import { Ticket, TicketFollower } from '../ticket.entity'
import { loadReporterNames } from '../tickets.public-presenter'

const METRES_PER_DEGREE_LAT = 111_320
const SUMMARY_CHARS = 40
/** Candidates read from the bounding box before the exact distance test. */
const CANDIDATE_LIMIT = 200

/**
 * Open tickets of the same category within 250 m, nearest first: a bounding box in SQL (the
 * (category, state_group, lat, lng) index), then the exact great-circle distance. Shown to a resident
 * about to file, so they can follow instead: no reporter, no address, no anonymous tips nor private
 * kinds (fraud and hazard tips, legal consultations), and the text only when its reporter allowed
 * publication, masked as the public board masks it.
 */
export async function findNearbyTickets(em: EntityManager, actor: Actor, query: NearbyTicketsQuery): Promise<NearbyTicketView[]> {
  const radius = TicketLimits.nearbyRadiusMetres
  const dLat = radius / METRES_PER_DEGREE_LAT
  const dLng = radius / (METRES_PER_DEGREE_LAT * Math.max(0.01, Math.cos((query.lat * Math.PI) / 180)))
  const candidates = await em
    .getRepository(Ticket)
    .createQueryBuilder('t')
    .where('t.category = :category AND t.state_group = :open AND t.anonymous = :anonymous', { category: query.category, open: 'open', anonymous: false })
    .andWhere('t.kind NOT IN (:...privateKinds)', { privateKinds: [...PRIVATE_TICKET_KINDS] })
    .andWhere('t.lat BETWEEN :minLat AND :maxLat AND t.lng BETWEEN :minLng AND :maxLng', {
      minLat: query.lat - dLat,
      maxLat: query.lat + dLat,
      minLng: query.lng - dLng,
      maxLng: query.lng + dLng
    })
    .limit(CANDIDATE_LIMIT)
    .getMany()
  const near = candidates
    .map((t) => ({ t, distance: distanceMetres(query, { lat: t.lat ?? 0, lng: t.lng ?? 0 }) }))
    .filter((c) => c.distance <= radius)
    .sort((a, b) => a.distance - b.distance)
    .slice(0, TicketLimits.nearbyMaxItems)
  if (near.length === 0) return []
  const ids = near.map((n) => n.t.id)
  const [followerRows, communities, reporterNames] = await Promise.all([
    em.getRepository(TicketFollower).find({ where: { ticketId: In(ids) }, select: { ticketId: true, userId: true } }),
    em.getRepository(Community).find({ where: { code: In([...new Set(near.map((n) => n.t.communityCode).filter((c): c is string => !!c))]) } }),
    loadReporterNames(
      em,
      near.filter((n) => n.t.allowPublication).map((n) => n.t)
    )
  ])
  const communityNames = new Map(communities.map((c) => [c.code, c.name]))
  const summaryOf = (t: Ticket) => {
    const name = reporterNames.get(t.reporterId)
    const communityName = t.communityCode ? (communityNames.get(t.communityCode) ?? null) : null
    const masked = maskPublicText(t.description, { names: name ? [name] : [], address: t.address, communityName })
    return Array.from(masked).slice(0, SUMMARY_CHARS).join('')
  }
  return near.map(({ t, distance }) => {
    const followers = followerRows.filter((f) => f.ticketId === t.id)
    return {
      id: t.id,
      number: t.number,
      category: t.category,
      state: t.state as TicketState,
      createdAt: t.createdAt.toISOString(),
      distance: Math.round(distance),
      ...(t.communityCode ? { community: { code: t.communityCode, name: communityNames.get(t.communityCode) ?? t.communityCode } } : {}),
      ...(t.allowPublication ? { summary: summaryOf(t) } : {}),
      followers: followers.length,
      following: t.reporterId === actor.id || followers.some((f) => f.userId === actor.id)
    }
  })
}
