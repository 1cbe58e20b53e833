import { createRequire } from 'node:module'

/**
 * The calendar of chinese-days (holidays and make-up working days, keyed "YYYY-MM-DD"). We read its
 * published table rather than call `isWorkday(date)`: the package builds its lookup with local-time
 * getters, and in a process whose time zone is west of UTC every day shifts by one (measured with
 * TZ=America/Los_Angeles: 2026-10-07 came out a working day). The table gives the package's own
 * answers, checked equal to `isWorkday` under TZ=UTC for every day of 2004–2027.
 */
const calendar = createRequire(import.meta.url)('chinese-days/dist/chinese-days.json') as {
  holidays: Record<string, string>
  workdays: Record<string, string>
}

/**
 * Working time of the district's offices. Pingcheng keeps Beijing time (UTC+08:00, no daylight saving
 * since 1991), so a fixed offset is exact and needs no time-zone database. Hours are the usual ones of
 * a Chinese government office: 09:00–12:00 and 13:30–18:00 (7.5 hours, 450 minutes a day).
 */
export const OFFICE_UTC_OFFSET_MINUTES = 8 * 60
export const WORKING_WINDOWS: ReadonlyArray<readonly [startMinute: number, endMinute: number]> = [
  [9 * 60, 12 * 60],
  [13 * 60 + 30, 18 * 60]
]

const MINUTE_MS = 60_000
const DAY_MS = 24 * 60 * MINUTE_MS
const OFFSET_MS = OFFICE_UTC_OFFSET_MINUTES * MINUTE_MS
/** Past this many calendar days without finding the time, the input is absurd (≈ 20 years). */
const MAX_DAYS_SCANNED = 7_500

const workdayCache = new Map<number, boolean>()

/**
 * Whether the office day `dayNumber` (days since 1970-01-01 in Beijing time) is a working day. The
 * Chinese calendar decides through chinese-days: public holidays are off, and the make-up working
 * days (调休) on a Saturday or Sunday are on (the package's own rule, on its own table). Years the package does not know yet fall back to
 * Monday–Friday. Cached: the answer for a date never changes within a release of the package.
 */
function isWorkingDayNumber(dayNumber: number): boolean {
  const cached = workdayCache.get(dayNumber)
  if (cached !== undefined) return cached
  const key = new Date(dayNumber * DAY_MS).toISOString().slice(0, 10)
  const weekday = (dayNumber + 4) % 7 // 1970-01-01 was a Thursday; 0 is Sunday
  const working = key in calendar.workdays || (weekday >= 1 && weekday <= 5 && !(key in calendar.holidays))
  workdayCache.set(dayNumber, working)
  return working
}

/** Whether the calendar date of `at`, read in Beijing time, is a working day. */
export function isWorkingDay(at: Date): boolean {
  return isWorkingDayNumber(Math.floor((at.getTime() + OFFSET_MS) / DAY_MS))
}

/**
 * The instant when `minutes` of working time have passed after `from`. Time outside the working
 * windows (nights, the lunch break, weekends, holidays) does not count, so a report filed at 20:00
 * with a two-hour limit is due at 11:00 the next working day. A limit that ends exactly at a window's
 * end is due then (12:00, not 13:30). Exact to the millisecond; the loop walks days, not minutes.
 * @throws RangeError for a negative, non-finite or absurdly large amount.
 */
export function addWorkingTime(from: Date, minutes: number): Date {
  if (!Number.isFinite(minutes) || minutes < 0) throw new RangeError(`minutes must be a finite non-negative number, got ${minutes}`)
  let remainingMs = Math.round(minutes * MINUTE_MS)
  if (remainingMs === 0) return new Date(from.getTime())
  const local = from.getTime() + OFFSET_MS
  let dayNumber = Math.floor(local / DAY_MS)
  let cursorInDay = local - dayNumber * DAY_MS
  for (let scanned = 0; scanned < MAX_DAYS_SCANNED; scanned++) {
    if (isWorkingDayNumber(dayNumber)) {
      for (const [startMinute, endMinute] of WORKING_WINDOWS) {
        const start = Math.max(cursorInDay, startMinute * MINUTE_MS)
        const end = endMinute * MINUTE_MS
        if (start >= end) continue
        if (remainingMs <= end - start) return new Date(dayNumber * DAY_MS + start + remainingMs - OFFSET_MS)
        remainingMs -= end - start
      }
    }
    dayNumber += 1
    cursorInDay = 0
  }
  throw new RangeError(`${minutes} working minutes reach beyond ${MAX_DAYS_SCANNED} days`)
}

/**
 * Working minutes between two instants (0 when `to` is not after `from`); the inverse of
 * addWorkingTime, used to show how much of a limit is left.
 */
export function workingMinutesBetween(from: Date, to: Date): number {
  if (to.getTime() <= from.getTime()) return 0
  const endLocal = to.getTime() + OFFSET_MS
  const endDay = Math.floor(endLocal / DAY_MS)
  const local = from.getTime() + OFFSET_MS
  let dayNumber = Math.floor(local / DAY_MS)
  let cursorInDay = local - dayNumber * DAY_MS
  let totalMs = 0
  for (; dayNumber <= endDay; dayNumber++, cursorInDay = 0) {
    if (!isWorkingDayNumber(dayNumber)) continue
    const limitInDay = dayNumber === endDay ? endLocal - endDay * DAY_MS : DAY_MS
    for (const [startMinute, endMinute] of WORKING_WINDOWS) {
      const start = Math.max(cursorInDay, startMinute * MINUTE_MS)
      const end = Math.min(endMinute * MINUTE_MS, limitInDay)
      if (end > start) totalMs += end - start
    }
  }
  return totalMs / MINUTE_MS
}

/**
 * The deadline `minutes` after `from` on the category's clock: working time (addWorkingTime), or for an
 * emergency category plain clock minutes around the clock, nights and holidays included
 * (docs/handling.md "Emergency clock").
 */
export function deadlineAfter(from: Date, minutes: number, emergency: boolean): Date {
  return emergency ? new Date(from.getTime() + Math.round(minutes * MINUTE_MS)) : addWorkingTime(from, minutes)
}

/** How long a clock stood between two instants, in the category's minutes: working minutes, or clock minutes for an emergency. */
export function clockMinutesBetween(from: Date, to: Date, emergency: boolean): number {
  if (to.getTime() <= from.getTime()) return 0
  return emergency ? (to.getTime() - from.getTime()) / MINUTE_MS : workingMinutesBetween(from, to)
}
