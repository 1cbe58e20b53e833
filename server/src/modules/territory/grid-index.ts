import RBush from 'rbush'
import type { LatLng } from '@palm/shared'

/** A grid as the index needs it: its codes and its polygon ring(s) as [lng, lat] pairs (GeoJSON order). */
export interface IndexedGrid {
  code: string
  name: string
  communityCode: string
  streetCode: string
  rings: Array<Array<[number, number]>>
  minLat: number
  minLng: number
  maxLat: number
  maxLng: number
}

interface Entry {
  minX: number
  minY: number
  maxX: number
  maxY: number
  grid: IndexedGrid
}

/**
 * Point → grid: an R-tree over the bounding boxes narrows the candidates, an exact point-in-polygon
 * test decides. Edges follow the half-open rule (a point on a shared edge belongs to exactly one side),
 * so the tiling gives every point exactly one grid.
 */
export class GridIndex {
  private readonly tree = new RBush<Entry>()
  readonly size: number

  constructor(readonly grids: readonly IndexedGrid[]) {
    this.tree.load(grids.map((grid) => ({ minX: grid.minLng, minY: grid.minLat, maxX: grid.maxLng, maxY: grid.maxLat, grid })))
    this.size = grids.length
  }

  locate(point: LatLng): IndexedGrid | undefined {
    const candidates = this.tree.search({ minX: point.lng, minY: point.lat, maxX: point.lng, maxY: point.lat })
    return candidates.find((c) => containsPoint(c.grid.rings, point))?.grid
  }

  /** The linear scan the index replaces; kept for the benchmark and as a cross-check in tests. */
  locateLinear(point: LatLng): IndexedGrid | undefined {
    return this.grids.find((g) => containsPoint(g.rings, point))
  }
}

/** Even-odd ray casting over every ring (holes included), with half-open edges. */
export function containsPoint(rings: ReadonlyArray<ReadonlyArray<readonly [number, number]>>, point: LatLng): boolean {
  const x = point.lng
  const y = point.lat
  let inside = false
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i] as readonly [number, number]
      const [xj, yj] = ring[j] as readonly [number, number]
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside
    }
  }
  return inside
}
