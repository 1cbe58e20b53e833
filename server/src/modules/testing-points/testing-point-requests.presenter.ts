import type { SupportView, TestingPointRequestView, TestingPointView } from '@palm/shared'
import { In, type EntityManager } from 'typeorm'
import type { Actor } from '../auth/actor'
import { maskContactData, maskPublicText } from '../masking/index'
import { loadTerritoryNames } from '../territory/index'
import { loadReporterNames } from '../tickets/index'
import type { ApprovalResult, RankedRequest } from './testing-point-requests.service'
import { presentOneTestingPoint } from './testing-points.presenter'
import { requestDetails } from './request-details'
import { TestingPointSupport } from './testing-point.entity'

/** The support a request has, and whether the caller is among its supporters. */
export async function presentSupport(em: EntityManager, actor: Actor, ticketId: string): Promise<SupportView> {
  const [supportCount, mine] = await Promise.all([em.countBy(TestingPointSupport, { ticketId }), em.countBy(TestingPointSupport, { ticketId, userId: actor.id })])
  return { ticketId, supportCount, supportedByMe: mine > 0 }
}

/** Support per request of a page, and which of them the caller supports (two reads). */
async function loadSupport(em: EntityManager, actor: Actor, ids: string[]): Promise<{ countBy: Map<string, number>; mine: Set<string> }> {
  const counts = await em
    .getRepository(TestingPointSupport)
    .createQueryBuilder('s')
    .select('s.ticketId', 'ticketId')
    .addSelect('COUNT(*)', 'n')
    .where('s.ticketId IN (:...ids)', { ids })
    .groupBy('s.ticketId')
    .getRawMany<{ ticketId: string; n: string | number }>()
  const mine = await em.find(TestingPointSupport, { where: { ticketId: In(ids), userId: actor.id } })
  return { countBy: new Map(counts.map((c) => [c.ticketId, Number(c.n)])), mine: new Set(mine.map((s) => s.ticketId)) }
}

/**
 * The open requests residents can support: the place, reason and support, never who asked. Place and
 * reason are the requester's own words shown to everyone, so they are masked as the public board
 * masks text (names, phone and ID numbers, door numbers; docs/privacy-of-tickets.md).
 */
export async function presentOpenRequests(em: EntityManager, actor: Actor, ranked: readonly RankedRequest[]): Promise<TestingPointRequestView[]> {
  if (ranked.length === 0) return []
  const tickets = ranked.map((r) => r.ticket)
  const { countBy, mine } = await loadSupport(
    em,
    actor,
    tickets.map((t) => t.id)
  )
  const names = await loadTerritoryNames(em, { communityCodes: tickets.map((t) => t.communityCode) })
  const reporterNames = await loadReporterNames(em, tickets)
  return ranked.map(({ ticket: t, distance }) => {
    const details = requestDetails(t)
    const reporterName = reporterNames.get(t.reporterId)
    return {
      ticketId: t.id,
      number: t.number,
      place: maskContactData(details.place),
      reason: maskPublicText(details.reason, { names: reporterName ? [reporterName] : [] }),
      ...(details.peopleServed !== undefined ? { peopleServed: details.peopleServed } : {}),
      community: names.community(t.communityCode),
      state: t.state,
      supportCount: countBy.get(t.id) ?? 0,
      supportedByMe: mine.has(t.id) || t.reporterId === actor.id,
      createdAt: t.createdAt.toISOString(),
      ...(distance !== undefined ? { distance: Math.round(distance) } : {})
    }
  })
}

/** The answer to an approval: the published point, the request it settles, and how many supporters were told. */
export async function presentApproval(em: EntityManager, approved: ApprovalResult, now: Date): Promise<{ point: TestingPointView; ticketId: string; notifiedSupporters: number }> {
  return { point: await presentOneTestingPoint(em, approved.point, now), ticketId: approved.ticketId, notifiedSupporters: approved.notifiedSupporters }
}
