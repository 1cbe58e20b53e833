import type { QueueLevel, TestingPointStatus, TestingPointView } from '@palm/shared'
import type { EntityManager } from 'typeorm'
import { loadTerritoryNames, type TerritoryNames } from '../territory/index'
import { isPointOpenNow, parseOpeningHours } from './opening-hours'
import type { TestingPoint } from './testing-point.entity'
import { presentPoint } from '../../http/coords'

export function presentTestingPoint(point: TestingPoint, names: TerritoryNames, now: Date, distance?: number): TestingPointView {
  const hours = parseOpeningHours(point.openingHours)
  return {
    id: point.id,
    name: point.name,
    address: point.address,
    location: presentPoint(point.lat, point.lng),
    community: names.community(point.communityCode) ?? { code: point.communityCode, name: point.communityCode },
    street: names.street(point.streetCode) ?? { code: point.streetCode, name: point.streetCode },
    openingHours: hours,
    status: point.status as TestingPointStatus,
    queueLevel: point.queueLevel as QueueLevel,
    openNow: isPointOpenNow(point, hours, now),
    ...(distance !== undefined ? { distance: Math.round(distance) } : {}),
    requestTicketId: point.requestTicketId,
    updatedAt: point.updatedAt.toISOString()
  }
}

/** Views of points (each with its distance when it has one) and the names of their streets and communities (two reads). */
export async function presentTestingPoints(em: EntityManager, ranked: ReadonlyArray<{ point: TestingPoint; distance?: number }>, now: Date): Promise<TestingPointView[]> {
  const names = await loadTerritoryNames(em, { streetCodes: ranked.map((r) => r.point.streetCode), communityCodes: ranked.map((r) => r.point.communityCode) })
  return ranked.map((r) => presentTestingPoint(r.point, names, now, r.distance))
}

/** The view of one point. */
export async function presentOneTestingPoint(em: EntityManager, point: TestingPoint, now: Date): Promise<TestingPointView> {
  const names = await loadTerritoryNames(em, { streetCodes: [point.streetCode], communityCodes: [point.communityCode] })
  return presentTestingPoint(point, names, now)
}
