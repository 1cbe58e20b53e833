import { pathToFileURL } from 'node:url'
import { DISTRICT_BOUNDS } from '@palm/shared'
import { buildJitteredTiling } from '../src/modules/demo/jittered-tiling'
import { createPrng, uniform } from '../src/modules/demo/prng'
import { GridIndex, type IndexedGrid } from '../src/modules/territory/grid-index'
import type { BenchResult } from './types'

/** Targets from issue 3: the index at least 100× the linear scan, and a median lookup of at most 20 µs. */
const TARGET_RATIO = 100
const TARGET_INDEXED_MEDIAN_US = 20
const SIDE = 100 // 100 × 100 = 10,000 grids

interface Measured {
  medianUs: number
  p95Us: number
  lookups: number
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN
}

/**
 * Times lookups in small batches (one timer read per batch keeps the timer's own cost out of a
 * sub-microsecond lookup) and reports the median and p95 of the per-lookup time over the batches.
 */
function measure(points: ReadonlyArray<{ lat: number; lng: number }>, batch: number, lookup: (p: { lat: number; lng: number }) => IndexedGrid | undefined) {
  const samples: number[] = []
  let found = 0
  for (let start = 0; start + batch <= points.length; start += batch) {
    const t0 = process.hrtime.bigint()
    for (let i = start; i < start + batch; i++) {
      if (lookup(points[i] as { lat: number; lng: number })) found++
    }
    samples.push(Number(process.hrtime.bigint() - t0) / 1000 / batch)
  }
  samples.sort((a, b) => a - b)
  const measured: Measured = { medianUs: quantile(samples, 0.5), p95Us: quantile(samples, 0.95), lookups: samples.length * batch }
  return { measured, found }
}

/**
 * Point → grid routing with 10,000 grids (a 100×100 jittered tiling of the district box): the spatial
 * index against the linear scan it replaces, on the same seeded random points.
 */
export async function benchRoutingIndex(): Promise<BenchResult> {
  const tiling = buildJitteredTiling({ bounds: DISTRICT_BOUNDS, rows: SIDE, cols: SIDE, jitter: 0.2, seed: 20_260_101 })
  const grids: IndexedGrid[] = tiling.cells.map((cell) => ({
    code: `bench-${cell.row}-${cell.col}`,
    name: `bench ${cell.row}/${cell.col}`,
    communityCode: 'bench',
    streetCode: 'bench',
    rings: [cell.ring],
    minLat: cell.minLat,
    minLng: cell.minLng,
    maxLat: cell.maxLat,
    maxLng: cell.maxLng
  }))
  const buildStart = process.hrtime.bigint()
  const index = new GridIndex(grids)
  const buildMs = Number(process.hrtime.bigint() - buildStart) / 1e6

  const random = createPrng(42)
  const b = DISTRICT_BOUNDS
  const randomPoint = () => ({ lat: uniform(random, b.minLat, b.maxLat), lng: uniform(random, b.minLng, b.maxLng) })
  const indexedPoints = Array.from({ length: 50_000 }, randomPoint)
  const linearPoints = indexedPoints.slice(0, 2_000)

  // Warm up both paths so the JIT has compiled them before the clock runs.
  measure(indexedPoints.slice(0, 5_000), 100, (p) => index.locate(p))
  measure(linearPoints.slice(0, 200), 10, (p) => index.locateLinear(p))

  const indexed = measure(indexedPoints, 100, (p) => index.locate(p))
  const linear = measure(linearPoints, 10, (p) => index.locateLinear(p))
  const agree = linearPoints.every((p) => index.locate(p) === index.locateLinear(p))

  const ratio = linear.measured.medianUs / indexed.measured.medianUs
  const ok = agree && indexed.found === indexed.measured.lookups && ratio >= TARGET_RATIO && indexed.measured.medianUs <= TARGET_INDEXED_MEDIAN_US
  const fmt = (v: number) => v.toFixed(v < 10 ? 2 : 1).padStart(9)
  const lines = [
    `grids: ${index.size} (${SIDE}×${SIDE} jittered tiling), index built in ${buildMs.toFixed(1)} ms`,
    `method        lookups   median µs    p95 µs`,
    `bucket index  ${String(indexed.measured.lookups).padStart(7)}   ${fmt(indexed.measured.medianUs)} ${fmt(indexed.measured.p95Us)}`,
    `linear scan   ${String(linear.measured.lookups).padStart(7)}   ${fmt(linear.measured.medianUs)} ${fmt(linear.measured.p95Us)}`,
    `speed-up (median): ${ratio.toFixed(0)}× (target ≥ ${TARGET_RATIO}×); indexed median ${indexed.measured.medianUs.toFixed(2)} µs (target ≤ ${TARGET_INDEXED_MEDIAN_US} µs)`,
    `index and linear scan agree on ${linearPoints.length} points: ${agree ? 'yes' : 'NO'}; every indexed point found a grid: ${indexed.found === indexed.measured.lookups ? 'yes' : 'NO'}`
  ]
  return { name: 'routing index: point → grid with 10,000 grids', lines, ok }
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href
if (invokedDirectly) {
  const result = await benchRoutingIndex()
  console.log(`== ${result.name}`)
  for (const line of result.lines) console.log(line)
  console.log(result.ok ? 'targets met' : 'TARGET MISSED')
  process.exitCode = result.ok ? 0 : 1
}
