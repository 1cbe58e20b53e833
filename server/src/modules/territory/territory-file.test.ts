import { describe, expect, it } from 'vitest'
import type { TerritoryFile } from '@palm/shared'
import { AppError } from '../../errors'
import { parseTerritoryFiles } from './territory-file'

const ring: Array<[number, number]> = [
  [113.25, 40.08],
  [113.26, 40.08],
  [113.26, 40.09],
  [113.25, 40.09],
  [113.25, 40.08]
]
const fileIn = (coordinateSystem: string | undefined, extra: Partial<TerritoryFile> = {}): TerritoryFile => ({
  type: 'FeatureCollection',
  ...(coordinateSystem === undefined ? {} : { coordinateSystem }),
  features: [{ type: 'Feature', properties: { level: 'grid', code: '066-901', name: '网格', parentCode: '140213066001' }, geometry: { type: 'Polygon', coordinates: [ring] } }],
  ...extra
})

function firstPosition(file: TerritoryFile): [number, number] | undefined {
  const g = parseTerritoryFiles([file]).features[0]?.geometry
  return g?.type === 'Polygon' ? g.coordinates[0]?.[0] : undefined
}

describe('territory file coordinate systems', () => {
  it('keeps WGS-84 positions exactly as given', () => {
    expect(firstPosition(fileIn('WGS-84'))).toEqual([113.25, 40.08])
  })

  it('converts GCJ-02 to WGS-84 with gcoord (a known pair, to 1e-7°)', () => {
    // GCJ-02 (113.25, 40.08) is WGS-84 (113.2430453, 40.0788450): about 600 m west and 130 m south
    expect(firstPosition(fileIn('GCJ-02'))).toEqual([113.2430453, 40.078845])
    expect(parseTerritoryFiles([fileIn('GCJ-02')]).converted).toBe(true)
  })

  it('converts BD-09 to WGS-84 (further off than GCJ-02)', () => {
    const [lng, lat] = firstPosition(fileIn('BD-09')) ?? [0, 0]
    expect(lng).toBeCloseTo(113.2366, 3)
    expect(lat).toBeCloseTo(40.0729, 3)
  })

  it('reads a GeoJSON-2008 crs member naming CRS84 as WGS-84', () => {
    const file = fileIn(undefined, { crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:OGC:1.3:CRS84' } } })
    expect(parseTerritoryFiles([file]).declared).toEqual(['WGS-84'])
  })

  it('refuses a file without a declared system, and one in another system, as unsupported_coordinate_system', () => {
    for (const file of [fileIn(undefined), fileIn('EPSG:3857')]) {
      let thrown: unknown
      try {
        parseTerritoryFiles([file])
      } catch (err) {
        thrown = err
      }
      expect(thrown).toBeInstanceOf(AppError)
      expect((thrown as AppError).code).toBe('unsupported_coordinate_system')
    }
  })
})
