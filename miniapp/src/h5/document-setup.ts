/**
 * What the H5 page needs once, before the first page renders (app.tsx calls it at load), and what
 * the server's Content-Security-Policy (script-src 'self', no inline scripts, docs/performance.md)
 * would otherwise turn into console errors.
 */

/** The rem base of the H5 build: 40 px per 750 design px of the narrower side, clamped to 20–40 px (Taro's own bootstrap, which it inlines). */
export function rootFontSizePx(width: number, height: number): number {
  const side = Math.min(...[width, height].filter(Boolean))
  const size = (40 * side) / 750
  return Math.min(40, Math.max(20, size))
}

/** From the window's size, which needs no layout (the element's box would force one at start-up). */
function applyRootFontSize(win: Window): void {
  win.document.documentElement.style.fontSize = `${rootFontSizePx(win.innerWidth, win.innerHeight)}px`
}

/**
 * Taro's H5 tab bar draws each tab as `<a href="javascript:;">` and does not cancel the click, so
 * every tab tap asks the browser to run a `javascript:` URL, which the CSP refuses (a console error
 * per tap). Cancelling the default action of such links keeps the CSP strict; the tab's own click
 * handler still runs (it is not stopped), and the links stay focusable because the href stays.
 */
export function cancelJavascriptLinkNavigation(event: Event): void {
  const target = event.target as Element | null
  const link = target && typeof target.closest === 'function' ? target.closest('a[href]') : null
  if (link && /^\s*javascript:/i.test(link.getAttribute('href') ?? '')) event.preventDefault()
}

let done = false

/** Once per page load, H5 only: the rem base (again on every resize, as Taro's bootstrap does) and the `javascript:` link guard. */
export function setUpH5Document(win: Window): void {
  if (done) return
  done = true
  applyRootFontSize(win)
  win.addEventListener('resize', () => {
    applyRootFontSize(win)
    win.setTimeout(() => applyRootFontSize(win), 500)
  })
  win.document.addEventListener('click', cancelJavascriptLinkNavigation, true)
}
