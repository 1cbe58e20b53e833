import { OpeningHoursSchema, isOpenAt, type OpeningHours, type QueueLevel, type TestingPointStatus, type TestingPointView } from '@palm/shared'
import type { TerritoryNames } from '../territory/index'
import type { TestingPoint } from './testing-point.entity'
import { presentPoint } from '../maps/index'

export function parseOpeningHours(raw: string): OpeningHours {
  const parsed = OpeningHoursSchema.safeParse(JSON.parse(raw) as unknown)
  return parsed.success ? parsed.data : { weekly: [] }
}

/** A point is "open now" only when its status is open and the clock is inside its weekly hours. */
export function isPointOpenNow(point: TestingPoint, hours: OpeningHours, now: Date): boolean {
  return point.status === 'open' && isOpenAt(hours, now)
}

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
