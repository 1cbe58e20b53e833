import { randomUUID } from 'node:crypto'
import { distanceMetres, type ApproveTestingPointRequestInput, type LatLng } from '@palm/shared'
import { In, IsNull, type EntityManager } from 'typeorm'
import type { AppDeps } from '../../deps'
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from '../../errors'
import type { Actor } from '../auth/actor'
import { isUniqueViolation } from '../../db/errors'
import { notifyServiceUsers } from '../notifications/index'
import { Ticket, findServiceTicket, resolveServiceTicket } from '../tickets/index'
import { REQUEST_KIND, requestDetails } from './request-details'
import { TestingPoint, TestingPointSupport } from './testing-point.entity'
import { mayApproveRequest } from './testing-points.policy'
import { insertTestingPoint } from './testing-points.service'

/** How far around a point "requests near me" reach. */
const NEARBY_REQUEST_METRES = 3_000

/** An open request of the residents' list with its distance in metres from the point asked about, if any. */
export interface RankedRequest {
  ticket: Ticket
  distance?: number
}

/** An open testing-point request, or 404 (any other ticket id looks absent here). */
async function requireRequest(em: EntityManager, ticketId: string): Promise<Ticket> {
  const ticket = await findServiceTicket(em, ticketId)
  if (!ticket || ticket.kind !== REQUEST_KIND) throw new NotFoundError('No such testing-point request.', 'ticket_not_found')
  return ticket
}

/**
 * +1 (附议) on an open request, once per resident: the unique (ticket, user) index refuses a second
 * support even when two arrive at once. The requester's own request already counts as theirs.
 * @throws NotFoundError; ConflictError `request_closed` | `already_supported`
 */
export async function supportRequest(em: EntityManager, deps: AppDeps, actor: Actor, ticketId: string): Promise<Ticket> {
  const ticket = await requireRequest(em, ticketId)
  if (ticket.stateGroup !== 'open') throw new ConflictError('request_closed', 'This request has already been decided.')
  if (ticket.reporterId === actor.id) throw new ConflictError('already_supported', 'Your own request already counts as your support.')
  try {
    await em.insert(TestingPointSupport, { id: randomUUID(), ticketId, userId: actor.id, createdAt: deps.now(), notifiedAt: null })
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError('already_supported', 'You have already supported this request.')
    throw err
  }
  return ticket
}

/** The request whose support is asked about (any caller may ask). @throws NotFoundError */
export async function getSupportedRequest(em: EntityManager, ticketId: string): Promise<Ticket> {
  return requireRequest(em, ticketId)
}

/**
 * Open requests residents can support: of a community, or within 3 km of a point (nearest first).
 * The 200 newest candidates are ranked in memory; a district has few open requests at a time.
 */
export async function listOpenRequests(em: EntityManager, query: { communityCode?: string; lat?: number; lng?: number; limit: number }): Promise<RankedRequest[]> {
  const qb = em.getRepository(Ticket).createQueryBuilder('t').where('t.kind = :kind AND t.stateGroup = :open', { kind: REQUEST_KIND, open: 'open' })
  if (query.communityCode) qb.andWhere('t.communityCode = :community', { community: query.communityCode })
  const origin: LatLng | undefined = query.lat !== undefined && query.lng !== undefined ? { lat: query.lat, lng: query.lng } : undefined
  if (origin) {
    const dLat = NEARBY_REQUEST_METRES / 111_000
    const dLng = dLat / Math.cos((origin.lat * Math.PI) / 180)
    qb.andWhere('t.lat BETWEEN :minLat AND :maxLat AND t.lng BETWEEN :minLng AND :maxLng', {
      minLat: origin.lat - dLat,
      maxLat: origin.lat + dLat,
      minLng: origin.lng - dLng,
      maxLng: origin.lng + dLng
    })
  }
  const tickets = await qb.orderBy('t.createdAt', 'DESC').addOrderBy('t.id', 'DESC').take(200).getMany()
  return tickets
    .map((ticket): RankedRequest => ({ ticket, distance: origin && ticket.lat !== null && ticket.lng !== null ? distanceMetres(origin, { lat: ticket.lat, lng: ticket.lng }) : undefined }))
    .filter((r) => !origin || (r.distance !== undefined && r.distance <= NEARBY_REQUEST_METRES))
    .sort((a, b) => (origin ? (a.distance ?? 0) - (b.distance ?? 0) : 0))
    .slice(0, query.limit)
}

/**
 * Tells every supporter of a request that it was decided (here: the point is open), in the
 * transaction of the decision, and marks them told so nobody hears it twice. The requester hears it
 * through their ticket. Returns how many supporters were told.
 */
export async function notifySupporters(em: EntityManager, deps: AppDeps, request: { ticketId: string; place: string }, point: TestingPoint): Promise<number> {
  const supporters = await em.find(TestingPointSupport, { where: { ticketId: request.ticketId, notifiedAt: IsNull() } })
  if (supporters.length === 0) return 0
  await notifyServiceUsers(
    em,
    deps,
    supporters.map((s) => ({
      userId: s.userId,
      kind: 'testing_point_published',
      title: '您附议的检测点已开放',
      body: `您支持的“${request.place}”增设检测点申请已通过：${point.name}（${point.address}）已开放。`,
      ticketId: request.ticketId
    }))
  )
  await em.update(TestingPointSupport, { id: In(supporters.map((s) => s.id)) }, { notifiedAt: deps.now() })
  return supporters.length
}

export interface ApprovalResult {
  point: TestingPoint
  ticketId: string
  notifiedSupporters: number
}

/**
 * Approves a request: publishes the testing point (linked to the request, one point per request),
 * resolves the request's ticket with the reply, and tells every supporter, all in one transaction.
 * Approval is the community's: its staff take the ticket over from a grid worker when needed.
 * @throws NotFoundError out of scope; ConflictError `request_closed` or a second approval; ForbiddenError when the ticket cannot be settled by the actor
 */
export async function approveRequest(em: EntityManager, deps: AppDeps, actor: Actor, ticketId: string, input: ApproveTestingPointRequestInput): Promise<ApprovalResult> {
  const ticket = await requireRequest(em, ticketId)
  if (!mayApproveRequest(actor, ticket)) throw new NotFoundError('No such testing-point request.', 'ticket_not_found')
  if (ticket.stateGroup !== 'open') throw new ConflictError('request_closed', 'This request has already been decided.')
  const details = requestDetails(ticket)
  const location = input.location ?? (ticket.lat !== null && ticket.lng !== null ? { lat: ticket.lat, lng: ticket.lng } : undefined)
  if (!location) throw new BadRequestError('validation_failed', 'The request has no point; give the location.', [{ path: 'location', code: 'required', message: 'required' }])
  const communityCode = input.communityCode ?? ticket.communityCode
  if (!communityCode) throw new BadRequestError('validation_failed', 'Name the community.', [{ path: 'communityCode', code: 'required', message: 'required' }])
  const now = deps.now()
  let point: TestingPoint
  try {
    point = await insertTestingPoint(
      em,
      now,
      actor,
      { name: input.name, address: input.address ?? details.place, location, communityCode, openingHours: input.openingHours, status: input.status, queueLevel: input.queueLevel },
      { requestTicketId: ticket.id }
    )
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError('request_closed', 'A point has already been published for this request.')
    throw err
  }
  const reply = input.reply ?? `已在${point.address}增设检测点“${point.name}”，现已开放，感谢您的建议。`
  if (!(await resolveServiceTicket(em, deps, actor, ticket.id, reply))) {
    throw new ForbiddenError('This request is not yours to settle; its community handles it.')
  }
  const notifiedSupporters = await notifySupporters(em, deps, { ticketId: ticket.id, place: details.place }, point)
  return { point, ticketId: ticket.id, notifiedSupporters }
}
