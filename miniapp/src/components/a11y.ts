import { useEffect, type CSSProperties } from 'react'
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

/** A text alternative for a Taro Image: H5 draws an <img> inside a custom element, which needs `alt`. */
export function imageAlt(text: string): { 'aria-label'?: string; nativeProps?: Record<string, unknown> } {
  return isH5 ? { nativeProps: { alt: text } } : { 'aria-label': text }
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

/** Roles that a tap activates; Enter (and Space, except for links) does the same from the keyboard. */
const ACTIVATED_ROLES = new Set(['button', 'link', 'tab', 'radio', 'checkbox', 'switch', 'menuitem', 'option'])
const NATIVE_CONTROLS = new Set(['A', 'BUTTON', 'INPUT', 'SELECT', 'TEXTAREA', 'SUMMARY'])

function roleOf(el: Element): string {
  return el.getAttribute('role') ?? (el.tagName === 'TARO-BUTTON-CORE' ? 'button' : '')
}

/**
 * Gives the parts Taro's H5 runtime draws without keyboard or screen-reader support what they lack:
 * every Button (a custom element, not a <button>) and every element with an activating role gets a
 * place in the Tab order; the tab bar becomes a named navigation with the current tab marked; the
 * title bar's back and home buttons get names. Runs on every DOM change (pages mount lazily).
 */
function enhance(root: ParentNode): void {
  const elements = root.querySelectorAll<HTMLElement>('taro-button-core, [role]')
  const list: HTMLElement[] = root instanceof HTMLElement && root.matches('taro-button-core, [role]') ? [root, ...Array.from(elements)] : Array.from(elements)
  list.forEach(enhanceControl)
  enhanceChrome()
}

function enhanceControl(el: HTMLElement): void {
  if (!ACTIVATED_ROLES.has(roleOf(el)) || NATIVE_CONTROLS.has(el.tagName)) return
  if (el.tagName === 'TARO-BUTTON-CORE') {
    if (!el.hasAttribute('role')) el.setAttribute('role', 'button')
    const disabled = el.hasAttribute('disabled') && el.getAttribute('disabled') !== 'false'
    el.setAttribute('aria-disabled', String(disabled))
    if (disabled) el.setAttribute('tabindex', '-1')
    else if (el.getAttribute('tabindex') !== '0') el.setAttribute('tabindex', '0')
  } else if (!el.hasAttribute('tabindex')) {
    el.setAttribute('tabindex', '0')
  }
}

/** The tab bar and the title bar, which Taro draws outside the pages. */
function enhanceChrome(): void {
  const tabbar = document.querySelector('.weui-tabbar')
  if (tabbar && !tabbar.hasAttribute('role')) {
    tabbar.setAttribute('role', 'navigation')
    tabbar.setAttribute('aria-label', '主导航')
  }
  document.querySelectorAll<HTMLElement>('.weui-tabbar__item').forEach((item) => {
    if (item.getAttribute('role') !== 'link') item.setAttribute('role', 'link')
    if (item.getAttribute('tabindex') !== '0') item.setAttribute('tabindex', '0')
    const current = item.classList.contains('weui-bar__item_on')
    if (current && item.getAttribute('aria-current') !== 'page') item.setAttribute('aria-current', 'page')
    if (!current && item.hasAttribute('aria-current')) item.removeAttribute('aria-current')
  })
  const bar = document.getElementById('taro-navigation-bar')
  if (bar && !bar.hasAttribute('role')) {
    bar.setAttribute('role', 'banner')
    for (const [selector, name] of [
      ['.taro-navigation-bar-back', '返回'],
      ['.taro-navigation-bar-home', '回到首页']
    ] as const) {
      const button = bar.querySelector(selector)
      button?.setAttribute('role', 'button')
      button?.setAttribute('tabindex', '0')
      button?.setAttribute('aria-label', name)
      button?.querySelector('svg')?.setAttribute('aria-hidden', 'true')
    }
    bar.querySelector('.taro-navigation-bar-loading')?.setAttribute('aria-hidden', 'true')
    const title = bar.querySelector('.taro-navigation-bar-title')
    title?.setAttribute('role', 'heading')
    title?.setAttribute('aria-level', '1')
  }
  const panel = document.querySelector('.taro-tabbar__panel')
  if (panel && !panel.hasAttribute('role')) panel.setAttribute('role', 'main')
  // A page scrolls inside its own box (pull-down refresh pages): with a Tab stop of its own, the
  // arrow keys scroll it even when it holds nothing else to focus (a read-only list).
  document.querySelectorAll<HTMLElement>('.taro_page:not([tabindex])').forEach((page) => page.setAttribute('tabindex', '0'))
  document.querySelectorAll<HTMLElement>('.taro__modal:not([data-a11y]), .taro__actionSheet:not([data-a11y])').forEach(enhanceDialog)
}

/**
 * Taro's showModal / showActionSheet: plain divs appended to <body>. They become a modal dialog
 * whose buttons take Tab and Enter; focus moves into the dialog when it opens (to 确定) and back
 * to where it was when it closes, so a keyboard user can answer it.
 */
function enhanceDialog(root: HTMLElement): void {
  root.setAttribute('data-a11y', '')
  const box = root.querySelector<HTMLElement>('.taro-modal__content') ?? root.lastElementChild
  box?.setAttribute('role', root.classList.contains('taro__modal') ? 'alertdialog' : 'dialog')
  box?.setAttribute('aria-modal', 'true')
  const text = root.querySelector('.taro-modal__title')?.textContent || root.querySelector('.taro-modal__text')?.textContent
  if (text) box?.setAttribute('aria-label', text)
  // The action sheet's 取消 has no class of its own: it is the last child of the sheet.
  const sheetCancel = () => (root.classList.contains('taro__actionSheet') ? (root.lastElementChild?.lastElementChild as HTMLElement | null) : null)
  const buttons = () => {
    const list = Array.from(root.querySelectorAll<HTMLElement>('.taro-model__btn, .taro-actionsheet__cell'))
    const cancel = sheetCancel()
    return cancel ? [...list, cancel] : list
  }
  if (sheetCancel()) sheetCancel()?.classList.add('taro-actionsheet__cancel')
  let before: Element | null = null
  const sync = () => {
    buttons().forEach((b) => {
      b.setAttribute('role', 'button')
      b.setAttribute('tabindex', '0')
    })
    const open = root.style.display !== 'none'
    if (open && !root.contains(document.activeElement)) {
      before = document.activeElement
      const target = root.querySelector<HTMLElement>('.taro-model__confirm') ?? buttons()[0]
      setTimeout(() => target?.focus(), 0)
    } else if (!open && before instanceof HTMLElement) {
      before.focus()
      before = null
    }
  }
  sync()
  new MutationObserver(sync).observe(root, { attributes: true, attributeFilter: ['style'] })
}

/** Arrow keys move between the radios of a radiogroup (or the tabs of a tablist) and choose, as ARIA says. */
function moveInGroup(el: HTMLElement, key: string): boolean {
  const step = key === 'ArrowRight' || key === 'ArrowDown' ? 1 : key === 'ArrowLeft' || key === 'ArrowUp' ? -1 : 0
  const role = roleOf(el)
  if (step === 0 || (role !== 'radio' && role !== 'tab')) return false
  const group = el.closest(role === 'radio' ? '[role=radiogroup]' : '[role=tablist]')
  if (!group) return false
  const items = Array.from(group.querySelectorAll<HTMLElement>(`[role=${role}]`)).filter((i) => i.getAttribute('aria-disabled') !== 'true')
  const next = items[(items.indexOf(el) + step + items.length) % items.length]
  if (!next || next === el) return false
  next.focus()
  next.click()
  return true
}

function handleKey(e: KeyboardEvent): void {
  if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return
  const el = e.target instanceof HTMLElement ? e.target : undefined
  if (!el || NATIVE_CONTROLS.has(el.tagName) || el.isContentEditable) return
  const role = roleOf(el)
  if (!ACTIVATED_ROLES.has(role) || el.getAttribute('aria-disabled') === 'true') return
  if (moveInGroup(el, e.key)) {
    e.preventDefault()
    return
  }
  if (e.key === 'Enter' || (e.key === ' ' && role !== 'link')) {
    e.preventDefault()
    el.click()
  }
}

function handleEscape(e: KeyboardEvent): void {
  if (e.key !== 'Escape') return
  const dialog = Array.from(document.querySelectorAll<HTMLElement>('.taro__modal, .taro__actionSheet')).find((d) => d.style.display !== 'none')
  dialog?.querySelector<HTMLElement>('.taro-model__cancel, .taro-actionsheet__cancel')?.click()
}

let installed = false

/**
 * H5 only, once at launch (app.tsx): keyboard and screen-reader support for what Taro draws
 * (docs/accessibility.md). Pages still give their tappable Views a role (or use `pressable`); this
 * makes every such element reachable with Tab and usable with Enter/Space/arrows.
 */
export function installH5Accessibility(): void {
  if (!isH5 || installed || typeof document === 'undefined') return
  installed = true
  enhance(document)
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === 'childList') r.addedNodes.forEach((n) => n instanceof HTMLElement && enhance(n))
      else if (r.target instanceof HTMLElement && r.target.matches('taro-button-core, [role]')) enhanceControl(r.target)
    }
    // The tab bar marks its current tab by class only: keep aria-current in step.
    enhanceChrome()
  }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['role', 'disabled', 'class'] })
  document.addEventListener('keydown', handleKey)
  document.addEventListener('keydown', handleEscape)
}

/** The root of a dialog drawn by a page: a named modal that can take focus (with useDialogFocus). */
export function dialogProps(label: string): { role: string; 'aria-modal': string; 'aria-label': string; tabIndex: number } {
  return { role: 'dialog', 'aria-modal': 'true', 'aria-label': label, tabIndex: -1 }
}

/**
 * A dialog drawn by a page (a View over the page, e.g. the privacy notice), in H5: while `open`,
 * focus moves into the element matching `selector` (give it tabIndex -1; or onto its `first`
 * control), Tab and Shift+Tab stay
 * inside it, and focus goes back where it was when it closes.
 */
export function useDialogFocus(open: boolean, selector: string, first?: string): void {
  useEffect(() => {
    if (!isH5 || !open || typeof document === 'undefined') return undefined
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null
    const box = () =>
      Array.from(document.querySelectorAll<HTMLElement>(selector))
        .filter((el) => el.getClientRects().length > 0)
        .pop()
    const timer = setTimeout(() => {
      const dialog = box()
      ;((first ? dialog?.querySelector<HTMLElement>(first) : null) ?? dialog)?.focus()
    }, 50)
    const onKey = (e: KeyboardEvent) => {
      const dialog = box()
      if (e.key !== 'Tab' || !dialog) return
      const stops = Array.from(dialog.querySelectorAll<HTMLElement>('[tabindex="0"], input, select, textarea, a[href], button')).filter((el) => el.getClientRects().length > 0)
      const first = stops[0]
      const last = stops[stops.length - 1]
      if (!first || !last) return
      const here = document.activeElement
      const leaving = !dialog.contains(here) || here === dialog || (e.shiftKey ? here === first : here === last)
      if (leaving) {
        e.preventDefault()
        ;(e.shiftKey ? last : first).focus()
      }
    }
    document.addEventListener('keydown', onKey, true)
    return () => {
      clearTimeout(timer)
      document.removeEventListener('keydown', onKey, true)
      before?.focus()
    }
  }, [open, selector, first])
}
