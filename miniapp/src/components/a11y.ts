import type { CSSProperties } from 'react'
import { isH5 } from '../utils/platform'

/**
 * Keyboard and screen-reader props for Taro components in H5 (in WeChat they are not needed and
 * are left out, so the weapp templates stay lean). Taro's H5 inputs are custom elements wrapping a
 * native <input>: the accessible name must reach that inner element through `nativeProps`, or a
 * screen reader (and Playwright's getByLabel) finds a nameless field.
 */
export function fieldA11y(label: string): { 'aria-label': string; nativeProps?: Record<string, unknown> } {
  return isH5 ? { 'aria-label': label, nativeProps: { 'aria-label': label } } : { 'aria-label': label }
}

/**
 * Like fieldA11y, but in H5 only the inner <input> carries the name: a named wrapper as well would
 * give two elements for one label (Playwright's getByLabel would refuse to choose).
 */
export function namedInput(label: string): { 'aria-label'?: string; nativeProps?: Record<string, unknown> } {
  return isH5 ? { nativeProps: { 'aria-label': label } } : { 'aria-label': label }
}

/** A switch named on its inner checkbox only (H5), as namedInput. */
export function namedSwitch(label: string): { 'aria-label'?: string; nativeProps?: Record<string, unknown> } {
  return isH5 ? { nativeProps: { 'aria-label': label, role: 'switch' } } : { 'aria-label': label }
}

/** A switch (Taro `Switch`, a checkbox inside a custom element in H5) named for screen readers. */
export function switchA11y(label: string): { 'aria-label': string; nativeProps?: Record<string, unknown> } {
  return isH5 ? { 'aria-label': label, nativeProps: { 'aria-label': label, role: 'switch' } } : { 'aria-label': label }
}

interface PressProps {
  role?: string
  tabIndex?: number
  'aria-label'?: string
  onKeyDown?: (e: { key?: string; preventDefault?: () => void }) => void
  style?: CSSProperties
}

/**
 * Makes a tappable View or Button reachable with Tab and usable with Enter/Space in H5: role,
 * tabIndex and a key handler that runs the same action as the tap.
 */
export function pressable(action: () => void, options: { role?: 'button' | 'link' | 'radio' | 'tab' | 'checkbox'; label?: string } = {}): PressProps {
  if (!isH5) return options.label ? { 'aria-label': options.label } : {}
  return {
    role: options.role ?? 'button',
    tabIndex: 0,
    ...(options.label ? { 'aria-label': options.label } : {}),
    onKeyDown: (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault?.()
        action()
      }
    }
  }
}
