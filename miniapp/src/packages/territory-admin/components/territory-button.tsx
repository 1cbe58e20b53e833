import type { ReactNode } from 'react'
import { Button } from '@tarojs/components'
import { pressable } from '../../../components/a11y'

/**
 * The page's buttons: a role and Tab stop in H5 (Taro's H5 Button is a custom element without
 * them), Enter/Space run the same action as a tap, and a disabled button says so and does nothing.
 */
export function TerritoryButton(p: { children: ReactNode; onPress: () => void; kind?: 'primary' | 'ghost'; busy?: boolean; busyText?: string; disabled?: boolean; className?: string }) {
  const off = Boolean(p.busy || p.disabled)
  const press = () => {
    if (!off) p.onPress()
  }
  return (
    <Button
      className={`btn btn-${p.kind ?? 'primary'} ${p.className ?? ''}${off ? ' btn-disabled' : ''}`}
      disabled={off || undefined}
      aria-disabled={off || undefined}
      {...pressable(press)}
      onClick={press}
    >
      {p.busy ? (p.busyText ?? '请稍候…') : p.children}
    </Button>
  )
}
