import { View, Text } from '@tarojs/components'
import type { PublicTicketView } from '@palm/shared'
import { PageShell } from '../../../components/page-shell'
import { ListFooter, StateView } from '../../../components/state-view'
import { usePagedList } from '../../../hooks/use-paged-list'
import { ticketsService } from '../../../services/tickets.service'
import { formatTime } from '../../../utils/format'
import './index.scss'

/** Published replies for everyone, no sign-in: the server has already masked personal data. */
export default function PublicBoardPage() {
  const list = usePagedList<PublicTicketView>((cursor) => ticketsService.listPublic(cursor))
  return (
    <PageShell className='public-board'>
      <View className='muted public-intro'>以下为居民同意公开的办理结果，已隐去姓名、电话和详细地址。</View>
      <StateView loading={list.loading} error={list.items.length === 0 ? list.error : undefined} onRetry={() => void list.reload()} />
      {!list.loading && !list.error && list.items.length === 0 ? <StateView empty emptyText='暂无公开的办理结果' /> : null}
      {list.items.map((t) => {
        const place = t.community?.name ?? ''
        return (
          <View key={t.id} className='card public-item' data-public-id={t.id}>
            <View className='public-head'>
              <Text className='public-category'>{t.categoryName ?? t.category}</Text>
              <Text className='tag tag-ok'>已办结</Text>
            </View>
            <View className='muted'>
              {place}
              {place ? ' · ' : ''}
              {t.reporter.displayName} · {formatTime(t.createdAt)}
            </View>
            <View className='public-title'>{t.title}</View>
            <View className='public-text'>{t.description}</View>
            {t.reply ? (
              <View className='public-reply'>
                <Text className='public-reply-label'>办理回复：</Text>
                {t.reply}
              </View>
            ) : null}
            <View className='muted public-foot'>
              办结于 {formatTime(t.resolvedAt)}
              {t.rating ? ` · 居民评价 ${'★'.repeat(t.rating.score)}` : ''}
            </View>
          </View>
        )
      })}
      <ListFooter loadingMore={list.loadingMore} hasMore={list.hasMore} count={list.items.length} />
    </PageShell>
  )
}
