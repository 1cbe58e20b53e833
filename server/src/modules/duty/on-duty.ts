import { chinaClock, minutesOfHhmm, type DutyReason } from '@palm/shared'

/** Minutes in a day and in a week; roster times are minutes of the week, Monday 00:00 = 0. */
export const MINUTES_PER_DAY = 1440
export const MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY

/** The minute of the week a Pingcheng wall clock shows at `at` (China time, no daylight saving). */
export function minuteOfWeek(at: Date): number {
  const clock = chinaClock(at)
  return (clock.isoWeekday - 1) * MINUTES_PER_DAY + clock.minuteOfDay
}

/** A roster line's weekday and `HH:MM` as a minute of the week (`24:00` is the end of that day). */
export function toMinuteOfWeek(weekday: number, hhmm: string): number {
  return (weekday - 1) * MINUTES_PER_DAY + minutesOfHhmm(hhmm)
}

/** The weekday and `HH:MM` of a stored roster bound; an end at midnight reads `24:00` of its day. */
export function fromMinuteOfWeek(minute: number, isEnd: boolean): { weekday: number; hhmm: string } {
  const shifted = isEnd && minute % MINUTES_PER_DAY === 0 ? minute - 1 : minute
  const weekday = Math.floor(shifted / MINUTES_PER_DAY) + 1
  const ofDay = minute - (weekday - 1) * MINUTES_PER_DAY
  const hhmm = `${String(Math.floor(ofDay / 60)).padStart(2, '0')}:${String(ofDay % 60).padStart(2, '0')}`
  return { weekday, hhmm }
}

/** What "on duty now" is decided from, for one worker in one grid. */
export interface DutyFacts {
  disabled: boolean
  onDuty: boolean
  onLeave: boolean
  /** The worker's roster lines in this grid, as minutes of the week. */
  entries: ReadonlyArray<{ startMinute: number; endMinute: number }>
}

/**
 * The one rule (docs/accounts-and-duty.md): switch on, AND not on leave, AND (no roster lines for
 * the worker in this grid OR now inside one, start ≤ now < end). The routing query (assignee.ts)
 * states the same in SQL; the duty tests hold the two to the same answers.
 */
export function dutyNow(facts: DutyFacts, nowMinute: number): { onDutyNow: boolean; reason: DutyReason } {
  if (facts.disabled) return { onDutyNow: false, reason: 'disabled' }
  if (!facts.onDuty) return { onDutyNow: false, reason: 'switched_off' }
  if (facts.onLeave) return { onDutyNow: false, reason: 'on_leave' }
  if (facts.entries.length === 0) return { onDutyNow: true, reason: 'no_roster' }
  if (facts.entries.some((e) => e.startMinute <= nowMinute && nowMinute < e.endMinute)) return { onDutyNow: true, reason: 'in_roster' }
  return { onDutyNow: false, reason: 'outside_roster' }
}
