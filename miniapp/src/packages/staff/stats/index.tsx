import { useCallback, useEffect, useState } from 'react'
import { View, Text } from '@tarojs/components'
import Taro, { usePullDownRefresh } from '@tarojs/taro'
import type { StatsLevel, StatsView } from '@palm/shared'
import { PageShell } from '../../../components/page-shell'
import { StateView } from '../../../components/state-view'
import { useSession } from '../../../hooks/use-session'
import type { SessionUser } from '../../../services/session'
import { statsService } from '../../../services/stats.service'
import { formatRate } from '../../../utils/format'
import './index.scss'

const RANGES = [
  { days: 7, label: '近 7 天' },
  { days: 30, label: '近 30 天' },
  { days: 90, label: '近 90 天' }
]

/** The unit a staff member oversees: their grid, community or street; everyone else the district. */
function unitOf(user: SessionUser): { level: StatsLevel; code?: string } {
  if (user.role === 'grid_worker' && user.scope.gridCode) return { level: 'grid', code: user.scope.gridCode }
  if (user.role === 'community_staff' && user.scope.communityCode) return { level: 'community', code: user.scope.communityCode }
  if (user.role === 'street_admin' && user.scope.streetCode) return { level: 'street', code: user.scope.streetCode }
  return { level: 'district' }
}

/** The statistics card: received, resolved, overdue and the three rates of 接诉即办. */
export default function StatsPage() {
  const session = useSession()
  const [days, setDays] = useState(30)
  const [stats, setStats] = useState<StatsView>()
  const [error, setError] = useState<unknown>()
  const [loading, setLoading] = useState(true)

  const load = useCallback(async () => {
    if (!session) return
    setLoading(true)
    setError(undefined)
    const unit = unitOf(session.user)
    const to = new Date()
    const from = new Date(to.getTime() - days * 86_400_000)
    try {
      setStats(await statsService.get(unit.level, unit.code, from.toISOString(), to.toISOString()))
    } catch (err) {
      setError(err)
    } finally {
      setLoading(false)
    }
  }, [session, days])

  useEffect(() => void load(), [load])
  usePullDownRefresh(() => void load().finally(() => Taro.stopPullDownRefresh()))

  return (
    <PageShell className='stats'>
      <View className='stats-ranges'>
        {RANGES.map((r) => (
          <View key={r.days} className={`stats-range${r.days === days ? ' is-active' : ''}`} onClick={() => setDays(r.days)}>
            {r.label}
          </View>
        ))}
      </View>
      {loading || error || !stats ? (
        <StateView loading={loading} error={error} onRetry={() => void load()} />
      ) : (
        <View className='card stats-card'>
          <View className='card-title'>{stats.name}</View>
          <View className='stats-rates'>
            <View className='stats-rate rate-response'>
              <Text className='stats-rate-value'>{formatRate(stats.responseRate)}</Text>
              <Text className='stats-rate-label'>响应率</Text>
            </View>
            <View className='stats-rate rate-resolution'>
              <Text className='stats-rate-value'>{formatRate(stats.resolutionRate)}</Text>
              <Text className='stats-rate-label'>解决率</Text>
            </View>
            <View className='stats-rate rate-satisfaction'>
              <Text className='stats-rate-value'>{formatRate(stats.satisfactionRate)}</Text>
              <Text className='stats-rate-label'>满意率</Text>
            </View>
          </View>
          <View className='stats-counts'>
            <View className='row'>
              <Text>受理工单</Text>
              <Text>{stats.received}</Text>
            </View>
            <View className='row'>
              <Text>按时签收</Text>
              <Text>{stats.acceptedOnTime}</Text>
            </View>
            <View className='row'>
              <Text>已办结</Text>
              <Text>{stats.resolved}</Text>
            </View>
            <View className='row'>
              <Text>已评价 / 满意</Text>
              <Text>
                {stats.rated} / {stats.satisfied}
              </Text>
            </View>
            <View className='row'>
              <Text>超时工单</Text>
              <Text className={stats.overdue > 0 ? 'stats-overdue' : ''}>{stats.overdue}</Text>
            </View>
          </View>
          <View className='muted'>响应率＝按时签收÷受理；解决率＝办结÷受理；满意率＝满意和基本满意÷已评价。</View>
        </View>
      )}
    </PageShell>
  )
}
