/** Zod-free on purpose: the report form names a QR code's place on its first paint (docs/performance.md). */
export const PLACE_KINDS = ['building', 'shop', 'facility'] as const
export type PlaceKind = (typeof PLACE_KINDS)[number]
export const PLACE_KIND_NAMES: Record<PlaceKind, string> = { building: '楼栋', shop: '商铺', facility: '公共设施' }
