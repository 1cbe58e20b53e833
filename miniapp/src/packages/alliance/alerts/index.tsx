import { useEffect } from 'react'
import { View, Text } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { PageShell } from '../../../components/page-shell'
import { ListFooter, StateView } from '../../../components/state-view'
import { Tag } from '../../../components/facts'
import { usePagedList } from '../../../hooks/use-paged-list'
import { volunteersService } from '../../../services/volunteers.service'
import { formatTime, ALERT_LEVEL_LABELS } from '../../../utils/format'
import '../components/alliance.scss'

/**
 * The anti-fraud alerts feed staff publish, newest first. The home tile 通知公告 opens this same page
 * with `view=notices` (Routes.notices): residents see it under that title, with a line saying
 * what the notices are, rather than a second copy of the page.
 */
export default function AlertsPage() {
  const { params } = useRouter()
  const asNotices = params.view === 'notices'
  useEffect(() => {
    if (asNotices) void Promise.resolve(Taro.setNavigationBarTitle({ title: '通知公告' })).catch(() => undefined)
  }, [asNotices])
  const list = usePagedList((cursor) => volunteersService.alerts(cursor))
  return (
    <PageShell className='alerts'>
      {asNotices ? <View className='muted alerts-intro'>区反诈中心、街道和社区发布的反诈预警与提醒，最新的在最前。</View> : null}
      <StateView
        loading={list.loading}
        error={list.items.length === 0 ? list.error : undefined}
        empty={!list.loading && !list.error && list.items.length === 0}
        emptyText={asNotices ? '暂无通知公告' : '暂无预警'}
        onRetry={() => void list.reload()}
      />
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
