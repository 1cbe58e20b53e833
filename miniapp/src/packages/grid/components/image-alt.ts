import { isH5 } from '../../../utils/platform'

/**
 * A text alternative for a Taro Image (H5 draws an <img> inside a custom element, which needs `alt`).
 * Mirrors components/a11y.ts's imageAlt, which is not in main yet; switch to it when it is.
 */
export function imageAlt(text: string): { 'aria-label'?: string; nativeProps?: Record<string, unknown> } {
  return isH5 ? { nativeProps: { alt: text } } : { 'aria-label': text }
}
