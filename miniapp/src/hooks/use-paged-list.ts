import { useCallback, useRef, useState } from 'react'
import Taro, { useDidShow, usePullDownRefresh, useReachBottom } from '@tarojs/taro'

export interface PageResult<T> {
  items: T[]
  nextCursor?: string | null
}

/**
 * An endless, cursor-paged list with pull-to-refresh: the first page loads when the page shows,
 * pulling down reloads, reaching the bottom fetches the next page. `fetchPage` must reject on
 * failure (the API client does), so an error is never mistaken for an empty list.
 */
export function usePagedList<T>(fetchPage: (cursor?: string) => Promise<PageResult<T>>, options: { reloadOnShow?: boolean } = {}) {
  const [items, setItems] = useState<T[]>([])
  const [cursor, setCursor] = useState<string | undefined>()
  const [hasMore, setHasMore] = useState(false)
  const [loading, setLoading] = useState(true)
  const [loadingMore, setLoadingMore] = useState(false)
  const [error, setError] = useState<unknown>()
  const generation = useRef(0)
  const loaded = useRef(false)
  const fetchRef = useRef(fetchPage)
  fetchRef.current = fetchPage

  const reload = useCallback(async (quiet = false) => {
    const mine = ++generation.current
    if (!quiet) setLoading(true)
    setError(undefined)
    try {
      const page = await fetchRef.current(undefined)
      if (mine !== generation.current) return
      setItems(page.items)
      setCursor(page.nextCursor ?? undefined)
      setHasMore(Boolean(page.nextCursor))
      loaded.current = true
    } catch (err) {
      if (mine === generation.current) setError(err)
    } finally {
      if (mine === generation.current) setLoading(false)
    }
  }, [])

  const loadMore = useCallback(async () => {
    if (!hasMore || loadingMore || !cursor) return
    const mine = generation.current
    setLoadingMore(true)
    try {
      const page = await fetchRef.current(cursor)
      if (mine !== generation.current) return
      setItems((prev) => [...prev, ...page.items])
      setCursor(page.nextCursor ?? undefined)
      setHasMore(Boolean(page.nextCursor))
    } catch (err) {
      if (mine === generation.current) setError(err)
    } finally {
      setLoadingMore(false)
    }
  }, [cursor, hasMore, loadingMore])

  useDidShow(() => {
    if (!loaded.current || options.reloadOnShow) void reload(loaded.current)
  })
  usePullDownRefresh(() => {
    void reload(true).finally(() => Taro.stopPullDownRefresh())
  })
  useReachBottom(() => {
    void loadMore()
  })

  return { items, setItems, loading, loadingMore, error, hasMore, reload, loadMore }
}
