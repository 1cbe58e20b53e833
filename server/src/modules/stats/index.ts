/**
 * Statistics and dashboards after 接诉即办 (docs/dashboards.md): per-ticket facts and daily rows kept
 * current by the ticket event hook and the stats-deadlines job; breakdowns, trends, categories, the
 * monthly ranking (考评) and hot spots (未诉先办) read from the daily rows.
 */

export { computeStats, statsRange } from './stats.service'
export { createStatsRouter } from './stats.routes'
export { statsTicketHook } from './stats.hook'
export { statsDeadlinesJob, refreshPassedDeadlines } from './deadlines.job'
export { hotspotJob, detectHotspots, HOTSPOT_RULE } from './hotspots'
export { rebuildStats } from './rebuild'
