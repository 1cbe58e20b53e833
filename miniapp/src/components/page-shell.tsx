import { startTransition, useEffect, useState, type ReactNode } from 'react'
import { View } from '@tarojs/components'
import { useDidShow } from '@tarojs/taro'
import { dismissAppShell, showsPrerenderedView } from '../h5/app-shell'
import { getSettings, onSettingsChange } from '../services/settings'
import { isH5 } from '../utils/platform'

const onH5Page = () => isH5 && typeof document !== 'undefined'

/**
 * The page of an H5 load whose prerendered view is on screen (src/h5/app-shell.ts) lies under it,
 * so nobody waits for its content: it is rendered as a transition, which React splits into short
 * slices instead of one long task that would keep the phone from answering a tap. Content that
 * mounts this late misses the page's first show event: on the prerendered pages (home, the report
 * form, the public board) only the page component itself uses Taro's page hooks (useDidShow…).
 */
function useContentUnderAppShell(): boolean {
  const [shown, setShown] = useState(() => !(onH5Page() && showsPrerenderedView(document)))
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
