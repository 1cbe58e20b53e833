import type {
  CommunityContactsView,
  CommunityOfficeInput,
  CommunityOfficeView,
  CreateGridEntryInput,
  CreatePlaceInput,
  GridCountsImportResult,
  GridCountsInput,
  GridCountsView,
  GridEntryView,
  GridProfileView,
  MyGridView,
  PlaceQrPlatform,
  PlaceSceneView,
  PlaceView,
  WorkerCardInput
} from '@palm/shared'
import { apiRequest } from './api-client'

const grid = (code: string) => `/api/grids/${encodeURIComponent(code)}`

/** A place's code as the page shows it: the image as a data: URL, and for H5 the address it holds. */
export interface PlaceCodeView {
  scene: string
  url: string | null
  expiresAt: string
  image: string
}

/** Places with QR codes, the grid profile and 我的网格 (docs/places-and-grids.md). */
export const placesService = {
  /** What a scanned code opens; asked without sign-in (the scene's signature is the guard). */
  resolveScene: (scene: string) => apiRequest<PlaceSceneView>({ path: `/api/places/scene/${encodeURIComponent(scene)}`, auth: false }),
  list: (gridCode: string) => apiRequest<{ items: PlaceView[] }>({ path: '/api/places', query: { grid: gridCode } }).then((r) => r.items),
  create: (input: CreatePlaceInput) => apiRequest<PlaceView>({ path: '/api/places', method: 'POST', body: input }),
  /** Its printed codes stop working (qr_scene_unknown). */
  remove: (id: string) => apiRequest<void>({ path: `/api/places/${encodeURIComponent(id)}`, method: 'DELETE' }),
  code: (id: string, platform: PlaceQrPlatform) => apiRequest<PlaceCodeView>({ path: `/api/places/${encodeURIComponent(id)}/code`, query: { platform } }),
  sheet: (gridCode: string, platform: PlaceQrPlatform) => apiRequest<{ count: number; image: string }>({ path: `${grid(gridCode)}/places/sheet`, query: { platform } }),
  profile: (gridCode: string) => apiRequest<GridProfileView>({ path: `${grid(gridCode)}/profile` }),
  setCounts: (gridCode: string, counts: GridCountsInput) => apiRequest<GridCountsView>({ path: `${grid(gridCode)}/profile/counts`, method: 'PUT', body: counts }),
  importCounts: (csv: string) => apiRequest<GridCountsImportResult>({ path: '/api/grid-profiles/counts/import', method: 'POST', body: { csv } }),
  addEntry: (gridCode: string, input: CreateGridEntryInput) => apiRequest<GridEntryView>({ path: `${grid(gridCode)}/profile/entries`, method: 'POST', body: input }),
  deleteEntry: (gridCode: string, id: string) => apiRequest<void>({ path: `${grid(gridCode)}/profile/entries/${encodeURIComponent(id)}`, method: 'DELETE' }),
  /** 网格联系方式 (staff in scope): the office and the workers' work numbers residents see. */
  contacts: (communityCode: string) => apiRequest<CommunityContactsView>({ path: `/api/communities/${encodeURIComponent(communityCode)}/contacts` }),
  setOffice: (communityCode: string, input: CommunityOfficeInput) =>
    apiRequest<CommunityOfficeView>({ path: `/api/communities/${encodeURIComponent(communityCode)}/office`, method: 'PUT', body: input }),
  setWorkerCard: (userId: string, input: WorkerCardInput) => apiRequest<{ workPhone: string | null }>({ path: `/api/grid-workers/${encodeURIComponent(userId)}/card`, method: 'PUT', body: input }),
  myGrid: (point?: { lat: number; lng: number }) => apiRequest<MyGridView>({ path: '/api/my-grid', query: point ? { lat: point.lat, lng: point.lng } : {} })
}
