/** Places with QR codes (一码通), the grid profile (网格档案) and 我的网格: docs/places-and-grids.md. */
export { createPlacesRouter } from './places.routes'
export { CommunityOffice, GridCounts, GridEntry, Place, StaffCard } from './places.entity'
export { seedPlaces } from './places.seed'
