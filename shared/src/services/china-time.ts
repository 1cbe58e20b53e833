/**
 * Wall-clock time in China (UTC+8 all year, no daylight saving). Opening hours, consultation
 * schedules and monthly leaderboards are stated in local time, while the server stores instants;
 * these helpers convert between the two without depending on the machine's time zone.
 */
export const CHINA_OFFSET_MINUTES = 8 * 60

const MS_PER_MINUTE = 60_000

export interface ChinaClock {
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  isoWeekday: number
  /** Minutes since local midnight, 0–1439. */
  minuteOfDay: number
  /** The local calendar date, `YYYY-MM-DD`. */
  dateKey: string
  /** The local month, `YYYY-MM`. */
  monthKey: string
}

/** What a clock on a wall in Pingcheng shows at the instant `at`. */
export function chinaClock(at: Date): ChinaClock {
  const local = new Date(at.getTime() + CHINA_OFFSET_MINUTES * MS_PER_MINUTE)
  const day = local.getUTCDay()
  const dateKey = local.toISOString().slice(0, 10)
  return {
    isoWeekday: day === 0 ? 7 : day,
    minuteOfDay: local.getUTCHours() * 60 + local.getUTCMinutes(),
    dateKey,
    monthKey: dateKey.slice(0, 7)
  }
}

/** `HH:MM` → minutes since midnight (`24:00` → 1440). */
export function minutesOfHhmm(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number)
  return (h ?? 0) * 60 + (m ?? 0)
}

/** The instant at which a Pingcheng wall clock shows `hhmm` on the local date `dateKey`. */
export function chinaInstant(dateKey: string, hhmm: string): Date {
  const midnightUtc = Date.parse(`${dateKey}T00:00:00Z`)
  return new Date(midnightUtc + (minutesOfHhmm(hhmm) - CHINA_OFFSET_MINUTES) * MS_PER_MINUTE)
}

/** The local date `days` after `dateKey` (negative goes back). */
export function addDaysToDateKey(dateKey: string, days: number): string {
  return new Date(Date.parse(`${dateKey}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)
}

/** The ISO weekday (1–7) of a local date. */
export function isoWeekdayOfDateKey(dateKey: string): number {
  const day = new Date(`${dateKey}T00:00:00Z`).getUTCDay()
  return day === 0 ? 7 : day
}

/** The first instant of a local month `YYYY-MM` and of the month after it. */
export function chinaMonthRange(monthKey: string): { from: Date; to: Date } {
  const [y, m] = monthKey.split('-').map(Number)
  const year = y ?? 1970
  const month = m ?? 1
  const next = month === 12 ? `${year + 1}-01` : `${year}-${String(month + 1).padStart(2, '0')}`
  return { from: chinaInstant(`${monthKey}-01`, '00:00'), to: chinaInstant(`${next}-01`, '00:00') }
}
