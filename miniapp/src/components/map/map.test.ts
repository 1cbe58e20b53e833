import { describe, expect, it } from 'vitest'
import { pointIn } from './coords'
import { navigationUrl } from './navigate'

/* docs/maps.md: the map converts only for drawing and navigation; the server keeps WGS-84. */
describe('components/map', () => {
  it('pointIn: a WGS-84 point in Datong is ~590 m east, ~130 m north in GCJ-02, and back within 1e-6°', () => {
    const gcj = pointIn({ lat: 40.055, lng: 113.255, coordSystem: 'wgs84' }, 'gcj02')
    expect(gcj.coordSystem).toBe('gcj02')
    expect(gcj.lng).toBeCloseTo(113.26195, 4)
    expect(gcj.lat).toBeCloseTo(40.05615, 4)
    const back = pointIn(gcj, 'wgs84')
    expect(Math.abs(back.lat - 40.055)).toBeLessThan(1e-6)
    expect(Math.abs(back.lng - 113.255)).toBeLessThan(1e-6)
  })

  it('pointIn leaves a point already in the system as it is', () => {
    const p = { lat: 40.1, lng: 113.3, coordSystem: 'gcj02' as const }
    expect(pointIn(p, 'gcj02')).toBe(p)
  })

  it('navigationUrl: Amap is told WGS-84, so a GCJ-02 point is converted first and the name is encoded', () => {
    const url = new URL(navigationUrl({ point: { lat: 40.08, lng: 113.25, coordSystem: 'gcj02' }, name: '永和社区 检测点' }))
    expect(url.hostname).toBe('uri.amap.com')
    expect(url.searchParams.get('coordinate')).toBe('wgs84')
    expect(url.searchParams.get('position')).toBe('113.2430453,40.078845')
    expect(url.searchParams.get('name')).toBe('永和社区 检测点')
  })
})
