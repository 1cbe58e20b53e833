import type { StatsLevel, StatsView } from '@palm/shared'
import { apiRequest } from './api-client'

export const statsService = {
  get: (level: StatsLevel, code?: string, from?: string, to?: string) =>
    apiRequest<StatsView>({ path: '/api/stats', query: { level, code, from, to } })
}
