import { OpeningHoursSchema, isOpenAt, type OpeningHours } from '@palm/shared'
import type { TestingPoint } from './testing-point.entity'

/** A point's weekly hours as stored (JSON); a row that no longer parses counts as never open rather than failing the list. */
export function parseOpeningHours(raw: string): OpeningHours {
  const parsed = OpeningHoursSchema.safeParse(JSON.parse(raw) as unknown)
  return parsed.success ? parsed.data : { weekly: [] }
}

/** A point is "open now" only when its status is open and the clock is inside its weekly hours. */
export function isPointOpenNow(point: TestingPoint, hours: OpeningHours, now: Date): boolean {
  return point.status === 'open' && isOpenAt(hours, now)
}
