/** Maps: one coordinate system at the edges, the grid layer and the staff map (docs/maps.md). */
export { createMapsRouter } from './maps.routes'
