import { describe, expect, it } from 'vitest'
import { DISTRICT_BOUNDS, isInsideDistrictBounds } from '@palm/shared'
import { buildJitteredTiling, type TilingCell } from '../demo/jittered-tiling'
import { createPrng, uniform } from '../demo/prng'
import { containsPoint, GridIndex, type IndexedGrid } from './grid-index'

const square: Array<[number, number]> = [
  [0, 0],
  [1, 0],
  [1, 1],
  [0, 1],
  [0, 0]
]

function gridOf(cell: TilingCell, code = `${cell.row}-${cell.col}`): IndexedGrid {
  return { code, name: code, communityCode: 'c', streetCode: 's', rings: [cell.ring], ...cell }
}

function containingCount(grids: readonly IndexedGrid[], point: { lat: number; lng: number }): number {
  return grids.filter((g) => containsPoint(g.rings, point)).length
}

describe('containsPoint', () => {
  it('holds a point strictly inside and not one outside', () => {
    expect(containsPoint([square], { lng: 0.5, lat: 0.5 })).toBe(true)
    expect(containsPoint([square], { lng: 1.5, lat: 0.5 })).toBe(false)
    expect(containsPoint([square], { lng: 0.5, lat: -0.1 })).toBe(false)
  })

  it('counts the west and south sides as inside and the east and north sides as outside', () => {
    expect(containsPoint([square], { lng: 0, lat: 0.5 })).toBe(true)
    expect(containsPoint([square], { lng: 0.5, lat: 0 })).toBe(true)
    expect(containsPoint([square], { lng: 0, lat: 0 })).toBe(true)
    expect(containsPoint([square], { lng: 1, lat: 0.5 })).toBe(false)
    expect(containsPoint([square], { lng: 0.5, lat: 1 })).toBe(false)
    expect(containsPoint([square], { lng: 1, lat: 1 })).toBe(false)
  })

  it('gives the same answer whichever way the ring runs', () => {
    const reversed = [...square].reverse()
    const random = createPrng(7)
    for (let i = 0; i < 500; i++) {
      const p = { lng: uniform(random, -0.5, 1.5), lat: uniform(random, -0.5, 1.5) }
      expect(containsPoint([reversed], p)).toBe(containsPoint([square], p))
    }
  })

  it('leaves out a hole (even-odd over the rings)', () => {
    const hole: Array<[number, number]> = [
      [0.25, 0.25],
      [0.75, 0.25],
      [0.75, 0.75],
      [0.25, 0.75],
      [0.25, 0.25]
    ]
    expect(containsPoint([square, hole], { lng: 0.5, lat: 0.5 })).toBe(false)
    expect(containsPoint([square, hole], { lng: 0.1, lat: 0.5 })).toBe(true)
  })

  it('puts a point on an edge shared by two triangles into exactly one of them', () => {
    const a: Array<[number, number]> = [
      [0, 0],
      [1, 0.3],
      [0.2, 1],
      [0, 0]
    ]
    const b: Array<[number, number]> = [
      [1, 0.3],
      [1.1, 1.2],
      [0.2, 1],
      [1, 0.3]
    ]
    for (let k = 1; k < 100; k++) {
      const t = k / 100
      const onEdge = { lng: 1 + (0.2 - 1) * t, lat: 0.3 + (1 - 0.3) * t }
      expect(Number(containsPoint([a], onEdge)) + Number(containsPoint([b], onEdge))).toBe(1)
    }
  })
})

describe('GridIndex on a jittered tiling of the district box', () => {
  const tiling = buildJitteredTiling({ bounds: DISTRICT_BOUNDS, rows: 20, cols: 24, jitter: 0.22, seed: 99 })
  const grids = tiling.cells.map((cell) => gridOf(cell))
  const index = new GridIndex(grids)

  it('finds exactly one grid for each of 10,000 random points, and the index agrees with the linear scan', () => {
    const random = createPrng(2026)
    const b = DISTRICT_BOUNDS
    for (let i = 0; i < 10_000; i++) {
      const p = { lat: uniform(random, b.minLat, b.maxLat), lng: uniform(random, b.minLng, b.maxLng) }
      expect(containingCount(grids, p)).toBe(1)
      const found = index.locate(p)
      expect(found).toBeDefined()
      expect(found).toBe(index.locateLinear(p))
    }
  })

  it('puts every shared vertex and every edge midpoint inside the box into exactly one grid', () => {
    let checked = 0
    for (const cell of tiling.cells) {
      const ring = cell.ring
      for (let i = 0; i < ring.length - 1; i++) {
        const [x1, y1] = ring[i] as [number, number]
        const [x2, y2] = ring[i + 1] as [number, number]
        for (const p of [
          { lng: x1, lat: y1 },
          { lng: (x1 + x2) / 2, lat: (y1 + y2) / 2 },
          { lng: x1 + (x2 - x1) / 3, lat: y1 + (y2 - y1) / 3 }
        ]) {
          const expected = isInsideDistrictBounds(p) ? 1 : 0
          expect(containingCount(grids, p)).toBe(expected)
          expect(index.locate(p)).toBe(index.locateLinear(p))
          checked++
        }
      }
    }
    expect(checked).toBe(tiling.cells.length * 12)
  })

  it('covers the box exactly: the polygons’ areas add up to the box’s area', () => {
    const area = (ring: ReadonlyArray<readonly [number, number]>) => {
      let sum = 0
      for (let i = 0; i < ring.length - 1; i++) {
        const [x1, y1] = ring[i] as readonly [number, number]
        const [x2, y2] = ring[i + 1] as readonly [number, number]
        sum += x1 * y2 - x2 * y1
      }
      return sum / 2
    }
    const areas = tiling.cells.map((c) => area(c.ring))
    expect(areas.every((a) => a > 0)).toBe(true) // counter-clockwise, as RFC 7946 wants for outer rings
    const b = DISTRICT_BOUNDS
    const total = areas.reduce((s, a) => s + a, 0)
    expect(total).toBeCloseTo((b.maxLat - b.minLat) * (b.maxLng - b.minLng), 12)
  })

  it('answers undefined outside the box, including on its east and north sides', () => {
    const b = DISTRICT_BOUNDS
    for (const p of [
      { lat: b.minLat - 0.001, lng: 113.25 },
      { lat: 40.08, lng: b.maxLng + 0.001 },
      { lat: 40.08, lng: b.maxLng },
      { lat: b.maxLat, lng: 113.25 },
      { lat: 39.9, lng: 116.4 },
      { lat: Number.NaN, lng: 113.25 }
    ]) {
      expect(index.locate(p)).toBeUndefined()
      expect(index.locateLinear(p)).toBeUndefined()
    }
  })

  it('answers for the box’s west and south sides and its south-west corner', () => {
    const b = DISTRICT_BOUNDS
    expect(index.locate({ lat: b.minLat, lng: b.minLng })?.code).toBe('0-0')
    expect(index.locate({ lat: 40.08, lng: b.minLng })).toBeDefined()
    expect(index.locate({ lat: b.minLat, lng: 113.25 })).toBeDefined()
  })

  it('finds nothing when it holds no grids', () => {
    expect(new GridIndex([]).locate({ lat: 40.08, lng: 113.25 })).toBeUndefined()
  })

  it('still finds small grids beside one huge grid', () => {
    const huge: IndexedGrid = {
      code: 'huge',
      name: 'huge',
      communityCode: 'c',
      streetCode: 's',
      rings: [
        [
          [0, 0],
          [100, 0],
          [100, 100],
          [0, 100],
          [0, 0]
        ]
      ],
      minLng: 0,
      minLat: 0,
      maxLng: 100,
      maxLat: 100
    }
    const small = buildJitteredTiling({ bounds: { minLat: 100, maxLat: 101, minLng: 0, maxLng: 1 }, rows: 10, cols: 10, jitter: 0.2, seed: 1 })
    const mixed = new GridIndex([huge, ...small.cells.map((c) => gridOf(c))])
    expect(mixed.locate({ lat: 50, lng: 50 })?.code).toBe('huge')
    expect(mixed.locate(small.pointInCell(3, 4))?.code).toBe('3-4')
  })
})

describe('buildJitteredTiling', () => {
  it('builds the same cells from the same seed', () => {
    const spec = { bounds: DISTRICT_BOUNDS, rows: 4, cols: 5, jitter: 0.2, seed: 5 }
    expect(buildJitteredTiling(spec).cells).toEqual(buildJitteredTiling(spec).cells)
  })

  it('keeps the centre region of each cell inside that cell', () => {
    const tiling = buildJitteredTiling({ bounds: DISTRICT_BOUNDS, rows: 6, cols: 6, jitter: 0.24, seed: 3 })
    for (const cell of tiling.cells) {
      for (const [fx, fy] of [
        [0.3, 0.3],
        [0.7, 0.3],
        [0.5, 0.5],
        [0.3, 0.7],
        [0.7, 0.7]
      ] as const) {
        expect(containsPoint([cell.ring], tiling.pointInCell(cell.row, cell.col, fx, fy))).toBe(true)
      }
    }
  })

  it('refuses a jitter that could fold a cell', () => {
    expect(() => buildJitteredTiling({ bounds: DISTRICT_BOUNDS, rows: 2, cols: 2, jitter: 0.3, seed: 1 })).toThrow(/jitter/)
  })
})
