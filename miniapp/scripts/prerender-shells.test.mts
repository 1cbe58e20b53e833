import { describe, expect, it } from 'vitest'
// @ts-expect-error plain ESM script without type declarations
import { scopeCss as scopeCssUntyped, withShell as withShellUntyped } from './prerender-shells.mjs'

const scopeCss = scopeCssUntyped as (css: string) => string
const withShell = withShellUntyped as (index: string, views: string[], cssFile: string, bootFile: string) => string

const INDEX =
  '<!doctype html><html><head><title>掌上平城</title><script defer="defer" src="/js/1020.aa.js"></script><script defer="defer" src="/js/app.bb.js"></script><link href="/css/app.cc.css" rel="stylesheet"></head><body><noscript>…</noscript><div id="app"></div></body></html>'

describe('the CSS of the prerendered first views', () => {
  it('follows the copy: Taro’s elements by data-tag, ids by data-id, classes with the shell- prefix, all inside #app-shell', () => {
    const css = scopeCss('taro-view-core.page > .card, #taro-navigation-bar .title:not(.muted) { color: red }')
    expect(css).toBe('#app-shell [data-tag="taro-view-core"].shell-page > .shell-card, #app-shell [data-id="taro-navigation-bar"] .shell-title:not(.shell-muted) { color: red }')
  })

  it('gives the document’s own rules (font, colour) to each view’s root, never to #app-shell itself (which must take no room)', () => {
    expect(scopeCss('html, body { height: 100%; font-family: sans-serif }')).toBe('#app-shell > .app-shell-page, #app-shell > .app-shell-page { height: 100%; font-family: sans-serif }')
    expect(scopeCss(':root { --c-primary: #c8102e }')).toBe('#app-shell > .app-shell-page { --c-primary: #c8102e }')
  })

  it('leaves keyframes and declarations alone', () => {
    const css = '@keyframes spin { from { transform: rotate(0) } to { transform: rotate(360deg) } } .spinner { animation: spin 0.8s linear infinite; width: 1.5rem }'
    expect(scopeCss(css)).toBe('@keyframes spin { from { transform: rotate(0) } to { transform: rotate(360deg) } } #app-shell .shell-spinner { animation: spin 0.8s linear infinite; width: 1.5rem }')
  })
})

describe('index.html with the first views', () => {
  it('puts the views before #app, their CSS in the head, and starts the entry scripts in order from the boot script', () => {
    const html = withShell(INDEX, ['<div class="app-shell-page" id="/pages/home/index">首页</div>'], 'css/app-shell.dd.css', 'js/app-boot.ee.js')
    expect(html).toContain('<link href="/css/app-shell.dd.css" rel="stylesheet"></head>')
    expect(html).toContain('<div id="app-shell" aria-hidden="true" inert><div class="app-shell-page" id="/pages/home/index">首页</div></div><div id="app"></div>')
    expect(html).toContain('<script defer="defer" src="/js/app-boot.ee.js" data-scripts="/js/1020.aa.js /js/app.bb.js"></script>')
    expect(html).not.toContain('<script defer="defer" src="/js/app.bb.js">')
    expect(html.match(/<script/g)).toHaveLength(1)
  })

  it('refuses a page it does not know how to change, instead of writing a broken one', () => {
    expect(() => withShell(INDEX.replace(/<script[^>]*><\/script>/g, ''), [], 'a.css', 'b.js')).toThrow(/no entry scripts/)
    expect(() => withShell(INDEX.replace('<div id="app"></div>', '<main id="app"></main>'), [], 'a.css', 'b.js')).toThrow(/no <div id="app"><\/div>/)
  })
})
