import type { CoordSystem, MapGridsView, MapTicketsView } from '@palm/shared'
import { apiRequest } from './api-client'

export interface GridFilter {
  communityCode?: string
  streetCode?: string
  gridCodes?: readonly string[]
}

/** The map's reads (docs/maps.md): every answer comes in the system the map draws in, and says so. */
export const mapsService = {
  /** The grid layer: public GeoJSON of the district's grids, or of a street, a community, some grids. */
  grids: (coordSystem: CoordSystem, filter: GridFilter = {}) =>
    apiRequest<MapGridsView>({
      path: '/api/map/grids',
      auth: false,
      query: {
        coordSystem,
        communityCode: filter.communityCode,
        streetCode: filter.streetCode,
        gridCodes: filter.gridCodes?.length ? filter.gridCodes.join(',') : undefined
      }
    }),
  /** Staff: the tickets of their scope that have a point. */
  tickets: (coordSystem: CoordSystem, state: 'open' | 'done' | 'all' = 'open') => apiRequest<MapTicketsView>({ path: '/api/map/tickets', query: { coordSystem, state } })
}
