import type { CoordSystem, CommunityView, GridView, LocateView, StreetView } from '@palm/shared'
import { apiRequest } from './api-client'

/** Territory is public reference data: the pickers read it before anyone signs in. */
export const territoryService = {
  listStreets: () => apiRequest<StreetView[]>({ path: '/api/territory/streets', auth: false }),
  listCommunities: (streetCode: string) => apiRequest<CommunityView[]>({ path: '/api/territory/communities', query: { streetCode }, auth: false }),
  listGrids: (communityCode: string) => apiRequest<GridView[]>({ path: '/api/territory/grids', query: { communityCode }, auth: false }),
  /** Rejects with 404 `out_of_district` for a point outside Pingcheng. `coordSystem`: what lat/lng are in (wgs84 unless said). */
  locate: (lat: number, lng: number, coordSystem: CoordSystem = 'wgs84') => apiRequest<LocateView>({ path: '/api/territory/locate', query: { lat, lng, coordSystem }, auth: false })
}
