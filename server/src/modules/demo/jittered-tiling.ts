import { createPrng } from './prng'

export interface Bounds {
  minLat: number
  maxLat: number
  minLng: number
  maxLng: number
}

export interface TilingSpec {
  bounds: Bounds
  rows: number
  cols: number
  /** How far a shared vertex may move, as a fraction of the cell size; below 0.25 every cell stays a simple quadrilateral. */
  jitter: number
  seed: number
}

/** One cell of the tiling: a closed GeoJSON ring ([lng, lat], counter-clockwise) and its bounding box. */
export interface TilingCell {
  row: number
  col: number
  ring: Array<[number, number]>
  minLat: number
  minLng: number
  maxLat: number
  maxLng: number
}

export interface Tiling {
  spec: TilingSpec
  /** Row-major, row 0 at the south edge, column 0 at the west edge. */
  cells: TilingCell[]
  cell(row: number, col: number): TilingCell
  /** The point at fractions (fx, fy) of the undistorted cell; inside the cell for fx, fy in [0.3, 0.7]. */
  pointInCell(row: number, col: number, fx?: number, fy?: number): { lat: number; lng: number }
}

const COORDINATE_SCALE = 1e7 // 1e-7 degrees ≈ 1 cm: short JSON, and still exact where cells meet

function round(v: number): number {
  return Math.round(v * COORDINATE_SCALE) / COORDINATE_SCALE
}

/**
 * A lattice of rows × cols cells over the bounds whose shared vertices are moved a little, so the
 * cells are irregular quadrilaterals. Every vertex is computed once and reused by each cell that
 * touches it, so neighbours share their edges bit for bit: the cells tile the bounds with no gap and
 * no overlap. Vertices on the outer boundary move only along it, so the union is the bounds exactly.
 */
export function buildJitteredTiling(spec: TilingSpec): Tiling {
  const { bounds, rows, cols, jitter } = spec
  if (jitter < 0 || jitter >= 0.25) throw new Error('jitter must be in [0, 0.25)')
  const random = createPrng(spec.seed)
  const dLat = (bounds.maxLat - bounds.minLat) / rows
  const dLng = (bounds.maxLng - bounds.minLng) / cols
  const lats: number[][] = []
  const lngs: number[][] = []
  for (let r = 0; r <= rows; r++) {
    const latRow: number[] = []
    const lngRow: number[] = []
    for (let c = 0; c <= cols; c++) {
      const jLat = (random() * 2 - 1) * jitter * dLat
      const jLng = (random() * 2 - 1) * jitter * dLng
      const lat = r === 0 ? bounds.minLat : r === rows ? bounds.maxLat : round(bounds.minLat + r * dLat + jLat)
      const lng = c === 0 ? bounds.minLng : c === cols ? bounds.maxLng : round(bounds.minLng + c * dLng + jLng)
      latRow.push(lat)
      lngRow.push(lng)
    }
    lats.push(latRow)
    lngs.push(lngRow)
  }
  const vertex = (r: number, c: number): [number, number] => [lngs[r]?.[c] ?? NaN, lats[r]?.[c] ?? NaN]
  const cells: TilingCell[] = []
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const sw = vertex(r, c)
      const ring: Array<[number, number]> = [sw, vertex(r, c + 1), vertex(r + 1, c + 1), vertex(r + 1, c), [sw[0], sw[1]]]
      const xs = ring.map((p) => p[0])
      const ys = ring.map((p) => p[1])
      cells.push({ row: r, col: c, ring, minLng: Math.min(...xs), maxLng: Math.max(...xs), minLat: Math.min(...ys), maxLat: Math.max(...ys) })
    }
  }
  return {
    spec,
    cells,
    cell(row, col) {
      const found = cells[row * cols + col]
      if (!found || row < 0 || col < 0 || col >= cols) throw new Error(`no cell at row ${row}, column ${col}`)
      return found
    },
    pointInCell(row, col, fx = 0.5, fy = 0.5) {
      return { lat: bounds.minLat + (row + fy) * dLat, lng: bounds.minLng + (col + fx) * dLng }
    }
  }
}
