import { z } from 'zod'
import { CoordSystemSchema, PointInputSchema, type PointView } from '../common/geo'
import type { PublicTicketView } from '../publication/publication.schema'
import { PLACE_KINDS, type PlaceKind } from './place-kinds'

export { PLACE_KINDS, PLACE_KIND_NAMES, type PlaceKind } from './place-kinds'

/**
 * Places with a QR code (一码通), the resident's 我的网格 and the staff's grid profile (网格档案);
 * docs/places-and-grids.md. Points are stored in WGS-84; a body's point may declare another
 * `coordSystem` and every answer says its system (docs/maps.md).
 */

export const PlaceLimits = {
  nameMax: 64,
  addressMax: 120,
  /** Days a QR scene stays valid after it is made; a new code is made by asking again. */
  qrValidDays: 365,
  /** WeChat's `scene` of wxacode.getUnlimited holds at most 32 visible characters. */
  sceneMax: 32,
  /** Places of one grid on one printable sheet. */
  sheetMax: 60
} as const

export const PlaceKindSchema = z.enum(PLACE_KINDS)

/** POST /api/places: the point (wgs84 unless `coordSystem` says otherwise) decides the grid; it must lie in the caller's scope. */
export const CreatePlaceSchema = z.object({
  name: z.string().trim().min(1).max(PlaceLimits.nameMax),
  kind: PlaceKindSchema,
  point: PointInputSchema,
  address: z.string().trim().max(PlaceLimits.addressMax).optional()
})
export type CreatePlaceInput = z.infer<typeof CreatePlaceSchema>

export const GridCodeParamSchema = z.string().trim().min(1).max(24)

export const ListPlacesQuerySchema = z.object({ grid: GridCodeParamSchema })

export const PlaceQrQuerySchema = z.object({ platform: z.enum(['h5', 'weapp']).default('h5') })
export type PlaceQrPlatform = z.infer<typeof PlaceQrQuerySchema>['platform']

/** A QR scene: `<place code>.<expiry, base36 days>.<signature>`, at most 32 characters. */
export const PlaceSceneSchema = z.string().trim().min(1).max(PlaceLimits.sceneMax)

export interface PlaceView {
  id: string
  code: string
  name: string
  kind: PlaceKind
  address: string | null
  point: PointView
  grid: { code: string; name: string }
  community: { code: string; name: string }
  createdAt: string
}

/** GET /api/places/scene/:scene: what the report form fills in from a scanned code. */
export interface PlaceSceneView {
  place: { id: string; name: string; kind: PlaceKind; address: string | null }
  /** WGS-84 (the report form sends it back as it is). */
  point: PointView
  grid: { code: string; name: string }
  community: { code: string; name: string }
  street: { code: string; name: string }
  expiresAt: string
}

/** The H5 page a place's code opens (hash router); `scene` is the signed scene. */
export const PLACE_REPORT_PATH = 'packages/report/new/index'

/* ───── grid profile (网格档案) ───── */

const count = z.number({ error: 'must be a number' }).int('must be a whole number').min(0, 'must not be negative').max(1_000_000)

/** The 人 block: counts only, never names (entered by community staff or imported as CSV). */
export const GridCountsSchema = z.object({
  residents: count,
  households: count,
  partyMembers: count,
  specialGroups: count,
  lowIncome: count
})
export type GridCountsInput = z.infer<typeof GridCountsSchema>

/** The CSV header the import expects, in this order. */
export const GRID_COUNTS_CSV_COLUMNS = ['grid_code', 'residents', 'households', 'party_members', 'special_groups', 'low_income'] as const

export const ImportGridCountsSchema = z.object({ csv: z.string().min(1).max(200_000) })

export const GRID_ENTRY_BLOCKS = ['thing', 'situation', 'organisation'] as const
export const GridEntryBlockSchema = z.enum(GRID_ENTRY_BLOCKS)
export type GridEntryBlock = z.infer<typeof GridEntryBlockSchema>

/** One line of 物 (a facility), 情 (a situation note) or 组织 (an organisation and its contact). */
export const CreateGridEntrySchema = z.object({
  block: GridEntryBlockSchema,
  name: z.string().trim().min(1).max(64),
  kind: z.string().trim().max(32).optional(),
  contact: z.string().trim().max(64).optional(),
  note: z.string().trim().max(500).optional()
})
export type CreateGridEntryInput = z.infer<typeof CreateGridEntrySchema>

export interface GridCountsView extends GridCountsInput {
  updatedAt: string
}

export interface GridEntryView {
  id: string
  block: GridEntryBlock
  name: string
  kind: string | null
  contact: string | null
  note: string | null
  createdAt: string
}

export interface GridEventsView {
  total: number
  open: number
  overdue: number
  resolved: number
  /** Resolved or closed within the time limit, of all resolved or closed; null when none are. */
  onTimeRate: number | null
  byCategory: { category: string; name: string; count: number }[]
  recent: { id: string; number: string; category: string; state: string; submittedAt: string }[]
}

export interface GridProfileView {
  grid: { code: string; name: string; synthetic: boolean }
  community: { code: string; name: string }
  people: GridCountsView | null
  places: PlaceView[]
  things: GridEntryView[]
  situations: GridEntryView[]
  events: GridEventsView
  organisations: GridEntryView[]
}

export interface GridCountsImportResult {
  updated: number
}

/* ───── my grid (我的网格) ───── */

export const MyGridQuerySchema = z.object({
  lat: z.coerce.number().min(-90).max(90).optional(),
  lng: z.coerce.number().min(-180).max(180).optional(),
  coordSystem: CoordSystemSchema.optional()
})

/** A grid worker as residents see them: a name, a photo when there is one, and a public number only. */
export interface GridWorkerCardView {
  displayName: string
  photoUrl: string | null
  /** The worker's public work number, else the community office's; never a private phone. */
  phone: string | null
  phoneSource: 'work' | 'community' | null
}

export interface CommunityOfficeView {
  name: string
  address: string | null
  phone: string | null
  hours: string | null
}

export interface MyGridView {
  /** Where the grid came from: the point given, or the resident's last located report. */
  source: 'point' | 'last_report' | null
  grid: { code: string; name: string } | null
  community: { code: string; name: string } | null
  street: { code: string; name: string } | null
  workers: GridWorkerCardView[]
  office: CommunityOfficeView | null
  /** Recent replies in the grid as the public board shows them (masked). */
  replies: PublicTicketView[]
}

/** GET /api/communities/:code/contacts (staff in scope): what 我的网格 shows residents, to keep up to date. */
export interface CommunityContactsView {
  community: { code: string; name: string }
  office: CommunityOfficeView | null
  /** The community's grid workers with their public work numbers (null: residents get the office's). */
  workers: Array<{ id: string; displayName: string; grid: { code: string; name: string } | null; workPhone: string | null }>
}

/** PUT /api/communities/:code/office and PUT /api/grid-workers/:id/card (staff in scope). */
export const CommunityOfficeSchema = z.object({
  name: z.string().trim().min(1).max(64),
  address: z.string().trim().max(120).optional(),
  phone: z
    .string()
    .trim()
    .regex(/^[0-9-]{5,20}$/, 'must be a telephone number')
    .optional(),
  hours: z.string().trim().max(64).optional()
})
export type CommunityOfficeInput = z.infer<typeof CommunityOfficeSchema>

export const WorkerCardSchema = z.object({
  workPhone: z
    .string()
    .trim()
    .regex(/^[0-9-]{5,20}$/, 'must be a telephone number')
    .nullable()
})
export type WorkerCardInput = z.infer<typeof WorkerCardSchema>
