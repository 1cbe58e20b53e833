import type { DashboardView, HotspotView, RankingView, RankingWeights, StatsLevel, StatsView } from '@palm/shared'
import { apiRequest } from './api-client'
import { fetchTextExport } from './file-export'

export interface DashboardParams {
  level: StatsLevel
  code?: string
  from?: string
  to?: string
  granularity?: 'day' | 'week'
}

export interface RankingParams {
  level: 'street' | 'community'
  within?: string
  from: string
  to?: string
}

/** The statistics card, the dashboards, the monthly ranking (考评) and its weights, hot spots (docs/dashboards.md). */
export const statsService = {
  get: (level: StatsLevel, code?: string, from?: string, to?: string) => apiRequest<StatsView>({ path: '/api/stats', query: { level, code, from, to } }),
  dashboard: (p: DashboardParams) => apiRequest<DashboardView>({ path: '/api/stats/dashboard', query: { ...p } }),
  ranking: (p: RankingParams) => apiRequest<RankingView>({ path: '/api/stats/ranking', query: { ...p } }),
  weights: () => apiRequest<RankingWeights>({ path: '/api/stats/ranking-weights' }),
  saveWeights: (w: RankingWeights) => apiRequest<RankingWeights>({ path: '/api/stats/ranking-weights', method: 'PUT', body: w }),
  hotspots: (level: StatsLevel, code?: string) => apiRequest<HotspotView[]>({ path: '/api/stats/hotspots', query: { level, code } }),
  dashboardCsv: (p: DashboardParams) => fetchTextExport('/api/stats/dashboard.csv', '/api/stats/ranking-weights', { ...p }),
  rankingCsv: (p: RankingParams) => fetchTextExport('/api/stats/ranking.csv', '/api/stats/ranking-weights', { ...p })
}
