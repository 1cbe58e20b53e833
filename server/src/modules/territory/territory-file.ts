import gcoord from 'gcoord'
import {
  STORED_COORDINATE_SYSTEM,
  TerritoryFeaturePropertiesSchema,
  TerritoryImportLimits,
  type TerritoryCoordinateSystem,
  type TerritoryFile,
  type TerritoryIssue,
  type TerritoryLevel
} from '@palm/shared'
import { BadRequestError } from '../../errors'

/** A ring of [lng, lat] positions, closed (first = last). */
export type Ring = Array<[number, number]>
export type AreaGeometry = { type: 'Polygon'; coordinates: Ring[] } | { type: 'MultiPolygon'; coordinates: Ring[][] }
export type BBox = readonly [number, number, number, number]

/** One feature of the file after its structure was checked; `geometry` is WGS-84 and null when absent or broken. */
export interface ParsedFeature {
  level: TerritoryLevel
  code: string
  name: string
  parentCode: string | null
  kind: 'community' | 'village' | null
  synthetic: boolean
  geometry: AreaGeometry | null
  /** False when the geometry was present but structurally broken (already reported). */
  geometryUsable: boolean
  bbox: BBox | null
}

export interface ParsedTerritory {
  features: ParsedFeature[]
  declared: string[]
  converted: boolean
  issues: TerritoryIssue[]
}

const SYSTEM_ALIASES: Record<string, TerritoryCoordinateSystem> = {
  'WGS-84': 'WGS-84',
  WGS84: 'WGS-84',
  'EPSG:4326': 'WGS-84',
  'URN:OGC:DEF:CRS:OGC:1.3:CRS84': 'WGS-84',
  'GCJ-02': 'GCJ-02',
  GCJ02: 'GCJ-02',
  'BD-09': 'BD-09',
  BD09: 'BD-09'
}

/**
 * The coordinate system a file declares: `coordinateSystem` ("WGS-84", "GCJ-02", "BD-09"), or a
 * GeoJSON 2008 `crs` member naming EPSG:4326/CRS84. A file must declare one: Chinese map data is
 * often GCJ-02 without saying so, and guessing would move every boundary by hundreds of metres.
 * @throws BadRequestError `unsupported_coordinate_system` when missing or not one of the three
 */
export function declaredSystem(file: TerritoryFile, index: number): TerritoryCoordinateSystem {
  const crs = file.crs as { properties?: { name?: unknown } } | undefined
  const raw = file.coordinateSystem ?? (typeof crs?.properties?.name === 'string' ? crs.properties.name : undefined)
  const system = raw === undefined ? undefined : SYSTEM_ALIASES[raw.trim().toUpperCase()]
  if (!system) {
    const path = index === 0 ? 'coordinateSystem' : `${index}.coordinateSystem`
    const message = raw === undefined ? 'is required: "WGS-84", "GCJ-02" or "BD-09"' : `"${raw}" is not supported: use "WGS-84", "GCJ-02" or "BD-09"`
    throw new BadRequestError('unsupported_coordinate_system', `The file must declare its coordinate system; ${message}.`, [{ path, code: 'unsupported_coordinate_system', message }])
  }
  return system
}

const GCOORD_SYSTEM = { 'GCJ-02': gcoord.GCJ02, 'BD-09': gcoord.BD09 } as const

function round7(n: number): number {
  return Math.round(n * 1e7) / 1e7
}

/**
 * Reads the files into features: properties, geometry structure (types, rings, positions) and the
 * conversion to WGS-84. Problems become report issues; only a missing or unknown coordinate system
 * throws, since then no coordinate in the file can be trusted.
 */
export function parseTerritoryFiles(files: readonly TerritoryFile[]): ParsedTerritory {
  const issues: TerritoryIssue[] = []
  const features: ParsedFeature[] = []
  const declared: string[] = []
  let converted = false
  files.forEach((file, fileIndex) => {
    const system = declaredSystem(file, fileIndex)
    declared.push(system)
    const convert = system === STORED_COORDINATE_SYSTEM ? null : GCOORD_SYSTEM[system]
    if (convert) converted = true
    file.features.forEach((raw, featureIndex) => {
      const at = files.length > 1 ? `file ${fileIndex + 1}, feature ${featureIndex + 1}` : `feature ${featureIndex + 1}`
      const parsed = parseFeature(raw, at, issues)
      if (!parsed) return
      const geometry = readGeometry(raw as { geometry?: unknown }, parsed, issues)
      const usable = geometry !== null && geometry !== 'broken'
      const wgs = usable && convert ? convertGeometry(geometry, (p) => gcoord.transform(p, convert, gcoord.WGS84)) : usable ? geometry : null
      features.push({ ...parsed, geometry: wgs, geometryUsable: geometry !== 'broken', bbox: wgs ? bboxOf(wgs) : null })
    })
  })
  return { features, declared, converted, issues }
}

type FeatureHead = Omit<ParsedFeature, 'geometry' | 'geometryUsable' | 'bbox'>

function parseFeature(raw: unknown, at: string, issues: TerritoryIssue[]): FeatureHead | null {
  const feature = raw as { type?: unknown; properties?: unknown } | null
  if (typeof feature !== 'object' || feature === null || feature.type !== 'Feature') {
    issues.push({ code: 'invalid_feature', message: `${at} is not a GeoJSON Feature.` })
    return null
  }
  const props = (feature.properties ?? {}) as Record<string, unknown>
  const code = typeof props.code === 'string' ? props.code.trim() : typeof props.code === 'number' ? String(props.code) : ''
  const featureCode = code || undefined
  if (!TerritoryFeaturePropertiesSchema.shape.level.safeParse(props.level).success) {
    issues.push({ code: 'unknown_level', featureCode, message: `${at}: properties.level must be "street", "community" or "grid".` })
    return null
  }
  const parsed = TerritoryFeaturePropertiesSchema.safeParse({ ...props, code })
  if (!parsed.success) {
    const path = parsed.error.issues[0]?.path.join('.') ?? 'properties'
    issues.push({ code: 'invalid_feature', featureCode, message: `${at}: properties.${path} is not valid.` })
    return null
  }
  const p = parsed.data
  const name = p.name?.trim() ?? ''
  return {
    level: p.level,
    code,
    name,
    parentCode: p.parentCode?.trim() || null,
    kind: p.kind ?? null,
    synthetic: p.synthetic ?? false
  }
}

function isPosition(p: unknown): p is number[] {
  return Array.isArray(p) && (p.length === 2 || p.length === 3) && p.every((n) => typeof n === 'number' && Number.isFinite(n))
}

/**
 * Checks the geometry's type and each ring (positions, at least 4, closed); answers the geometry
 * with 2-D positions, null when there is none, or 'broken' when it was reported.
 */
function readGeometry(raw: { geometry?: unknown }, f: FeatureHead, issues: TerritoryIssue[]): AreaGeometry | null | 'broken' {
  const base = { featureCode: f.code, level: f.level }
  const g = raw.geometry as { type?: unknown; coordinates?: unknown } | null | undefined
  if (g === null || g === undefined) {
    if (f.level === 'grid') {
      issues.push({ ...base, code: 'missing_geometry', message: `Grid ${f.code} has no geometry: every grid needs its boundary.` })
      return 'broken'
    }
    return null
  }
  const allowed = f.level === 'grid' ? ['Polygon'] : ['Polygon', 'MultiPolygon']
  if (typeof g.type !== 'string' || !allowed.includes(g.type)) {
    issues.push({ ...base, code: 'invalid_geometry_type', message: `${f.code}: a ${f.level} must be a ${allowed.join(' or ')}, not ${String(g.type)}.` })
    return 'broken'
  }
  const polygons = g.type === 'Polygon' ? [g.coordinates] : Array.isArray(g.coordinates) ? g.coordinates : [null]
  const out: Ring[][] = []
  let positions = 0
  for (const polygon of polygons) {
    if (!Array.isArray(polygon) || polygon.length === 0 || !polygon.every((r) => Array.isArray(r) && r.every(isPosition))) {
      issues.push({ ...base, code: 'invalid_coordinates', message: `${f.code}: coordinates must be rings of [lng, lat] number pairs.` })
      return 'broken'
    }
    const rings = (polygon as number[][][]).map((r) => r.map((p) => [p[0], p[1]] as [number, number]))
    for (const ring of rings) {
      positions += ring.length
      if (ring.length < 4) {
        issues.push({ ...base, code: 'too_few_points', message: `${f.code}: a ring needs at least 4 positions (a triangle and its closing point); it has ${ring.length}.` })
        return 'broken'
      }
      const first = ring[0] as [number, number]
      const last = ring[ring.length - 1] as [number, number]
      if (first[0] !== last[0] || first[1] !== last[1]) {
        issues.push({ ...base, code: 'unclosed_ring', message: `${f.code}: a ring must end on its first position.` })
        return 'broken'
      }
    }
    out.push(rings)
  }
  if (positions > TerritoryImportLimits.maxPositionsPerFeature) {
    issues.push({ ...base, code: 'invalid_coordinates', message: `${f.code}: more than ${TerritoryImportLimits.maxPositionsPerFeature} positions; simplify the boundary.` })
    return 'broken'
  }
  return g.type === 'Polygon' ? { type: 'Polygon', coordinates: out[0] ?? [] } : { type: 'MultiPolygon', coordinates: out }
}

function convertGeometry(g: AreaGeometry, transform: (p: [number, number]) => [number, number]): AreaGeometry {
  const ring = (r: Ring): Ring =>
    r.map((p) => {
      const [x, y] = transform(p)
      return [round7(x), round7(y)]
    })
  return g.type === 'Polygon' ? { type: 'Polygon', coordinates: g.coordinates.map(ring) } : { type: 'MultiPolygon', coordinates: g.coordinates.map((poly) => poly.map(ring)) }
}

/** Every outer and inner ring of a Polygon or MultiPolygon. */
export function ringsOf(g: AreaGeometry): Ring[] {
  return g.type === 'Polygon' ? g.coordinates : g.coordinates.flat()
}

export function bboxOf(g: AreaGeometry): BBox {
  let minX = Infinity
  let minY = Infinity
  let maxX = -Infinity
  let maxY = -Infinity
  for (const ring of ringsOf(g)) {
    for (const [x, y] of ring) {
      if (x < minX) minX = x
      if (y < minY) minY = y
      if (x > maxX) maxX = x
      if (y > maxY) maxY = y
    }
  }
  return [minX, minY, maxX, maxY]
}
