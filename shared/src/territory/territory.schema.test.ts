import { describe, expect, it } from 'vitest'
import { isInsideDistrictBounds } from '../common/geo'
import { DEPARTMENTS, STREETS } from './reference'
import { SEED_PLACES } from './seed-places'
import { ListGridsQuerySchema, LocateQuerySchema } from './territory.schema'

describe('LocateQuerySchema', () => {
  it('reads decimal coordinates from the query string', () => {
    expect(LocateQuerySchema.parse({ lat: '40.0575', lng: '113.2943' })).toEqual({ lat: 40.0575, lng: 113.2943 })
    expect(LocateQuerySchema.parse({ lat: ' -12 ', lng: '+7.5' })).toEqual({ lat: -12, lng: 7.5 })
  })

  it.each([
    ['lat', { lng: '113.2' }],
    ['lat', { lat: '', lng: '113.2' }],
    ['lat', { lat: 'abc', lng: '113.2' }],
    ['lat', { lat: 'NaN', lng: '113.2' }],
    ['lat', { lat: '1e1', lng: '113.2' }],
    ['lat', { lat: ['40.1', '40.2'], lng: '113.2' }],
    ['lat', { lat: '90.5', lng: '113.2' }],
    ['lng', { lat: '40.1', lng: '180.01' }],
    ['lng', { lat: '40.1' }]
  ])('rejects a bad %s: %j', (path, query) => {
    const result = LocateQuerySchema.safeParse(query)
    expect(result.success).toBe(false)
    expect(result.error?.issues.map((i) => i.path.join('.'))).toContain(path)
  })
})

describe('ListGridsQuerySchema', () => {
  it('needs a community or a street', () => {
    expect(ListGridsQuerySchema.safeParse({}).success).toBe(false)
    expect(ListGridsQuerySchema.safeParse({ communityCode: '140213066001' }).success).toBe(true)
    expect(ListGridsQuerySchema.safeParse({ streetCode: '140213066' }).success).toBe(true)
  })
})

describe('reference data', () => {
  it('has the 18 real streets, codes 140213050 to 140213067, each once', () => {
    expect(STREETS.map((s) => s.code)).toEqual(Array.from({ length: 18 }, (_, i) => String(140213050 + i)))
    expect(new Set(STREETS.map((s) => s.name)).size).toBe(18)
    expect(STREETS.find((s) => s.code === '140213066')?.name).toBe('水泊寺街道')
  })

  it('has distinct department codes including the four the source names', () => {
    const codes = DEPARTMENTS.map((d) => d.code)
    expect(new Set(codes).size).toBe(codes.length)
    expect(codes).toEqual(expect.arrayContaining(['housing_bureau', 'justice_bureau', 'anti_fraud_centre', 'health_commission']))
  })

  it('places the seed’s places inside the district, 绿地世纪城 in 永和社区', () => {
    for (const place of Object.values(SEED_PLACES)) expect(isInsideDistrictBounds(place.point)).toBe(true)
    expect(SEED_PLACES.lvdiShijicheng.communityCode).toBe(SEED_PLACES.yongheCommunity.communityCode)
    expect(SEED_PLACES.yongheCommunity.streetCode).toBe('140213066')
  })
})
