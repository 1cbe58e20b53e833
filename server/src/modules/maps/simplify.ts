/**
 * Douglas–Peucker on a closed ring of [lng, lat] positions: drops the vertices that lie within
 * `tolerance` degrees of the line through their neighbours. Grid boundaries from a registry carry a
 * vertex every few metres; the map needs about one per few metres at street zoom, so 1e-5° (about
 * 1 m) keeps the outline while cutting most of the bytes (docs/maps.md).
 */
export function simplifyRing(ring: ReadonlyArray<readonly [number, number]>, tolerance: number): Array<[number, number]> {
  if (ring.length <= 5) return ring.map(([x, y]) => [x, y])
  const keep = new Uint8Array(ring.length)
  keep[0] = 1
  keep[ring.length - 1] = 1
  // The ring is closed (first = last), so split it at its farthest vertex from the start first.
  const first = ring[0] as readonly [number, number]
  let far = 1
  let farDistance = -1
  for (let i = 1; i < ring.length - 1; i++) {
    const p = ring[i] as readonly [number, number]
    const d = (p[0] - first[0]) ** 2 + (p[1] - first[1]) ** 2
    if (d > farDistance) {
      farDistance = d
      far = i
    }
  }
  keep[far] = 1
  const stack: Array<[number, number]> = [
    [0, far],
    [far, ring.length - 1]
  ]
  const tolerance2 = tolerance * tolerance
  while (stack.length) {
    const [a, b] = stack.pop() as [number, number]
    let worst = -1
    let worstDistance = tolerance2
    for (let i = a + 1; i < b; i++) {
      const d = segmentDistance2(ring[i] as readonly [number, number], ring[a] as readonly [number, number], ring[b] as readonly [number, number])
      if (d > worstDistance) {
        worstDistance = d
        worst = i
      }
    }
    if (worst >= 0) {
      keep[worst] = 1
      stack.push([a, worst], [worst, b])
    }
  }
  const out = ring.filter((_, i) => keep[i]).map(([x, y]) => [x, y] as [number, number])
  // A ring needs four positions (three corners and the closing one) to stay a polygon.
  return out.length >= 4 ? out : ring.map(([x, y]) => [x, y])
}

function segmentDistance2(p: readonly [number, number], a: readonly [number, number], b: readonly [number, number]): number {
  const dx = b[0] - a[0]
  const dy = b[1] - a[1]
  const length2 = dx * dx + dy * dy
  const t = length2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length2))
  const x = a[0] + t * dx - p[0]
  const y = a[1] + t * dy - p[1]
  return x * x + y * y
}
