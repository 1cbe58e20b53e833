import { describe, expect, it } from 'vitest'
import { CategoryViewSchema, DEFAULT_CATEGORIES, UpdateCategorySchema, WORKING_MINUTES_PER_DAY, formatWorkingMinutes } from './categories'
import { TICKET_KINDS } from './kinds'
import { ExplainRoutingSchema } from '../routing/routing.schema'
import { StatsQuerySchema } from '../stats/stats.schema'

describe('default categories', () => {
  it('have codes unique across kinds, so a category alone tells the kind', () => {
    const codes = DEFAULT_CATEGORIES.map((c) => c.code)
    expect(new Set(codes).size).toBe(codes.length)
  })

  it('give every kind at least one category', () => {
    for (const kind of TICKET_KINDS) expect(DEFAULT_CATEGORIES.some((c) => c.kind === kind)).toBe(true)
  })

  it('never allow longer to accept than to resolve, and answer tips faster than reports', () => {
    for (const c of DEFAULT_CATEGORIES) expect(c.acceptWithinMinutes).toBeLessThanOrEqual(c.resolveWithinMinutes)
    const slowestTip = Math.max(...DEFAULT_CATEGORIES.filter((c) => c.kind === 'fraud_tip').map((c) => c.acceptWithinMinutes))
    const fastestReport = Math.min(...DEFAULT_CATEGORIES.filter((c) => c.kind === 'report').map((c) => c.acceptWithinMinutes))
    expect(slowestTip).toBeLessThan(fastestReport)
  })

  it('include the report categories of the domain with Chinese names', () => {
    const reports = DEFAULT_CATEGORIES.filter((c) => c.kind === 'report').map((c) => `${c.code}:${c.name}`)
    expect(reports).toEqual(['sanitation:环境卫生', 'public_facilities:公共设施', 'neighbour_dispute:邻里纠纷', 'safety_hazard:安全隐患', 'epidemic_prevention:疫情防控', 'other:其他'])
  })

  it('parse as views', () => {
    for (const c of DEFAULT_CATEGORIES) {
      expect(() => CategoryViewSchema.parse({ code: c.code, name: c.name, kind: c.kind, acceptWithin: c.acceptWithinMinutes, resolveWithin: c.resolveWithinMinutes, active: true })).not.toThrow()
    }
  })
})

describe('formatWorkingMinutes', () => {
  it.each([
    [120, '2 个工作小时'],
    [3 * WORKING_MINUTES_PER_DAY, '3 个工作日'],
    [30, '30 分钟']
  ])('%d → %s', (minutes, text) => {
    expect(formatWorkingMinutes(minutes)).toBe(text)
  })
})

describe('input schemas', () => {
  it('refuse an empty category change and unknown fields', () => {
    expect(UpdateCategorySchema.safeParse({}).success).toBe(false)
    expect(UpdateCategorySchema.safeParse({ code: 'x' }).success).toBe(false)
    expect(UpdateCategorySchema.safeParse({ acceptWithin: 60 }).success).toBe(true)
  })

  it('take coordinates as JSON numbers only in an explain request', () => {
    expect(ExplainRoutingSchema.safeParse({ category: 'sanitation', location: { lat: 40.05, lng: 113.25 } }).success).toBe(true)
    expect(ExplainRoutingSchema.safeParse({ category: 'sanitation', location: { lat: '40.05', lng: 113.25 } }).success).toBe(false)
  })

  it('need a code for statistics below the district', () => {
    expect(StatsQuerySchema.safeParse({ level: 'district' }).success).toBe(true)
    expect(StatsQuerySchema.safeParse({ level: 'grid' }).success).toBe(false)
    expect(StatsQuerySchema.safeParse({ level: 'grid', code: '066-012', from: '2026-11-01', to: '2026-11-30T00:00:00+08:00' }).success).toBe(true)
  })
})
