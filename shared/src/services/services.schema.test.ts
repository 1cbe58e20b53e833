import { describe, expect, it } from 'vitest'
import { chinaInstant, chinaMonthRange } from './china-time'
import { HAZARD_STATUSES, nextHazardStatus } from './hazards.schema'
import { OpeningHoursSchema, isOpenAt } from './testing-points.schema'
import { maskLeaderboardName, maskVolunteerPhone } from './volunteers.schema'

describe('opening hours', () => {
  const hours = OpeningHoursSchema.parse({
    weekly: [
      { day: 2, open: '08:00', close: '12:00' },
      { day: 2, open: '18:00', close: '24:00' }
    ]
  })
  it('is open inside a period on its weekday, in Beijing time, half-open at the close', () => {
    expect(isOpenAt(hours, chinaInstant('2026-12-01', '08:00'))).toBe(true) // a Tuesday
    expect(isOpenAt(hours, chinaInstant('2026-12-01', '11:59'))).toBe(true)
    expect(isOpenAt(hours, chinaInstant('2026-12-01', '12:00'))).toBe(false)
    expect(isOpenAt(hours, chinaInstant('2026-12-01', '23:30'))).toBe(true)
    expect(isOpenAt(hours, chinaInstant('2026-12-02', '09:00'))).toBe(false) // Wednesday
  })
  it('refuses a period that closes before it opens', () => {
    expect(OpeningHoursSchema.safeParse({ weekly: [{ day: 1, open: '10:00', close: '09:00' }] }).success).toBe(false)
  })
})

describe('china time', () => {
  it('turns a local month into its UTC instants', () => {
    expect(chinaMonthRange('2026-12')).toEqual({ from: new Date('2026-11-30T16:00:00Z'), to: new Date('2026-12-31T16:00:00Z') })
    expect(chinaMonthRange('2026-12').to).toEqual(chinaMonthRange('2027-01').from)
  })
})

describe('the hazard ledger machine', () => {
  it('goes forward only, and closed is final', () => {
    expect(nextHazardStatus('reported', 'verify')).toBe('verified')
    expect(nextHazardStatus('rectifying', 'close')).toBe('closed')
    expect(nextHazardStatus('reported', 'close')).toBeUndefined()
    for (const status of HAZARD_STATUSES) expect(nextHazardStatus('closed', 'verify') ?? status).toBe(status)
  })
})

describe('masking', () => {
  it('masks names and phones for public lists', () => {
    expect(maskLeaderboardName('张三')).toBe('张*')
    expect(maskLeaderboardName('欧阳娜娜')).toBe('欧***')
    expect(maskVolunteerPhone('13812345678')).toBe('138****5678')
  })
})
