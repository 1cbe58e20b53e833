import { area } from '@turf/area'
import { difference } from '@turf/difference'
import { featureCollection, feature as turfFeature } from '@turf/helpers'
import { intersect } from '@turf/intersect'
import { kinks } from '@turf/kinks'
import { union } from '@turf/union'
import type { Feature, MultiPolygon, Polygon } from 'geojson'
import { CommunityCodeSchema, DISTRICT_BOUNDS, GRID_CODE_PATTERN, STREETS, StreetCodeSchema, TerritoryImportLimits, type TerritoryIssue, type TerritoryLevel } from '@palm/shared'
import { ringsOf, type AreaGeometry, type BBox, type ParsedFeature } from './territory-file'

type Area = Feature<Polygon | MultiPolygon>

/** Errors block the write; warnings are shown and let it happen. */
export interface IssueSink {
  errors: TerritoryIssue[]
  warnings: TerritoryIssue[]
}

const PARENT_LEVEL: Record<TerritoryLevel, TerritoryLevel | null> = { street: null, community: 'street', grid: 'community' }
const KNOWN_STREETS = new Set<string>(STREETS.map((s) => s.code))

/**
 * Every check that needs only the file: codes, names, parents, and the geometry rules of the net
 * (inside the district, no self-intersection, children inside their parent, no overlaps, no gaps).
 * Features whose geometry is broken take part in no geometric check (turf cannot work on them).
 * `context` holds the grids already stored outside the streets the file covers: a new grid must not
 * overlap them either (the grid index would have two answers for one point).
 */
export function checkTerritory(features: readonly ParsedFeature[], context: readonly ParsedFeature[] = []): IssueSink {
  const sink: IssueSink = { errors: [], warnings: [] }
  checkCodes(features, sink)
  const areas = new Map<ParsedFeature, Area>()
  for (const f of features) {
    if (!f.geometry) continue
    if (!insideDistrict(f.geometry)) {
      sink.errors.push({
        code: 'outside_district',
        featureCode: f.code,
        level: f.level,
        message: `${f.code} has positions outside Pingcheng District (N${DISTRICT_BOUNDS.minLat}–${DISTRICT_BOUNDS.maxLat}, E${DISTRICT_BOUNDS.minLng}–${DISTRICT_BOUNDS.maxLng}).`
      })
      continue
    }
    const shape = turfFeature(f.geometry) as Area
    if (kinks(shape).features.length > 0) {
      sink.errors.push({ code: 'self_intersection', featureCode: f.code, level: f.level, message: `${f.code}: the boundary crosses itself.` })
      continue
    }
    areas.set(f, shape)
  }
  for (const f of context) if (f.geometry) areas.set(f, turfFeature(f.geometry) as Area)
  const families = familiesOf(features, areas)
  checkOverlaps([...features, ...context], areas, sink, new Set(context), families)
  checkParents(features, areas, sink, families)
  checkGaps(families, areas, sink)
  return sink
}

/** A parent with its children, when every child's geometry is usable: one union serves three checks. */
interface Family {
  parent: ParsedFeature
  kids: ParsedFeature[]
  union: Area | null
  /** The children overlap one another by at most `ignoreAreaM2` in total: no sibling pair needs checking. */
  disjoint: boolean
  /** The children stick out of the parent by at most `ignoreAreaM2` in total: no child needs checking. */
  inside: boolean
}

function familiesOf(features: readonly ParsedFeature[], areas: Map<ParsedFeature, Area>): Map<ParsedFeature, Family> {
  const children = new Map<string, ParsedFeature[]>()
  for (const f of features) {
    if (!f.parentCode) continue
    const key = `${PARENT_LEVEL[f.level] ?? ''}:${f.parentCode}`
    children.set(key, [...(children.get(key) ?? []), f])
  }
  const byKid = new Map<ParsedFeature, Family>()
  for (const parent of features) {
    const kids = children.get(`${parent.level}:${parent.code}`) ?? []
    if (kids.length === 0 || kids.some((k) => !areas.has(k))) continue
    const shapes = kids.map((k) => areas.get(k) as Area)
    const merged = shapes.length === 1 ? (shapes[0] as Area) : union(featureCollection(shapes))
    const overlapTotal = merged ? shapes.reduce((sum, shape) => sum + area(shape), 0) - area(merged) : Infinity
    const outer = areas.get(parent)
    const outside = merged && outer ? difference(featureCollection([merged, outer])) : null
    const family: Family = {
      parent,
      kids,
      union: merged,
      disjoint: overlapTotal <= TerritoryImportLimits.ignoreAreaM2,
      inside: Boolean(merged && outer) && (!outside || area(outside) <= TerritoryImportLimits.ignoreAreaM2)
    }
    for (const k of kids) byKid.set(k, family)
  }
  return byKid
}

function checkCodes(features: readonly ParsedFeature[], sink: IssueSink): void {
  const byLevel = new Map<TerritoryLevel, Set<string>>([
    ['street', new Set()],
    ['community', new Set()],
    ['grid', new Set()]
  ])
  const seen = new Map<string, number>()
  for (const f of features) {
    byLevel.get(f.level)?.add(f.code)
    const key = `${f.level}:${f.code}`
    seen.set(key, (seen.get(key) ?? 0) + 1)
  }
  const reported = new Set<string>()
  for (const f of features) {
    const base = { featureCode: f.code, level: f.level }
    const valid = f.level === 'street' ? StreetCodeSchema.safeParse(f.code).success : f.level === 'community' ? CommunityCodeSchema.safeParse(f.code).success : GRID_CODE_PATTERN.test(f.code)
    if (!valid) sink.errors.push({ ...base, code: 'invalid_code', message: `"${f.code}" is not a valid ${f.level} code.` })
    if (f.level === 'street' && valid && !KNOWN_STREETS.has(f.code)) sink.errors.push({ ...base, code: 'unknown_street', message: `${f.code} is not one of the district's 18 streets.` })
    const key = `${f.level}:${f.code}`
    if ((seen.get(key) ?? 0) > 1 && !reported.has(key)) {
      reported.add(key)
      sink.errors.push({ ...base, code: 'duplicate_code', message: `${f.level} ${f.code} appears ${seen.get(key)} times.` })
    }
    if (!f.name) sink.errors.push({ ...base, code: 'missing_name', message: `${f.level} ${f.code} has no name.` })
    else if (f.name.length > TerritoryImportLimits.maxNameLength)
      sink.errors.push({ ...base, code: 'missing_name', message: `${f.code}: the name is longer than ${TerritoryImportLimits.maxNameLength} characters.` })
    const parentLevel = PARENT_LEVEL[f.level]
    if (parentLevel && !(f.parentCode && byLevel.get(parentLevel)?.has(f.parentCode))) {
      sink.errors.push({ ...base, code: 'unknown_parent', message: `${f.level} ${f.code}: parentCode "${f.parentCode ?? ''}" is no ${parentLevel} of this file.` })
    }
  }
}

function insideDistrict(g: AreaGeometry): boolean {
  const b = DISTRICT_BOUNDS
  return ringsOf(g).every((ring) => ring.every(([x, y]) => x >= b.minLng && x <= b.maxLng && y >= b.minLat && y <= b.maxLat))
}

function boxesTouch(a: BBox, b: BBox): boolean {
  return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]
}

function roundArea(m2: number): number {
  return Math.round(m2 * 10) / 10
}

/** An area issue: ignored up to `ignoreAreaM2`, a warning up to `toleranceAreaM2`, an error above. */
function areaIssue(sink: IssueSink, m2: number, issue: Omit<TerritoryIssue, 'areaM2'>): void {
  if (m2 <= TerritoryImportLimits.ignoreAreaM2) return
  const target = m2 <= TerritoryImportLimits.toleranceAreaM2 ? sink.warnings : sink.errors
  target.push({ ...issue, areaM2: roundArea(m2) })
}

/**
 * Same-level overlaps. Features are sorted by west edge and swept, so turf only sees pairs whose
 * bounding boxes meet (about 4 neighbours per grid in a tiling instead of every pair).
 */
function checkOverlaps(features: readonly ParsedFeature[], areas: Map<ParsedFeature, Area>, sink: IssueSink, context: ReadonlySet<ParsedFeature>, families: Map<ParsedFeature, Family>): void {
  for (const level of ['street', 'community', 'grid'] as const) {
    const items = features.filter((f) => f.level === level && f.bbox && areas.has(f)).sort((a, b) => (a.bbox?.[0] ?? 0) - (b.bbox?.[0] ?? 0))
    for (let i = 0; i < items.length; i++) {
      const a = items[i] as ParsedFeature
      const boxA = a.bbox as BBox
      for (let j = i + 1; j < items.length; j++) {
        const b = items[j] as ParsedFeature
        const boxB = b.bbox as BBox
        if (boxB[0] >= boxA[2]) break
        if (!boxesTouch(boxA, boxB) || (context.has(a) && context.has(b))) continue
        const family = families.get(a)
        if (family?.disjoint && families.get(b) === family) continue
        const shared = intersect(featureCollection([areas.get(a) as Area, areas.get(b) as Area]))
        if (!shared) continue
        const [own, other] = context.has(a) ? [b, a] : [a, b]
        const stored = context.has(other) ? ' (a stored grid of a street this file does not cover)' : ''
        areaIssue(sink, area(shared), { code: 'overlap', featureCode: own.code, otherCode: other.code, level, message: `${level} ${own.code} overlaps ${other.code}${stored}.` })
      }
    }
  }
}

/** A child's area outside its parent's boundary (when the parent has one). */
function checkParents(features: readonly ParsedFeature[], areas: Map<ParsedFeature, Area>, sink: IssueSink, families: Map<ParsedFeature, Family>): void {
  const parents = new Map<string, ParsedFeature>()
  for (const f of features) parents.set(`${f.level}:${f.code}`, f)
  for (const f of features) {
    const parentLevel = PARENT_LEVEL[f.level]
    const parent = parentLevel && f.parentCode ? parents.get(`${parentLevel}:${f.parentCode}`) : undefined
    const own = areas.get(f)
    const outer = parent ? areas.get(parent) : undefined
    if (!own || !outer || !parent?.bbox || !f.bbox || families.get(f)?.inside) continue
    const outside = difference(featureCollection([own, outer]))
    if (!outside) continue
    areaIssue(sink, area(outside), {
      code: 'outside_parent',
      featureCode: f.code,
      otherCode: parent.code,
      level: f.level,
      message: `${f.level} ${f.code} reaches outside its ${parent.level} ${parent.code}.`
    })
  }
}

/**
 * Gaps: a parent's area that none of its children cover. When the parent has no boundary, the holes
 * in the union of its children are the gaps (a grid missing in the middle of a community).
 */
function checkGaps(families: Map<ParsedFeature, Family>, areas: Map<ParsedFeature, Area>, sink: IssueSink): void {
  for (const family of new Set(families.values())) {
    const { parent, kids, union: covered } = family
    if (!covered) continue
    const outer = areas.get(parent)
    const pieces = outer ? piecesOf(difference(featureCollection([outer, covered]))) : holesOf(covered)
    for (const piece of pieces) {
      areaIssue(sink, area(piece), { code: 'gap', featureCode: parent.code, level: parent.level, message: `A part of ${parent.level} ${parent.code} lies in none of its ${kids[0]?.level ?? ''}s.` })
    }
  }
}

function piecesOf(g: Area | null): Area[] {
  if (!g) return []
  if (g.geometry.type === 'Polygon') return [g]
  return g.geometry.coordinates.map((coordinates) => turfFeature({ type: 'Polygon', coordinates }) as Area)
}

function holesOf(g: Area): Area[] {
  const polygons = g.geometry.type === 'Polygon' ? [g.geometry.coordinates] : g.geometry.coordinates
  return polygons.flatMap((rings) => rings.slice(1).map((hole) => turfFeature({ type: 'Polygon', coordinates: [hole] }) as Area))
}
