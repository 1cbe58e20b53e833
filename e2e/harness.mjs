// Shared pieces of the browser tests: start `npm start` on a free port with a fresh DATA_DIR (or use
// E2E_BASE_URL when a server is already running), a Chromium phone per user, named steps with a
// screenshot on failure, and the H5 picker / modal gestures. Used by e2e/run.mjs, e2e/services.mjs and
// e2e/production.mjs. Every page a run screenshots is also checked with axe-core, and every phone's
// console is watched: see pageChecks below and docs/accessibility.md.
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { chromium } from 'playwright-core'

export const root = path.resolve(import.meta.dirname, '..')
export const shotsDir = path.join(root, 'test-output/screenshots')
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium'
const STARTUP_TIMEOUT_MS = Number(process.env.E2E_STARTUP_TIMEOUT_MS || 240_000)
export const STEP_TIMEOUT_MS = 20_000
/** Taro's H5 router hides the previous page ~300 ms after a navigation (docs/architecture.md "Taro build notes"). */
export const NAV_SETTLE_MS = 700

const started = Date.now()
export const log = (msg) => console.log(`[e2e ${((Date.now() - started) / 1000).toFixed(1)}s] ${msg}`)

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address()
      srv.close(() => resolve(port))
    })
  })
}

export async function waitForReady(base, server) {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS
  while (Date.now() < deadline) {
    if (server && server.exitCode !== null) throw new Error(`the server exited with code ${server.exitCode} before it was ready`)
    try {
      const res = await fetch(`${base}/readyz`)
      if (res.ok) {
        const html = await fetch(`${base}/`)
        if (html.ok && (await html.text()).includes('id="app"')) return
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500))
  }
  throw new Error(`the server did not become ready within ${STARTUP_TIMEOUT_MS / 1000} s`)
}

/**
 * The server under test: E2E_BASE_URL if given, else `node scripts/start.mjs` (demo mode, embedded
 * database in a fresh DATA_DIR) in its own process group, stopped by `stop()`.
 */
export async function startServer() {
  if (process.env.E2E_BASE_URL) {
    const base = process.env.E2E_BASE_URL.replace(/\/$/, '')
    await waitForReady(base)
    return { base, output: () => '', stop: async () => undefined }
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), 'palm-e2e-services-'))
  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  log(`starting npm start on ${base} with a fresh DATA_DIR ${dataDir}`)
  const server = spawn(process.execPath, [path.join(root, 'scripts/start.mjs')], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: process.env.E2E_LOG_LEVEL || 'warn', NODE_ENV: 'development', DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true
  })
  const out = []
  server.stdout.on('data', (d) => out.push(String(d)))
  server.stderr.on('data', (d) => out.push(String(d)))
  await waitForReady(base, server)
  return {
    base,
    output: () => out.join('').split('\n').slice(-25).join('\n'),
    stop: async () => {
      try {
        process.kill(-server.pid, 'SIGTERM')
      } catch {
        // already gone
      }
      rmSync(dataDir, { recursive: true, force: true })
    }
  }
}

/** JSON API call from the test itself (setting up data a step needs, checking an outcome). */
export async function api(base, pathname, init = {}) {
  const res = await fetch(`${base}${pathname}`, { ...init, headers: { 'content-type': 'application/json', ...(init.headers ?? {}) } })
  const body = await res.json().catch(() => null)
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${pathname} → ${res.status} ${body?.code ?? ''} ${body?.detail ?? ''}`)
  return body
}

/** A demo persona's access token (api.md POST /api/auth/demo). */
export async function demoToken(base, input) {
  const res = await api(base, '/api/auth/demo', { method: 'POST', body: JSON.stringify(input) })
  return res.accessToken
}

/** axe-core's browser bundle (declared by @palm/server beside playwright-core). */
const axeSource = readFileSync(createRequire(path.join(root, 'server/package.json')).resolve('axe-core/axe.min.js'), 'utf8')
/** axe impacts that fail a run (docs/accessibility.md): moderate and minor ones are printed only. */
const FAILING_IMPACTS = new Set(['serious', 'critical'])

/**
 * The accessibility and console checks of a browser run, shared by every e2e script:
 * - `watch(page)`: collects console errors (React warnings print as errors, CSP violations and
 *   failed loads as well), uncaught page errors, and requests answered 404 or never answered.
 *   `expect(pattern)` lets a step declare a console error it provokes on purpose (e.g. a refused call).
 * - `audit(page, name)`: runs axe-core in the page (evaluated through the DevTools protocol, so the
 *   app's CSP, which refuses inline scripts, stays on and is itself checked) and keeps the violations.
 * - `results()`: two results for the run's summary, failing on any serious/critical violation and on
 *   any console error; `report()` prints the per-page table and writes test-output/a11y-<prefix>.json.
 */
export function pageChecks(prefix, where = () => '') {
  const audits = []
  const consoleErrors = []
  const expected = []
  const keep = (text) => {
    if (!expected.some((x) => x.step === where() && x.re.test(text))) consoleErrors.push(`${where()}: ${text}`)
  }

  function watch(page) {
    page.on('console', (m) => {
      if (m.type() !== 'error' && !(m.type() === 'warning' && /^Warning: /.test(m.text()))) return
      keep(`${m.type()}: ${m.text()}${m.location()?.url ? ` (${m.location().url.replace(/^https?:\/\/[^/]+/, '')})` : ''}`)
    })
    page.on('pageerror', (e) => keep(`uncaught: ${e.message}`))
    page.on('response', (res) => {
      if (res.status() === 404) keep(`404: ${res.request().method()} ${res.url().replace(/^https?:\/\/[^/]+/, '')}`)
    })
    page.on('requestfailed', (req) => {
      const why = req.failure()?.errorText ?? ''
      // A navigation away aborts pending image/API loads; that is not a broken request.
      if (/ERR_ABORTED/.test(why)) return
      keep(`request failed: ${req.method()} ${req.url().replace(/^https?:\/\/[^/]+/, '')} ${why}`)
    })
  }

  async function audit(page, name) {
    try {
      // A Taro toast fades in and out over 0.1 s; caught half-transparent, its text fails axe's contrast
      // rule although people see it either whole or not at all. Audit it whole or gone, never mid-fade.
      await page
        .waitForFunction(() => [...document.querySelectorAll('.taro__toast')].every((t) => ['0', '1'].includes(getComputedStyle(t).opacity) || getComputedStyle(t).display === 'none'), null, {
          timeout: 3000
        })
        .catch(() => undefined)
      const hasAxe = await page.evaluate(() => typeof window.axe === 'object')
      if (!hasAxe) await page.evaluate(axeSource)
      const result = await page.evaluate(async () => {
        // Taro's H5 router keeps earlier pages in the DOM, hidden; axe skips hidden nodes itself.
        const r = await window.axe.run(document, { resultTypes: ['violations'] })
        const found = r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')), count: v.nodes.length }))
        // Our own rule, which axe lacks: whatever says it can be pressed can be reached with Tab.
        const native = new Set(['A', 'BUTTON', 'INPUT', 'SELECT', 'TEXTAREA'])
        const unreachable = Array.from(document.querySelectorAll('taro-button-core, [role=button], [role=link], [role=tab], [role=radio], [role=checkbox], [role=switch], [role=menuitem]'))
          .filter((e) => !native.has(e.tagName) && e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden')
          .filter((e) => e.getAttribute('aria-disabled') !== 'true' && !e.hasAttribute('disabled') && !e.closest('[aria-hidden=true]'))
          .filter((e) => e.tabIndex < 0)
          .map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].slice(0, 3).join('.')}`)
        if (unreachable.length)
          found.push({ id: 'keyboard-unreachable', impact: 'serious', help: 'A control with a pressable role is not in the Tab order', nodes: unreachable.slice(0, 5), count: unreachable.length })
        return found
      })
      audits.push({ page: name, url: page.url().replace(/^https?:\/\/[^/]+/, ''), violations: result })
    } catch (err) {
      audits.push({ page: name, url: page.url(), violations: [], error: String(err.message).split('\n')[0] })
    }
  }

  const failing = (a) => a.violations.filter((v) => FAILING_IMPACTS.has(v.impact))

  function results() {
    const bad = audits.filter((a) => failing(a).length > 0 || a.error)
    const a11y = {
      name: `axe-core: no serious or critical violation on the ${audits.length} pages checked`,
      ok: audits.length > 0 && bad.length === 0,
      error:
        audits.length === 0
          ? 'no page was checked'
          : bad
              .map(
                (a) =>
                  `${a.page}: ${
                    a.error ??
                    failing(a)
                      .map((v) => `${v.id} (${v.impact}, ${v.count}× e.g. ${v.nodes[0]})`)
                      .join(', ')
                  }`
              )
              .join('; ')
    }
    const clean = { name: 'clean console: no errors, CSP violations, 404s or React warnings', ok: consoleErrors.length === 0, error: consoleErrors.slice(0, 20).join('; ') }
    return [a11y, clean]
  }

  function report() {
    mkdirSync(path.join(root, 'test-output'), { recursive: true })
    const file = path.join(root, `test-output/a11y-${prefix}.json`)
    writeFileSync(file, JSON.stringify({ audits, consoleErrors }, null, 2))
    console.log(`\naxe-core per page (serious+critical / all violations; details in ${path.relative(root, file)}):`)
    for (const a of audits) {
      const all = a.violations
      const note = a.error ? `audit failed: ${a.error}` : all.map((v) => `${v.id}:${v.impact}`).join(' ')
      console.log(`  ${String(failing(a).length).padStart(2)} / ${String(all.length).padEnd(2)} ${a.page.padEnd(34)} ${note}`)
    }
    if (consoleErrors.length) console.log(`console errors (${consoleErrors.length}):\n  ${consoleErrors.join('\n  ')}`)
  }

  /** Declares a console error the current step provokes on purpose; it counts only in that step. */
  const expect = (re) => expected.push({ re, step: where() })
  return { watch, audit, results, report, expect }
}

class StepFailure extends Error {}

/**
 * A browser run: phones (one context each), named steps, screenshots under a prefix. `finish()`
 * prints the summary and returns the exit code.
 */
export async function browserRun({ prefix }) {
  mkdirSync(shotsDir, { recursive: true })
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--lang=zh-CN']
  })
  const results = []
  const pageErrors = []
  const consoleErrors = []
  const pages = []
  let current = ''
  let shotNo = 0
  const checks = pageChecks(prefix, () => current)

  async function newPhone(extra = {}) {
    const context = await browser.newContext({ viewport: { width: 375, height: 740 }, deviceScaleFactor: 2, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', ...extra })
    const page = await context.newPage()
    page.setDefaultTimeout(STEP_TIMEOUT_MS)
    page.on('pageerror', (e) => pageErrors.push(`${current}: ${e.message}`))
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(`${current}: ${m.text()}`))
    checks.watch(page)
    pages.push(page)
    return page
  }

  /** Saves a screenshot of the page and checks it with axe-core (every screenshot is a page visited). */
  async function shoot(page, name, { fullPage = false } = {}) {
    await page.waitForTimeout(NAV_SETTLE_MS)
    const file = path.join(shotsDir, `${prefix}-${String(++shotNo).padStart(2, '0')}-${name}.png`)
    await page.screenshot({ path: file, fullPage })
    await checks.audit(page, name)
    return file
  }

  async function step(name, fn, { independent = false } = {}) {
    current = name
    const t0 = Date.now()
    try {
      await fn()
      results.push({ name, ok: true, ms: Date.now() - t0 })
      log(`✓ ${name}`)
    } catch (err) {
      results.push({ name, ok: false, ms: Date.now() - t0, error: String(err.message).split('\n')[0] })
      log(`✗ ${name}: ${err.message}`)
      for (const [i, p] of pages.entries()) await p.screenshot({ path: path.join(shotsDir, `${prefix}-fail-step${results.length}-page${i + 1}.png`) }).catch(() => undefined)
      if (consoleErrors.length) console.error(`--- browser console errors ---\n  ${consoleErrors.slice(-10).join('\n  ')}`)
      if (!independent) throw new StepFailure(name)
    }
  }

  async function finish(error) {
    if (error && !(error instanceof StepFailure)) {
      results.push({ name: current, ok: false, error: error.message })
      log(`✗ ${current}: ${error.message}`)
    }
    if (pageErrors.length) {
      results.push({ name: 'no uncaught errors in the page', ok: false, error: pageErrors.join('; ') })
      console.error(`uncaught errors in the page:\n  ${pageErrors.join('\n  ')}`)
    }
    checks.report()
    results.push(...checks.results())
    await browser.close().catch(() => undefined)
    const passed = results.filter((r) => r.ok).length
    const failed = results.filter((r) => !r.ok).length
    console.log(`\n${prefix}: ${results.map((r) => `${r.ok ? '✓' : '✗'} ${r.name}`).join(`\n${' '.repeat(prefix.length + 2)}`)}`)
    console.log(`screenshots in ${path.relative(root, shotsDir)}/${prefix}-*.png`)
    console.log(`${passed} passed, ${failed} failed`)
    return failed > 0 || passed === 0 ? 1 : 0
  }

  return { newPhone, shoot, step, finish, checks }
}

/** The page in front (Taro's H5 router keeps earlier pages in the DOM, hidden). */
export const visible = (page) => page.locator('.taro_page:not(.taro_page_shade)').last()

/**
 * Chooses in one of the app's pickers (components/option-picker.tsx: a native <select> over the
 * visible face `trigger`, in H5): the option `steps` below the current one (the first when none is
 * chosen yet), or the option whose text contains `steps` when it is a string.
 */
export async function pickOption(page, trigger, steps = 0) {
  const face = typeof trigger === 'string' ? visible(page).locator(trigger) : trigger
  const select = face.locator('xpath=..').locator('select.option-picker-native')
  // A picker whose options are still loading is disabled (the report form's categories).
  await face.locator('xpath=..').locator('select.option-picker-native:enabled').waitFor({ state: 'attached' })
  if (typeof steps === 'string') {
    const labels = await select.locator('option').allTextContents()
    const index = labels.findIndex((t) => t.includes(steps))
    if (index < 0) throw new Error(`no option "${steps}" in the picker (${labels.join(' / ') || 'empty'})`)
    await select.selectOption({ label: labels[index] })
    await face.filter({ hasText: steps }).waitFor({ timeout: 5000 })
  } else {
    const current = await select.inputValue()
    await select.selectOption(String((current === '' ? 0 : Number(current)) + steps))
  }
  await page.waitForTimeout(300)
}

/**
 * Keyboard only: presses Tab until the focused element matches `selector` (at most `max` presses),
 * and checks the focus can be seen (a ring on the element, or on the field box that draws it).
 */
export async function tabTo(page, selector, { max = 40, back = false } = {}) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab')
    const state = await page.evaluate((sel) => {
      const el = document.activeElement
      if (!el || !el.matches(sel)) return { here: false, what: el ? `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}` : 'nothing' }
      const ring = (e) => e && getComputedStyle(e).outlineStyle !== 'none' && parseFloat(getComputedStyle(e).outlineWidth) > 0
      const box = el.closest('.option-picker')?.querySelector('.field-picker') ?? el.closest('.field-input, .field-textarea')
      return { here: true, ring: ring(el) || ring(box) }
    }, selector)
    if (state.here) {
      if (!state.ring) throw new Error(`${selector} has keyboard focus but no visible focus ring`)
      return
    }
  }
  throw new Error(`${selector} was not reached with ${max} presses of ${back ? 'Shift+Tab' : 'Tab'}`)
}

/** Confirms Taro's H5 showModal. */
export async function confirmModal(page) {
  await page.locator('.taro-model__confirm').last().click()
  await page.waitForTimeout(300)
}
