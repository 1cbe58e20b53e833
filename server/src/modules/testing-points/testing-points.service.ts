import { randomUUID } from 'node:crypto'
import {
  distanceMetres,
  type CreateTestingPointInput,
  type TestingPointQuery,
  type TestingPointView,
  type UpdateTestingPointInput
} from '@palm/shared'
import type { EntityManager } from 'typeorm'
import { ForbiddenError, NotFoundError } from '../../errors'
import type { Actor } from '../auth/actor'
import { isInScope, requireCommunityInScope } from '../auth/policy'
import { loadTerritoryNames } from '../territory/index'
import { TestingPoint } from './testing-point.entity'
import { isPointOpenNow, parseOpeningHours, presentTestingPoint } from './testing-points.presenter'

/** Who may create and edit testing points (each within their own area). */
export const TESTING_POINT_EDITORS = ['community_staff', 'street_admin', 'district_admin'] as const

function requireEditor(actor: Actor): void {
  if (!(TESTING_POINT_EDITORS as readonly string[]).includes(actor.role)) throw new ForbiddenError('Only community, street or district staff edit testing points.')
}

/**
 * Residents' list: nearest first with the distance in metres when a point is given, otherwise by
 * name; closed points hidden unless asked for; `openNow` keeps those open at this minute. The number
 * of points in a district is in the hundreds, so distances are computed over all candidates.
 */
export async function listTestingPoints(em: EntityManager, now: Date, query: TestingPointQuery): Promise<TestingPointView[]> {
  const qb = em.getRepository(TestingPoint).createQueryBuilder('p')
  if (!query.includeClosed) qb.andWhere('p.status <> :closed', { closed: 'closed' })
  if (query.communityCode) qb.andWhere('p.communityCode = :community', { community: query.communityCode })
  if (query.streetCode) qb.andWhere('p.streetCode = :street', { street: query.streetCode })
  let points = await qb.getMany()
  if (query.openNow) points = points.filter((p) => isPointOpenNow(p, parseOpeningHours(p.openingHours), now))
  const origin = query.lat !== undefined && query.lng !== undefined ? { lat: query.lat, lng: query.lng } : undefined
  const ranked = points
    .map((point) => ({ point, distance: origin ? distanceMetres(origin, { lat: point.lat, lng: point.lng }) : undefined }))
    .sort((a, b) => (origin ? (a.distance ?? 0) - (b.distance ?? 0) : a.point.name.localeCompare(b.point.name, 'zh-CN')))
    .slice(0, query.limit)
  const names = await loadTerritoryNames(em, {
    streetCodes: ranked.map((r) => r.point.streetCode),
    communityCodes: ranked.map((r) => r.point.communityCode)
  })
  return ranked.map((r) => presentTestingPoint(r.point, names, now, r.distance))
}

/** @throws NotFoundError */
export async function getTestingPoint(em: EntityManager, now: Date, id: string): Promise<TestingPointView> {
  const point = await em.findOneBy(TestingPoint, { id })
  if (!point) throw new NotFoundError('No such testing point.')
  return presentWithNames(em, point, now)
}

async function presentWithNames(em: EntityManager, point: TestingPoint, now: Date): Promise<TestingPointView> {
  const names = await loadTerritoryNames(em, { streetCodes: [point.streetCode], communityCodes: [point.communityCode] })
  return presentTestingPoint(point, names, now)
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
  requireEditor(actor)
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

export async function createTestingPoint(em: EntityManager, now: Date, actor: Actor, input: CreateTestingPointInput): Promise<TestingPointView> {
  const point = await insertTestingPoint(em, now, actor, input)
  return presentWithNames(em, point, now)
}

/**
 * Edits a point in the actor's scope (status, queue level, hours, …). Moving it to another community
 * needs that community in scope too. A point out of scope is 404, as if it did not exist.
 * @throws ForbiddenError; NotFoundError
 */
export async function updateTestingPoint(em: EntityManager, now: Date, actor: Actor, id: string, input: UpdateTestingPointInput): Promise<TestingPointView> {
  requireEditor(actor)
  const point = await em.findOneBy(TestingPoint, { id })
  if (!point || !isInScope(actor, { communityCode: point.communityCode, streetCode: point.streetCode })) throw new NotFoundError('No such testing point in your area.')
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
  return presentWithNames(em, point, now)
}
