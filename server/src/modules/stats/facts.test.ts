import { describe, expect, it } from 'vitest'
import { beijingDay, computeFacts } from './facts'

const H = 3_600_000
const at = (h: number) => new Date(Date.parse('2026-11-30T02:00:00Z') + h * H)
const base = {
  state: 'assigned',
  createdAt: at(0),
  acceptedAt: null as Date | null,
  acceptDueAt: at(2),
  resolvedAt: null as Date | null,
  resolveDueAt: at(72),
  closedAt: null as Date | null,
  rating: null as number | null,
  gridCode: '066-012',
  communityCode: '140213066001',
  streetCode: '140213066',
  category: 'sanitation',
  source: 'patrol'
}

describe('computeFacts (docs/dashboards.md "Rates")', () => {
  it('counts a ticket inside its accept limit as neither responded nor missed, and checks again at the limit', () => {
    const f = computeFacts(base, null, at(1))
    expect(f.flags).toMatchObject({ received: 1, acceptedOnTime: 0, acceptMissed: 0, overdue: 0 })
    expect(f.nextCheckAt).toEqual(at(2))
    expect(f.key).toEqual({ day: '2026-11-30', streetCode: '140213066', communityCode: '140213066001', gridCode: '066-012', category: 'sanitation', source: 'patrol' })
  })

  it('counts the miss once the limit passes, then watches the resolve limit', () => {
    const f = computeFacts(base, null, at(3))
    expect(f.flags).toMatchObject({ acceptMissed: 1, overdue: 1, openPastResolve: 0 })
    expect(f.nextCheckAt).toEqual(at(72))
    expect(computeFacts(base, f.flags, at(73)).flags).toMatchObject({ openPastResolve: 1, overdue: 1 })
  })

  it('keeps a miss after a reopening restarts the clock (sticky)', () => {
    const missed = computeFacts({ ...base, state: 'accepted', acceptedAt: at(5) }, null, at(5)).flags
    expect(missed).toMatchObject({ acceptedOnTime: 0, acceptMissed: 1 })
    const reopened = computeFacts({ ...base, acceptDueAt: at(100), resolveDueAt: at(170) }, missed, at(99))
    expect(reopened.flags).toMatchObject({ acceptMissed: 1, overdue: 1, acceptedOnTime: 0 })
  })

  it('lets no deadline pass while suspended (挂起)', () => {
    const f = computeFacts({ ...base, state: 'suspended', acceptedAt: at(1) }, null, at(100))
    expect(f.flags).toMatchObject({ acceptedOnTime: 1, openPastResolve: 0, overdue: 0 })
    expect(f.nextCheckAt).toBeNull()
  })

  it('takes a refusal (不予受理) in time as the response, and counts a withdrawn ticket nowhere', () => {
    expect(computeFacts({ ...base, state: 'rejected', closedAt: at(1) }, null, at(10)).flags).toMatchObject({ acceptedOnTime: 1, resolved: 0 })
    expect(computeFacts({ ...base, state: 'cancelled', closedAt: at(1) }, null, at(10)).flags).toEqual({
      received: 0,
      acceptedOnTime: 0,
      acceptMissed: 0,
      resolved: 0,
      openPastResolve: 0,
      overdue: 0,
      rated: 0,
      satisfied: 0
    })
  })

  it('counts a late resolution as resolved and overdue; 4 and 5 stars as satisfied', () => {
    const f = computeFacts({ ...base, state: 'closed', acceptedAt: at(1), resolvedAt: at(80), rating: 4 }, null, at(90))
    expect(f.flags).toEqual({ received: 1, acceptedOnTime: 1, acceptMissed: 0, resolved: 1, openPastResolve: 0, overdue: 1, rated: 1, satisfied: 1 })
    expect(f.nextCheckAt).toBeNull()
  })

  it('dates a ticket by the Beijing calendar', () => {
    expect(beijingDay(new Date('2026-11-30T15:59:59Z'))).toBe('2026-11-30')
    expect(beijingDay(new Date('2026-11-30T16:00:00Z'))).toBe('2026-12-01')
  })
})
