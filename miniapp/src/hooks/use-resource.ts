import { useCallback, useEffect, useRef, useState } from 'react'
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro'

/**
 * One thing a page shows (a station, an activity, a record): loaded when the page shows, again
 * on pull-down, and on demand after a change. A failure is kept as `error` (never as empty data);
 * a quiet reload keeps what is on screen while it runs. A change in `deps` (a filter) loads again.
 */
export function useResource<T>(load: () => Promise<T>, options: { reloadOnShow?: boolean; deps?: readonly unknown[] } = {}) {
  const [data, setData] = useState<T>()
  const [error, setError] = useState<unknown>()
  const [loading, setLoading] = useState(true)
  const loadRef = useRef(load)
  loadRef.current = load
  const generation = useRef(0)
  const loaded = useRef(false)

  const reload = useCallback(async (quiet = false) => {
    const mine = ++generation.current
    if (!quiet) setLoading(true)
    setError(undefined)
    try {
      const value = await loadRef.current()
      if (mine !== generation.current) return
      setData(value)
      loaded.current = true
    } catch (err) {
      if (mine === generation.current) setError(err)
    } finally {
      if (mine === generation.current) setLoading(false)
    }
  }, [])

  useDidShow(() => {
    if (!loaded.current || options.reloadOnShow !== false) void reload(loaded.current)
  })
  usePullDownRefresh(() => {
    void reload(true).finally(() => Taro.stopPullDownRefresh())
  })
  const firstDeps = useRef(true)
  useEffect(() => {
    if (firstDeps.current) {
      firstDeps.current = false
      return
    }
    void reload()
    // The caller's deps decide when to load again, as useEffect's own list does; reload is stable.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, options.deps ?? [])
  return { data, setData, error, loading, reload }
}

/**
 * Runs one action at a time (a tap on 预约, 报名, 签到): a second tap while the first is on its way
 * does nothing. `busy` drives the button's look.
 */
export function useAction() {
  const [busy, setBusy] = useState(false)
  const running = useRef(false)
  const run = useCallback(async <R>(action: () => Promise<R>): Promise<R | undefined> => {
    if (running.current) return undefined
    running.current = true
    setBusy(true)
    try {
      return await action()
    } finally {
      running.current = false
      setBusy(false)
    }
  }, [])
  return { busy, run }
}
