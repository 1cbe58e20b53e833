import type { ReactNode } from 'react'
import { Button } from '@tarojs/components'
import './page-blocks.scss'

/** The page's main button; shows `busyText` and ignores taps while its action runs. */
export function ActionButton(p: { children: ReactNode; busy?: boolean; busyText?: string; onClick: () => void; className?: string; kind?: 'primary' | 'ghost' | 'plain'; disabled?: boolean }) {
  const kind = p.kind ?? 'primary'
  const off = p.busy || p.disabled
  return (
    <Button className={`btn ${kind === 'plain' ? '' : `btn-${kind}`} ${p.className ?? ''}${off ? ' btn-disabled' : ''}`} disabled={off || undefined} onClick={p.onClick}>
      {p.busy ? (p.busyText ?? '请稍候…') : p.children}
    </Button>
  )
}
