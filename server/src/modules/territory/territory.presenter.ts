import { GeoJsonPolygonSchema, type CommunityKind, type CommunityView, type DepartmentView, type GridView, type LocateView, type StreetView } from '@palm/shared'
import type { LocatedPlace } from './territory.service'
import type { Community, Department, Grid, Street } from './territory.entity'

export function presentStreet(s: Street): StreetView {
  return { code: s.code, name: s.name }
}

export function presentCommunity(c: Community): CommunityView {
  return { code: c.code, name: c.name, streetCode: c.streetCode, kind: c.kind as CommunityKind, synthetic: Boolean(c.synthetic) }
}

export function presentDepartment(d: Department): DepartmentView {
  return { code: d.code, name: d.name }
}

export function presentGrid(g: Grid): GridView {
  return {
    code: g.code,
    name: g.name,
    communityCode: g.communityCode,
    streetCode: g.streetCode,
    polygon: GeoJsonPolygonSchema.parse(JSON.parse(g.polygon)),
    synthetic: Boolean(g.synthetic)
  }
}

export function presentLocatedPlace(place: LocatedPlace): LocateView {
  return {
    street: { code: place.street.code, name: place.street.name },
    community: { code: place.community.code, name: place.community.name, synthetic: Boolean(place.community.synthetic) },
    grid: { code: place.grid.code, name: place.grid.name, synthetic: Boolean(place.grid.synthetic) }
  }
}
