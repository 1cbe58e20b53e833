import { describe, expect, it } from 'vitest'
import { addWorkingTime, isWorkingDay, workingMinutesBetween } from './working-time'

/** Beijing wall-clock time → Date. */
const bj = (isoLocal: string) => new Date(`${isoLocal}+08:00`)
/** Date → Beijing wall-clock time "YYYY-MM-DDTHH:mm". */
const wall = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 16)

const DAY = 450

describe('isWorkingDay (chinese-days calendar, read in Beijing time)', () => {
  it.each([
    ['2026-09-30T10:00', true, 'Wednesday before 国庆'],
    ['2026-10-01T10:00', false, '国庆 holiday'],
    ['2026-10-05T10:00', false, '国庆 holiday on a Monday'],
    ['2026-10-07T10:00', false, 'last 国庆 holiday'],
    ['2026-10-08T10:00', true, 'first working day after 国庆'],
    ['2026-10-10T10:00', true, 'make-up Saturday 调休'],
    ['2026-10-11T10:00', false, 'ordinary Sunday'],
    ['2026-09-20T10:00', true, 'make-up Sunday 调休 before 国庆'],
    ['2026-11-28T10:00', false, 'ordinary Saturday'],
    ['2026-11-30T10:00', true, 'ordinary Monday']
  ])('%s is a working day: %s (%s)', (at, expected) => {
    expect(isWorkingDay(bj(at))).toBe(expected)
  })

  it('reads the date in Beijing time: 23:30 UTC on a Friday is already Saturday in Pingcheng', () => {
    expect(isWorkingDay(new Date('2026-11-27T23:30:00Z'))).toBe(false)
    expect(isWorkingDay(new Date('2026-11-27T15:30:00Z'))).toBe(true)
  })
})

describe('addWorkingTime', () => {
  it.each([
    // [from (Beijing), minutes, due (Beijing), why]
    ['2026-11-30T10:00', 120, '2026-11-30T12:00', 'ends exactly at the lunch break, not after it'],
    ['2026-11-30T11:00', 120, '2026-11-30T14:30', 'the lunch break does not count'],
    ['2026-11-30T12:30', 60, '2026-11-30T14:30', 'submitted during lunch: the clock starts at 13:30'],
    ['2026-11-30T07:15', 30, '2026-11-30T09:30', 'early morning: the clock starts at 09:00'],
    ['2026-11-30T20:00', 120, '2026-12-01T11:00', 'evening submission: due the next working morning'],
    ['2026-11-30T17:59', 1, '2026-11-30T18:00', 'the last minute of the day'],
    ['2026-11-30T18:00', 1, '2026-12-01T09:01', 'at closing time the next minute is tomorrow'],
    ['2026-11-27T17:00', 120, '2026-11-30T10:00', 'Friday afternoon: the weekend does not count'],
    ['2026-11-28T10:00', 30, '2026-11-30T09:30', 'submitted on a Saturday'],
    ['2026-11-30T10:00', 3 * DAY, '2026-12-03T10:00', 'three working days is the same time three working days later'],
    ['2026-09-30T17:00', 120, '2026-10-08T10:00', '国庆 2026: Oct 1–7 are off'],
    ['2026-10-01T09:00', 60, '2026-10-08T10:00', 'submitted on a holiday'],
    ['2026-10-09T17:00', 120, '2026-10-10T10:00', 'make-up Saturday Oct 10 is a working day'],
    ['2026-10-09T17:00', 3 * DAY, '2026-10-13T17:00', 'three days across the make-up Saturday and a Sunday'],
    ['2026-09-18T17:30', 60, '2026-09-20T09:30', 'make-up Sunday Sep 20 counts'],
    ['2026-09-24T17:00', 120, '2026-09-28T10:00', '中秋 Sep 25–27 is off']
  ])('%s + %d min → %s (%s)', (from, minutes, due) => {
    expect(wall(addWorkingTime(bj(from), minutes))).toBe(due)
  })

  it('is exact to the millisecond', () => {
    const from = new Date('2026-11-30T02:00:00.123Z') // 10:00:00.123 Beijing
    expect(addWorkingTime(from, 0.5).toISOString()).toBe('2026-11-30T02:00:30.123Z')
  })

  it('returns the start itself for zero minutes', () => {
    const from = bj('2026-11-28T22:00')
    expect(addWorkingTime(from, 0).getTime()).toBe(from.getTime())
  })

  it('rejects a negative or non-finite amount', () => {
    expect(() => addWorkingTime(bj('2026-11-30T10:00'), -1)).toThrow(RangeError)
    expect(() => addWorkingTime(bj('2026-11-30T10:00'), Number.NaN)).toThrow(RangeError)
  })

  it('round-trips with workingMinutesBetween across 国庆', () => {
    const from = bj('2026-09-29T15:17')
    for (const minutes of [1, 59, 450, 451, 1350, 4500]) {
      expect(workingMinutesBetween(from, addWorkingTime(from, minutes))).toBeCloseTo(minutes, 6)
    }
  })

  it('is fast: 100,000 three-day deadlines in well under a second', () => {
    const started = performance.now()
    let t = bj('2026-01-05T08:00').getTime()
    for (let i = 0; i < 100_000; i++) {
      addWorkingTime(new Date(t), 3 * DAY)
      t += 7 * 60_000
    }
    expect(performance.now() - started).toBeLessThan(1_000)
  })
})

describe('workingMinutesBetween', () => {
  it('counts only working windows', () => {
    expect(workingMinutesBetween(bj('2026-11-30T08:00'), bj('2026-11-30T20:00'))).toBe(DAY)
    expect(workingMinutesBetween(bj('2026-11-27T17:00'), bj('2026-11-30T10:00'))).toBe(120)
    expect(workingMinutesBetween(bj('2026-11-30T10:00'), bj('2026-11-30T09:00'))).toBe(0)
  })
})
