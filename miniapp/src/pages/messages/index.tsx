import { View, Text, Button } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { useState } from 'react'
import { PageShell } from '../../components/page-shell'
import { ListFooter, StateView } from '../../components/state-view'
import { usePagedList } from '../../hooks/use-paged-list'
import { useSession } from '../../hooks/use-session'
import type { MessageView } from '@palm/shared'
import { isUnread, messagesService } from '../../services/messages.service'
import { showError } from '../../services/show-error'
import { formatTime } from '../../utils/format'
import { Routes, openPage } from '../../utils/routes'
import './index.scss'

function MessageList() {
  const list = usePagedList<MessageView>((cursor) => messagesService.list(cursor), { reloadOnShow: true })
  const [unread, setUnread] = useState(0)

  useDidShow(() => {
    messagesService
      .unreadCount()
      .then((n) => {
        setUnread(n)
        if (n > 0) void Taro.setTabBarBadge({ index: 1, text: n > 99 ? '99+' : String(n) }).catch(() => undefined)
        else void Taro.removeTabBarBadge({ index: 1 }).catch(() => undefined)
      })
      .catch(() => undefined)
  })

  async function handleOpen(m: MessageView) {
    if (isUnread(m)) {
      list.setItems((items) => items.map((x) => (x.id === m.id ? { ...x, read: true, readAt: new Date().toISOString() } : x)))
      setUnread((n) => Math.max(0, n - 1))
      messagesService.markRead([m.id]).catch(() => undefined)
    }
    if (m.ticketId) openPage(Routes.ticket(m.ticketId))
  }

  async function handleReadAll() {
    try {
      await messagesService.markAllRead()
      list.setItems((items) => items.map((x) => ({ ...x, read: true, readAt: x.readAt ?? new Date().toISOString() })))
      setUnread(0)
      void Taro.removeTabBarBadge({ index: 1 }).catch(() => undefined)
    } catch (err) {
      void showError(err)
    }
  }

  return (
    <>
      <View className='messages-head'>
        <Text className='muted unread-count'>{unread > 0 ? `${unread} 条未读` : '没有未读消息'}</Text>
        {unread > 0 ? (
          <Text className='messages-read-all' onClick={() => void handleReadAll()}>
            全部已读
          </Text>
        ) : null}
      </View>
      <StateView loading={list.loading} error={list.error && list.items.length === 0 ? list.error : undefined} onRetry={() => void list.reload()} />
      {!list.loading && !list.error && list.items.length === 0 ? <StateView empty emptyText='暂无消息。工单有进展时，会在这里通知您。' /> : null}
      {list.items.map((m) => (
        <View key={m.id} className={`card message${isUnread(m) ? ' is-unread' : ''}`} onClick={() => void handleOpen(m)}>
          <View className='message-head'>
            {isUnread(m) ? <View className='message-dot' /> : null}
            <Text className='message-title'>{m.title}</Text>
          </View>
          <View className='message-body'>{m.body}</View>
          <View className='muted'>{formatTime(m.createdAt)}</View>
        </View>
      ))}
      <ListFooter loadingMore={list.loadingMore} hasMore={list.hasMore} count={list.items.length} />
    </>
  )
}

export default function MessagesPage() {
  const session = useSession()
  return (
    <PageShell className='messages'>
      {session ? (
        <MessageList key={session.user.id} />
      ) : (
        <View className='card messages-signed-out'>
          <View className='card-title'>登录后查看消息</View>
          <View className='muted'>工单受理、回复、办结时，我们会在这里通知您。</View>
          <Button className='btn btn-primary btn-block' onClick={() => openPage(Routes.signIn(Routes.messages))}>
            登录
          </Button>
        </View>
      )}
    </PageShell>
  )
}
