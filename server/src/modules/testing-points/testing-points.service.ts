import { randomUUID } from 'node:crypto'
import { distanceMetres, type CreateTestingPointInput, type TestingPointQuery, type UpdateTestingPointInput } from '@palm/shared'
import type { EntityManager } from 'typeorm'
import { NotFoundError } from '../../errors'
import type { Actor } from '../auth/actor'
import { requireCommunityInScope } from '../auth/policy'
import { TestingPoint } from './testing-point.entity'
import { isPointOpenNow, parseOpeningHours } from './opening-hours'
import { assertPointEditor, mayEditPoint } from './testing-points.policy'

/** A point of the residents' list with its distance in metres from the point asked about, if any. */
export interface RankedTestingPoint {
  point: TestingPoint
  distance?: number
}

/**
 * Residents' list: nearest first with the distance in metres when a point is given, otherwise by
 * name; closed points hidden unless asked for; `openNow` keeps those open at this minute. The number
 * of points in a district is in the hundreds, so distances are computed over all candidates.
 */
export async function listTestingPoints(em: EntityManager, now: Date, query: TestingPointQuery): Promise<RankedTestingPoint[]> {
  const qb = em.getRepository(TestingPoint).createQueryBuilder('p')
  if (!query.includeClosed) qb.andWhere('p.status <> :closed', { closed: 'closed' })
  if (query.communityCode) qb.andWhere('p.communityCode = :community', { community: query.communityCode })
  if (query.streetCode) qb.andWhere('p.streetCode = :street', { street: query.streetCode })
  let points = await qb.getMany()
  if (query.openNow) points = points.filter((p) => isPointOpenNow(p, parseOpeningHours(p.openingHours), now))
  const origin = query.lat !== undefined && query.lng !== undefined ? { lat: query.lat, lng: query.lng } : undefined
  return points
    .map((point): RankedTestingPoint => (origin ? { point, distance: distanceMetres(origin, { lat: point.lat, lng: point.lng }) } : { point }))
    .sort((a, b) => (origin ? (a.distance ?? 0) - (b.distance ?? 0) : a.point.name.localeCompare(b.point.name, 'zh-CN')))
    .slice(0, query.limit)
}

/** @throws NotFoundError */
export async function getTestingPoint(em: EntityManager, id: string): Promise<TestingPoint> {
  const point = await em.findOneBy(TestingPoint, { id })
  if (!point) throw new NotFoundError('No such testing point.')
  return point
}

/**
 * Inserts a point (also used by the approval of a resident request). The community must exist and
 * lie in the actor's scope.
 * @throws ForbiddenError for roles that do not edit points; NotFoundError for a community out of scope
 */
export async function insertTestingPoint(
  em: EntityManager,
  now: Date,
  actor: Actor,
  input: CreateTestingPointInput,
  extra: { requestTicketId?: string; synthetic?: boolean } = {}
): Promise<TestingPoint> {
  assertPointEditor(actor)
  const community = await requireCommunityInScope(em, actor, input.communityCode)
  const point = Object.assign(new TestingPoint(), {
    id: randomUUID(),
    name: input.name,
    address: input.address,
    lat: input.location.lat,
    lng: input.location.lng,
    communityCode: community.code,
    streetCode: community.streetCode,
    openingHours: JSON.stringify(input.openingHours),
    status: input.status,
    queueLevel: input.queueLevel,
    requestTicketId: extra.requestTicketId ?? null,
    createdBy: actor.id,
    synthetic: extra.synthetic ?? false,
    createdAt: now,
    updatedAt: now
  })
  await em.insert(TestingPoint, point)
  return point
}

export async function createTestingPoint(em: EntityManager, now: Date, actor: Actor, input: CreateTestingPointInput): Promise<TestingPoint> {
  return insertTestingPoint(em, now, actor, input)
}

/**
 * Edits a point in the actor's scope (status, queue level, hours, …). Moving it to another community
 * needs that community in scope too. A point out of scope is 404, as if it did not exist.
 * @throws ForbiddenError; NotFoundError
 */
export async function updateTestingPoint(em: EntityManager, now: Date, actor: Actor, id: string, input: UpdateTestingPointInput): Promise<TestingPoint> {
  assertPointEditor(actor)
  const point = await em.findOneBy(TestingPoint, { id })
  if (!point || !mayEditPoint(actor, point)) throw new NotFoundError('No such testing point in your area.')
  if (input.communityCode && input.communityCode !== point.communityCode) {
    const community = await requireCommunityInScope(em, actor, input.communityCode)
    point.communityCode = community.code
    point.streetCode = community.streetCode
  }
  if (input.name !== undefined) point.name = input.name
  if (input.address !== undefined) point.address = input.address
  if (input.location) {
    point.lat = input.location.lat
    point.lng = input.location.lng
  }
  if (input.openingHours) point.openingHours = JSON.stringify(input.openingHours)
  if (input.status) point.status = input.status
  if (input.queueLevel) point.queueLevel = input.queueLevel
  point.updatedAt = now
  await em.update(
    TestingPoint,
    { id: point.id },
    {
      name: point.name,
      address: point.address,
      lat: point.lat,
      lng: point.lng,
      communityCode: point.communityCode,
      streetCode: point.streetCode,
      openingHours: point.openingHours,
      status: point.status,
      queueLevel: point.queueLevel,
      updatedAt: now
    }
  )
  return point
}
