import { describe, expect, it } from 'vitest'
import { ConsoleLimits, CreateCategorySchema, CreateDepartmentSchema, PreviewRoutingRuleSchema, UpdateDepartmentSchema } from './console.schema'
import { UpdateCategorySchema } from '../tickets/categories'

const parking = { code: 'parking', name: '违章停车', kind: 'report', acceptWithin: 60, resolveWithin: 900 }
const firstPath = (r: { success: boolean; error?: { issues: Array<{ path: PropertyKey[] }> } }) => r.error?.issues[0]?.path.join('.')

describe('CreateCategorySchema', () => {
  it('accepts a category, active by default, equal limits allowed', () => {
    expect(CreateCategorySchema.parse(parking).active).toBe(true)
    expect(CreateCategorySchema.safeParse({ ...parking, acceptWithin: 900 }).success).toBe(true)
  })

  it.each([
    [{ ...parking, acceptWithin: 0 }, 'acceptWithin'],
    [{ ...parking, resolveWithin: -1 }, 'resolveWithin'],
    [{ ...parking, acceptWithin: 901 }, 'acceptWithin'],
    [{ ...parking, kind: 'complaint' }, 'kind'],
    [{ ...parking, code: 'Parking' }, 'code']
  ])('refuses %j at “%s”', (body, path) => {
    expect(firstPath(CreateCategorySchema.safeParse(body))).toBe(path)
  })
})

describe('UpdateCategorySchema', () => {
  it('refuses an accept limit longer than the resolve limit given with it', () => {
    expect(firstPath(UpdateCategorySchema.safeParse({ acceptWithin: 100, resolveWithin: 50 }))).toBe('acceptWithin')
    expect(UpdateCategorySchema.safeParse({ acceptWithin: 100 }).success).toBe(true)
  })
})

describe('departments', () => {
  it('needs a snake_case code and a name; a change needs a field', () => {
    expect(CreateDepartmentSchema.parse({ code: 'tax_bureau', name: ' 区税务局 ' })).toEqual({ code: 'tax_bureau', name: '区税务局', active: true })
    expect(firstPath(CreateDepartmentSchema.safeParse({ code: 'Tax', name: '税务局' }))).toBe('code')
    expect(UpdateDepartmentSchema.safeParse({}).success).toBe(false)
  })
})

describe('PreviewRoutingRuleSchema', () => {
  it('replays 50 tickets unless told, at most 500', () => {
    expect(PreviewRoutingRuleSchema.parse({ action: 'deactivate', ruleId: 'r1' }).limit).toBe(ConsoleLimits.previewDefault)
    expect(firstPath(PreviewRoutingRuleSchema.safeParse({ action: 'deactivate', ruleId: 'r1', limit: 501 }))).toBe('limit')
  })

  it('takes a new rule, a change or a deactivation, and nothing else', () => {
    expect(PreviewRoutingRuleSchema.safeParse({ action: 'create', rule: { category: 'sanitation', departmentCode: 'housing_bureau', mode: 'instead' } }).success).toBe(true)
    expect(PreviewRoutingRuleSchema.safeParse({ action: 'update', ruleId: 'r1', changes: { mode: 'beside' } }).success).toBe(true)
    expect(firstPath(PreviewRoutingRuleSchema.safeParse({ action: 'update', ruleId: 'r1', changes: {} }))).toBe('changes')
    expect(firstPath(PreviewRoutingRuleSchema.safeParse({ action: 'delete', ruleId: 'r1' }))).toBe('action')
  })
})
