import { View, Text, Button } from '@tarojs/components'
import { errorMessage } from '../services/show-error'
import './state-view.scss'

/**
 * Loading, error and empty states, the same on every page. The error state always offers 重试,
 * because most failures on a phone are a moment without network.
 */
export function StateView(props: { loading?: boolean; error?: unknown; empty?: boolean; emptyText?: string; onRetry?: () => void }) {
  if (props.loading) {
    return (
      <View className='state-view' aria-busy='true'>
        <View className='state-spinner' />
        <Text className='state-text'>加载中…</Text>
      </View>
    )
  }
  if (props.error) {
    return (
      <View className='state-view state-error' role='alert'>
        <Text className='state-icon'>!</Text>
        <Text className='state-text'>{errorMessage(props.error)}</Text>
        {props.onRetry ? (
          <Button className='btn btn-ghost state-retry' onClick={props.onRetry}>
            重试
          </Button>
        ) : null}
      </View>
    )
  }
  if (props.empty) {
    return (
      <View className='state-view state-empty'>
        <Text className='state-icon'>○</Text>
        <Text className='state-text'>{props.emptyText ?? '暂无内容'}</Text>
      </View>
    )
  }
  return null
}

/** The foot of an endless list. */
export function ListFooter({ loadingMore, hasMore, count }: { loadingMore: boolean; hasMore: boolean; count: number }) {
  if (count === 0) return null
  return <View className='list-footer'>{loadingMore ? '正在加载更多…' : hasMore ? '上拉加载更多' : '没有更多了'}</View>
}
