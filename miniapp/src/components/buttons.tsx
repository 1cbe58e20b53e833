import type { ReactNode } from 'react'
import { Button } from '@tarojs/components'
import { pressable } from './a11y'
import './page-blocks.scss'

export type ButtonKind = 'primary' | 'ghost' | 'danger' | 'plain'

/**
 * Every page's button (services, staff pages, the admin console): shows `busyText` and ignores
 * taps, Enter and Space while its action runs or when disabled. `label` names it for screen readers
 * when its text alone is ambiguous (编辑 on every row of a list): start it with the visible text.
 */
export function ActionButton(p: { children: ReactNode; onClick: () => void; kind?: ButtonKind; busy?: boolean; busyText?: string; disabled?: boolean; className?: string; label?: string }) {
  const kind = p.kind ?? 'primary'
  const off = Boolean(p.busy || p.disabled)
  const press = () => {
    if (!off) p.onClick()
  }
  return (
    <Button
      className={`btn ${kind === 'plain' ? '' : `btn-${kind}`} ${p.className ?? ''}${off ? ' btn-disabled' : ''}`}
      disabled={off || undefined}
      aria-disabled={off || undefined}
      {...pressable(press, p.label ? { label: p.label } : {})}
      onClick={press}
    >
      {p.busy ? (p.busyText ?? '请稍候…') : p.children}
    </Button>
  )
}
