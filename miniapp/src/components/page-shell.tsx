import { useEffect, useState, type ReactNode } from 'react'
import { View } from '@tarojs/components'
import { useDidShow } from '@tarojs/taro'
import { getSettings, onSettingsChange } from '../services/settings'

/** The root of every page: carries the design tokens and switches them for 长辈模式. */
export function PageShell({ children, className = '' }: { children: ReactNode; className?: string }) {
  const [elder, setElder] = useState(() => getSettings().elderMode)
  useEffect(() => onSettingsChange((s) => setElder(s.elderMode)), [])
  useDidShow(() => setElder(getSettings().elderMode))
  return <View className={`page${elder ? ' elder' : ''}${className ? ` ${className}` : ''}`}>{children}</View>
}
