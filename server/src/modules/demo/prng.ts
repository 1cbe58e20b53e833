/**
 * A small seeded PRNG (mulberry32). Demo data, tests and benchmarks draw from it so that every run
 * builds the same district and the same random points: a failure can be replayed.
 */
export function createPrng(seed: number): () => number {
  let state = seed >>> 0
  return function next(): number {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A uniform float in [min, max). */
export function uniform(random: () => number, min: number, max: number): number {
  return min + (max - min) * random()
}
