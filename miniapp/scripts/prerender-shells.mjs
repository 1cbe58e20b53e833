// The prerendered first views of the H5 build (docs/performance.md "Prerendered first views").
//
// After `taro build --type h5` (config/prerender-shell-plugin.js runs this), each page of SHELL_PAGES
// is opened in Debian's Chromium over the build itself, with every API request left unanswered: the
// page shows exactly what it shows before its data arrives (the form, the intro, the tiles). That
// DOM and the CSS it uses are written into index.html as a static copy, which the browser paints as
// soon as the HTML and CSS are in, before any script runs. The copy is inert and hidden from
// assistive technology; the app lays its own page under it and removes it once that page is drawn
// (src/h5/app-shell.ts). The entry scripts start once that view is painted (BOOT_JS).
//
// Usage: node scripts/prerender-shells.mjs <h5 output folder>
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { brotliCompressSync, gzipSync, constants as zlib } from 'node:zlib'
import postcss from 'postcss'
import { chromium } from 'playwright-core'

/**
 * The pages with a prerendered first view: the start page and the two pages people most often open
 * from a link or a QR code. The browser holds, when the view is taken (`storageFor`, the app's
 * storage.ts format), a resident's agreement to the privacy notice, and a session for the report form.
 * A page listed here renders its content late under its view (components/page-shell.tsx): only the
 * page component itself may use Taro's page hooks (useDidShow…), not the components inside it.
 */
const SHELL_PAGES = [
  { route: '/pages/home/index', signedIn: false },
  { route: '/packages/report/new/index', signedIn: true },
  { route: '/packages/public/board/index', signedIn: false }
]

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium'
const CONTENT_TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json' }

/** The build, served as the app's server serves it; `/api/` requests are held open (the view before data). */
function serveBuild(dir) {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    if (url.pathname.startsWith('/api/')) return // never answered: the page stays in its first state
    const file = path.join(dir, url.pathname === '/' ? 'index.html' : path.normalize(url.pathname))
    if (!file.startsWith(dir) || !existsSync(file)) {
      res.writeHead(404).end()
      return
    }
    res.writeHead(200, { 'Content-Type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file))
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)))
}

function storageFor(page) {
  const wrap = (value) => JSON.stringify({ data: JSON.stringify(value) })
  const policyVersion = /export const POLICY_VERSION = '([^']+)'/.exec(readFileSync(new URL('../../shared/src/accounts/policy-version.ts', import.meta.url), 'utf8'))?.[1]
  const items = { 'palm.privacy-consent': wrap({ policyVersion, granted: true, at: new Date(0).toISOString(), client: 'h5' }) }
  if (page.signedIn) {
    const user = { id: '00000000-0000-4000-8000-000000000000', role: 'resident', displayName: '居民', scope: { kind: 'none' } }
    items['palm.session'] = wrap({ accessToken: 'prerender', refreshToken: 'prerender', user })
  }
  return items
}

/* global document, getComputedStyle, CSSFontFaceRule, CSSStyleRule, CSSGroupingRule -- copyView and usedCssRules run in the page */

/**
 * Runs in the page: a copy of what the body shows (Taro's title bar, the page, the tab bar) that
 * nothing in the app can mistake for its own elements: Taro's web components (which the app's script
 * would upgrade and draw again) become plain div/span elements named by `data-tag`, ids become
 * `data-id` and every class gets a `shell-` prefix (Taro's router looks its containers up by class,
 * and so do the app's scripts and tests), without tab stops, roles or links.
 */
function copyView() {
  const body = document.body
  const copy = body.cloneNode(true)
  const live = [body, ...body.querySelectorAll('*')]
  const copies = [copy, ...copy.querySelectorAll('*')]
  copies.forEach((el, i) => {
    if (el.id) el.setAttribute('data-id', el.id)
    const classes = el.getAttribute('class')
    if (classes)
      el.setAttribute(
        'class',
        classes
          .split(/\s+/)
          .filter(Boolean)
          .map((c) => `shell-${c}`)
          .join(' ')
      )
    for (const name of ['id', 'tabindex', 'href', 'autofocus', 'role']) el.removeAttribute(name)
    if (!el.tagName.includes('-')) return
    const display = getComputedStyle(live[i]).display
    const plain = document.createElement(display.startsWith('inline') ? 'span' : 'div')
    for (const attr of el.attributes) plain.setAttribute(attr.name, attr.value)
    plain.setAttribute('data-tag', el.tagName.toLowerCase())
    plain.append(...el.childNodes)
    el.replaceWith(plain)
  })
  copy.querySelectorAll('script, style, link, noscript').forEach((el) => el.remove())
  return copy.innerHTML
}

/**
 * Runs in the page: the text of the CSS rules that style something on it (pseudo-classes and
 * -elements set aside, which keeps a few too many): the app's whole stylesheet would cost the phone
 * a long style pass before the first paint.
 */
function usedCssRules() {
  const bare = (selector) => selector.replace(/::?[\w-]+(\((?:[^()]|\([^()]*\))*\))?/g, '').trim() || '*'
  const matches = (selector) => {
    try {
      return document.querySelector(bare(selector)) !== null
    } catch {
      return true
    }
  }
  const used = (rule) => {
    if (rule instanceof CSSFontFaceRule) return false
    if (rule instanceof CSSStyleRule) return rule.selectorText.split(',').some(matches)
    if (rule instanceof CSSGroupingRule) return Array.from(rule.cssRules).some(used)
    return true // keyframes and the like
  }
  const rules = []
  for (const sheet of document.styleSheets) {
    try {
      for (const rule of sheet.cssRules) if (used(rule)) rules.push(rule.cssText)
    } catch {
      // a sheet of another origin: none in this build
    }
  }
  return rules
}

/** Selectors follow the copy (`[data-tag=…]`, `[data-id=…]`, `.shell-…`), and every rule applies inside the shell only. */
export function scopeCss(css) {
  const root = postcss.parse(css)
  root.walkRules((rule) => {
    if (rule.parent?.type === 'atrule' && /keyframes$/i.test(rule.parent.name)) return
    rule.selectors = rule.selectors.map((selector) => {
      const renamed = selector
        .replace(/(^|[\s>+~(,])(taro-[a-z0-9-]+)(?![\w-])/g, '$1[data-tag="$2"]')
        .replace(/#([A-Za-z][\w-]*)/g, '[data-id="$1"]')
        .replace(/\.(-?[A-Za-z_][\w-]*)/g, '.shell-$1')
      // The document's own rules (font, colour, background) go to each view's root, which stands for the body.
      if (/^(html|body|:root)(?![\w-])/.test(renamed)) return renamed.replace(/^(html|body|:root)/, '#app-shell > .app-shell-page')
      return `#app-shell ${renamed}`
    })
  })
  return root.toString()
}

/** How the shell shows: only the view of the page the address names (`:target`), over the app, at Taro's rem base. */
const SHELL_CSS = `
html{font-size:clamp(20px,calc(min(100vw, 100vh) * 40 / 750),40px)}
#app-shell{position:absolute;width:0;height:0;overflow:visible}
#app-shell>.app-shell-page{display:none}
#app-shell>.app-shell-page:target{display:block;position:fixed;top:0;right:0;bottom:0;left:0;z-index:2147483000;overflow:hidden;background:#f5f6f8}
`

/**
 * The app's entry scripts, started once the first view is painted: `defer` alone lets a fast link run
 * them (and the app's first render) before the browser paints anything, so the view would wait for
 * the scripts it exists to stand in for. Written as a file: the CSP allows no inline script.
 * `async = false` keeps their order.
 */
const BOOT_JS = `(function () {
  var boot = document.currentScript
  var scripts = boot.getAttribute('data-scripts').split(' ')
  function start() {
    scripts.forEach(function (src) {
      var s = document.createElement('script')
      s.src = src
      s.async = false
      document.head.appendChild(s)
    })
  }
  requestAnimationFrame(function () { setTimeout(start, 0) })
})()
`

/** Opens each page of SHELL_PAGES over the build: its first view and the CSS rules that style it. */
async function takeViews(dir) {
  const server = await serveBuild(dir)
  const base = `http://127.0.0.1:${server.address().port}`
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'] })
  const views = []
  const rules = new Set()
  try {
    for (const page of SHELL_PAGES) {
      const context = await browser.newContext({ viewport: { width: 375, height: 667 }, deviceScaleFactor: 2 })
      await context.addInitScript((items) => {
        for (const [key, value] of Object.entries(items)) localStorage.setItem(key, value)
      }, storageFor(page))
      const tab = await context.newPage()
      const errors = []
      tab.on('pageerror', (err) => errors.push(err.message))
      await tab.goto(`${base}/#${page.route}`)
      // Drawn: the page's root (components/page-shell.tsx) is on screen.
      await tab.locator('.taro_page .page').first().waitFor({ timeout: 30_000 })
      await tab.waitForTimeout(500)
      if (errors.length) throw new Error(`${page.route}: ${errors.join('; ')}`)
      views.push(`<div class="app-shell-page" id="${page.route}">${await tab.evaluate(copyView)}</div>`)
      for (const rule of await tab.evaluate(usedCssRules)) rules.add(rule)
      await context.close()
    }
  } finally {
    await browser.close()
    server.closeAllConnections()
    server.close()
  }
  return { views, css: scopeCss([...rules].join('\n')) + SHELL_CSS } // last: the view rules win over any copied one
}

/** A build file named by its content's hash, with its brotli and gzip twins (the server sends those). */
function writeHashed(dir, name, ext, content) {
  const file = `${name}.${createHash('sha256').update(content).digest('hex').slice(0, 8)}.${ext}`
  writeFileSync(path.join(dir, file), content)
  writeTwins(path.join(dir, file), content)
  return file
}

function writeTwins(file, content) {
  writeFileSync(`${file}.br`, brotliCompressSync(content, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } }))
  writeFileSync(`${file}.gz`, gzipSync(content, { level: 9 }))
}

/** index.html with the views before #app, their CSS in <head>, and the entry scripts started by the boot script. */
export function withShell(index, views, cssFile, bootFile) {
  const shell = `<div id="app-shell" aria-hidden="true" inert>${views.join('')}</div>`
  const entry = [...index.matchAll(/<script defer="defer" src="([^"]+)"><\/script>/g)]
  if (entry.length === 0) throw new Error('prerender-shells: no entry scripts in index.html')
  let html = index.replace('</head>', `<link href="/${cssFile}" rel="stylesheet"></head>`).replace('<div id="app"></div>', `${shell}<div id="app"></div>`)
  for (const [tag] of entry.slice(1)) html = html.replace(tag, '')
  html = html.replace(entry[0][0], `<script defer="defer" src="/${bootFile}" data-scripts="${entry.map((m) => m[1]).join(' ')}"></script>`)
  if (!html.includes(shell)) throw new Error('prerender-shells: index.html has no <div id="app"></div> to put the views before')
  return html
}

export async function prerenderShells(outDir) {
  const dir = path.resolve(outDir)
  const indexFile = path.join(dir, 'index.html')
  const index = readFileSync(indexFile, 'utf8')
  if (index.includes('id="app-shell"')) return // already done for this build
  if (!existsSync(CHROMIUM)) {
    console.warn(`prerender-shells: no Chromium at ${CHROMIUM}; the build has no prerendered first views (it works without them)`)
    return
  }
  const { views, css } = await takeViews(dir)
  const cssFile = writeHashed(dir, 'css/app-shell', 'css', css)
  const bootFile = writeHashed(dir, 'js/app-boot', 'js', BOOT_JS)
  const html = withShell(index, views, cssFile, bootFile)
  writeFileSync(indexFile, html)
  writeTwins(indexFile, html)
  console.log(`prerender-shells: ${views.length} first views in index.html (${(html.length / 1024).toFixed(0)} KB), ${cssFile} (${(css.length / 1024).toFixed(0)} KB)`)
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const outDir = process.argv[2]
  if (!outDir) throw new Error('usage: node scripts/prerender-shells.mjs <h5 output folder>')
  await prerenderShells(outDir)
}
