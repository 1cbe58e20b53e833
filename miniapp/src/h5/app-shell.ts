/** Whether the prerendered view of this address is on screen (the CSS shows the one its hash names). */
export function showsPrerenderedView(doc: Document): boolean {
  return doc.querySelector('#app-shell > .app-shell-page:target') !== null
}

/**
 * The prerendered first view (scripts/prerender-shells.mjs) lies over the app until the app's own
 * page is drawn; then it goes. Removed a frame after the first page's root mounted, so the browser
 * has painted the page under it first: the switch shows no blank frame and nothing moves (the view
 * is a fixed layer, the app's elements never shift). Docs: docs/performance.md "Prerendered first views".
 */
export function dismissAppShell(doc: Document): void {
  const shell = doc.getElementById('app-shell')
  if (!shell) return
  const win = doc.defaultView
  if (!win) return void shell.remove()
  win.requestAnimationFrame(() => win.requestAnimationFrame(() => shell.remove()))
}
