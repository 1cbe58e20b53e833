import { View, Text } from '@tarojs/components'
import { PageShell } from '../../../components/page-shell'
import { ListFooter, StateView } from '../../../components/state-view'
import { Tag } from '../../../components/service-ui'
import { usePagedList } from '../../../hooks/use-paged-list'
import { volunteersService } from '../../../services/volunteers.service'
import { formatTime } from '../../../utils/format'
import { ALERT_LEVEL_LABELS } from '../../../utils/service-format'
import '../components/alliance.scss'

/** The anti-fraud alerts feed staff publish, newest first. */
export default function AlertsPage() {
  const list = usePagedList((cursor) => volunteersService.alerts(cursor))
  return (
    <PageShell className='alerts'>
      <StateView loading={list.loading} error={list.items.length === 0 ? list.error : undefined} empty={!list.loading && !list.error && list.items.length === 0} emptyText='暂无预警' onRetry={() => void list.reload()} />
      {list.items.map((a) => (
        <View key={a.id} className={`card alert-card level-${a.level}`}>
          <View className='list-card-head'>
            <Text className='list-card-title'>{a.title}</Text>
            <Tag tone={a.level === 'urgent' ? 'danger' : a.level === 'warning' ? 'warn' : 'plain'}>{ALERT_LEVEL_LABELS[a.level]}</Tag>
          </View>
          <View className='alert-body'>{a.body}</View>
          <View className='muted'>{`${a.publisher} · ${formatTime(a.publishedAt)}`}</View>
        </View>
      ))}
      <ListFooter loadingMore={list.loadingMore} hasMore={list.hasMore} count={list.items.length} />
    </PageShell>
  )
}
