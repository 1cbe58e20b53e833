import { describe, expect, it } from 'vitest'
import { buildRoster, chinaInstant, rowErrorsFrom } from './roster-rows'

const row = (workerId: string, weekday: number, start: string, end: string) => ({ key: `${workerId}${weekday}${start}`, workerId, weekday, start, end })

describe('roster rows', () => {
  it('marks an inverted period on its end and an overlap of one worker on its start', () => {
    const { body, errors } = buildRoster([row('w1', 1, '08:00', '12:00'), row('w1', 1, '11:00', '14:00'), row('w2', 2, '18:00', '09:00')])
    expect(body).toBeUndefined()
    expect(errors[1]?.start).toMatch(/重叠/)
    expect(errors[2]?.end).toMatch(/晚于开始/)
    expect(errors[0]).toBeUndefined()
  })

  it('accepts adjacent periods and an end of 24:00', () => {
    const { body } = buildRoster([row('w1', 1, '08:00', '12:00'), row('w1', 1, '12:00', '24:00'), row('w2', 1, '08:00', '12:00')])
    expect(body?.entries).toHaveLength(3)
  })

  it("maps the server's entries.N paths onto the rows", () => {
    expect(
      rowErrorsFrom([
        { path: 'entries.3.workerId', code: 'custom' },
        { path: 'entries.0.end', code: 'custom' },
        { path: 'other', code: 'x' }
      ])
    ).toEqual({
      3: { workerId: '该网格员不属于本网格' },
      0: { end: '结束时间须晚于开始时间' }
    })
  })

  it('writes leave times as China-time instants', () => {
    expect(chinaInstant('2026-12-03', '08:30')).toBe('2026-12-03T08:30:00+08:00')
  })
})
