import { startTransition, useEffect, useState, type ReactNode } from 'react'
import { View } from '@tarojs/components'
import { useDidShow } from '@tarojs/taro'
import { dismissAppShell, hasAppShell } from '../h5/app-shell'
import { getSettings, onSettingsChange } from '../services/settings'
import { isH5 } from '../utils/platform'

const onH5Page = () => isH5 && typeof document !== 'undefined'

/**
 * The first page of an H5 load lies under the prerendered first view (src/h5/app-shell.ts), so
 * nobody waits for its content: it is rendered as a transition, which React splits into short
 * slices instead of one long task that would keep the phone from answering a tap.
 */
function useContentUnderAppShell(): boolean {
  const [shown, setShown] = useState(() => !(onH5Page() && hasAppShell(document)))
  useEffect(() => {
    if (!shown) startTransition(() => setShown(true))
    else if (onH5Page()) dismissAppShell(document)
  }, [shown])
  return shown
}

/** The root of every page: carries the design tokens and switches them for 长辈模式. */
export function PageShell({ children, className = '' }: { children: ReactNode; className?: string }) {
  const [elder, setElder] = useState(() => getSettings().elderMode)
  const shown = useContentUnderAppShell()
  useEffect(() => onSettingsChange((s) => setElder(s.elderMode)), [])
  useDidShow(() => setElder(getSettings().elderMode))
  return <View className={`page${elder ? ' elder' : ''}${className ? ` ${className}` : ''}`}>{shown ? children : null}</View>
}
