import { useState } from 'react'
import { View, Text } from '@tarojs/components'
import { chinaClock } from '@palm/shared'
import { PageShell } from '../../../components/page-shell'
import { StateView } from '../../../components/state-view'
import { ActionButton } from '../../../components/buttons'
import { useResource } from '../../../hooks/use-resource'
import { volunteersService } from '../../../services/volunteers.service'
import { formatHours } from '../../../utils/format'
import '../components/alliance.scss'

function shiftMonth(month: string, by: number): string {
  const [y, m] = month.split('-').map(Number)
  const index = (y ?? 1970) * 12 + (m ?? 1) - 1 + by
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`
}

/** The month's volunteers by service hours (names masked); the caller's own row is marked. */
export default function LeaderboardPage() {
  const current = chinaClock(new Date()).monthKey
  const [month, setMonth] = useState(current)
  const board = useResource(() => volunteersService.leaderboard(month), { reloadOnShow: false, deps: [month] })
  const [y, m] = month.split('-')

  return (
    <PageShell className='leaderboard'>
      <View className='month-bar'>
        <ActionButton kind='plain' className='month-prev' onClick={() => setMonth(shiftMonth(month, -1))}>
          ‹ 上月
        </ActionButton>
        <Text className='card-title'>{`${y}年${Number(m)}月`}</Text>
        <ActionButton kind='plain' className='month-next' disabled={month >= current} onClick={() => setMonth(shiftMonth(month, 1))}>
          下月 ›
        </ActionButton>
      </View>
      {board.data && !board.loading ? (
        board.data.items.length === 0 ? (
          <StateView empty emptyText='本月还没有服务记录' />
        ) : (
          <View className='card'>
            {board.data.items.map((row) => (
              <View key={`${row.rank}-${row.displayName}`} className={`rank-row${row.isMe ? ' is-me' : ''}`}>
                <Text className='rank-no'>{row.rank}</Text>
                <View className='rank-who'>
                  <Text>{`${row.displayName}${row.isMe ? '（我）' : ''}`}</Text>
                  <Text className='muted'>{`${row.community} · ${row.activityCount} 次活动`}</Text>
                </View>
                <Text className='rank-hours'>{formatHours(row.hours)}</Text>
              </View>
            ))}
          </View>
        )
      ) : (
        <StateView loading={board.loading} error={board.error} onRetry={() => void board.reload()} />
      )}
    </PageShell>
  )
}
