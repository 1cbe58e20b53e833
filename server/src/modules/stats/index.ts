/** Statistics per territory unit after 接诉即办 (response, resolution and satisfaction rates, overdue). */
export { computeStats, statsRange } from './stats.service'
export { createStatsRouter } from './stats.routes'
