import { describe, expect, it } from 'vitest'
import { dutyNow, fromMinuteOfWeek, minuteOfWeek, toMinuteOfWeek } from './on-duty'

describe('minutes of the week (China time)', () => {
  it('reads Monday 10:00 in China from 02:00 UTC, and Sunday 23:59 as the last minute', () => {
    expect(minuteOfWeek(new Date('2026-11-30T02:00:00Z'))).toBe(600)
    expect(minuteOfWeek(new Date('2026-12-06T15:59:00Z'))).toBe(7 * 1440 - 1)
    expect(minuteOfWeek(new Date('2026-12-06T16:00:00Z'))).toBe(0)
  })

  it('round-trips roster times, 24:00 staying the end of its own day', () => {
    expect(toMinuteOfWeek(2, '08:30')).toBe(1440 + 510)
    expect(fromMinuteOfWeek(toMinuteOfWeek(2, '08:30'), false)).toEqual({ weekday: 2, hhmm: '08:30' })
    expect(fromMinuteOfWeek(toMinuteOfWeek(3, '24:00'), true)).toEqual({ weekday: 3, hhmm: '24:00' })
    expect(fromMinuteOfWeek(toMinuteOfWeek(7, '24:00'), true)).toEqual({ weekday: 7, hhmm: '24:00' })
    expect(fromMinuteOfWeek(toMinuteOfWeek(4, '00:00'), false)).toEqual({ weekday: 4, hhmm: '00:00' })
  })
})

describe('dutyNow', () => {
  const base = { disabled: false, onDuty: true, onLeave: false, entries: [] as Array<{ startMinute: number; endMinute: number }> }
  it('is on duty with the switch on and no roster lines', () => {
    expect(dutyNow(base, 100)).toEqual({ onDutyNow: true, reason: 'no_roster' })
  })

  it('holds a roster line from its start (inclusive) to its end (exclusive)', () => {
    const rostered = { ...base, entries: [{ startMinute: 480, endMinute: 720 }] }
    expect(dutyNow(rostered, 479)).toEqual({ onDutyNow: false, reason: 'outside_roster' })
    expect(dutyNow(rostered, 480)).toEqual({ onDutyNow: true, reason: 'in_roster' })
    expect(dutyNow(rostered, 719)).toEqual({ onDutyNow: true, reason: 'in_roster' })
    expect(dutyNow(rostered, 720)).toEqual({ onDutyNow: false, reason: 'outside_roster' })
  })

  it('puts the switch, then a leave, before the roster', () => {
    const rostered = { ...base, entries: [{ startMinute: 0, endMinute: 1440 }] }
    expect(dutyNow({ ...rostered, onDuty: false, onLeave: true }, 10).reason).toBe('switched_off')
    expect(dutyNow({ ...rostered, onLeave: true }, 10)).toEqual({ onDutyNow: false, reason: 'on_leave' })
    expect(dutyNow({ ...rostered, disabled: true }, 10)).toEqual({ onDutyNow: false, reason: 'disabled' })
  })
})
