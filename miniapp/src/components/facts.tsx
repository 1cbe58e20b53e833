import type { ReactNode } from 'react'
import { View, Text } from '@tarojs/components'
import './page-blocks.scss'

/** The read-only facts of a card or a detail page: a labelled line and a coloured status word. */

/** "标签：值" on one line, wrapping long values. */
export function InfoRow({ label, children, className = '' }: { label: string; children: ReactNode; className?: string }) {
  return (
    <View className={`info-row ${className}`}>
      <Text className='info-label'>{label}</Text>
      <View className='info-value'>{children}</View>
    </View>
  )
}

export type Tone = 'ok' | 'warn' | 'danger' | 'plain'
export function Tag({ tone = 'plain', children, className = '' }: { tone?: Tone; children: ReactNode; className?: string }) {
  const toneClass = tone === 'plain' ? '' : ` tag-${tone}`
  return <Text className={`tag${toneClass} ${className}`}>{children}</Text>
}
