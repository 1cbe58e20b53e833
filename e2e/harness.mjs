// Shared pieces of the browser tests: start `npm start` on a free port with a fresh DATA_DIR (or use
// E2E_BASE_URL when a server is already running), a Chromium phone per user, named steps with a
// screenshot on failure, and the H5 picker / modal gestures. Used by e2e/run.mjs and e2e/services.mjs.
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { chromium } from 'playwright-core'

export const root = path.resolve(import.meta.dirname, '..')
export const shotsDir = path.join(root, 'test-output/screenshots')
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium'
const STARTUP_TIMEOUT_MS = Number(process.env.E2E_STARTUP_TIMEOUT_MS || 240_000)
export const STEP_TIMEOUT_MS = 20_000
/** Taro's H5 router hides the previous page ~300 ms after a navigation (recipes/taro.md §3.4). */
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

  async function newPhone(extra = {}) {
    const context = await browser.newContext({ viewport: { width: 375, height: 740 }, deviceScaleFactor: 2, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', ...extra })
    const page = await context.newPage()
    page.setDefaultTimeout(STEP_TIMEOUT_MS)
    page.on('pageerror', (e) => pageErrors.push(`${current}: ${e.message}`))
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(`${current}: ${m.text()}`))
    pages.push(page)
    return page
  }

  async function shoot(page, name, { fullPage = false } = {}) {
    await page.waitForTimeout(NAV_SETTLE_MS)
    const file = path.join(shotsDir, `${prefix}-${String(++shotNo).padStart(2, '0')}-${name}.png`)
    await page.screenshot({ path: file, fullPage })
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
    await browser.close().catch(() => undefined)
    const passed = results.filter((r) => r.ok).length
    const failed = results.filter((r) => !r.ok).length
    console.log(`\n${prefix}: ${results.map((r) => `${r.ok ? '✓' : '✗'} ${r.name}`).join(`\n${' '.repeat(prefix.length + 2)}`)}`)
    console.log(`screenshots in ${path.relative(root, shotsDir)}/${prefix}-*.png`)
    console.log(`${passed} passed, ${failed} failed`)
    return failed > 0 || passed === 0 ? 1 : 0
  }

  return { newPhone, shoot, step, finish }
}

/** The page in front (Taro's H5 router keeps earlier pages in the DOM, hidden). */
export const visible = (page) => page.locator('.taro_page:not(.taro_page_shade)').last()

/** Opens a Taro Picker (weui sheet) by its trigger and confirms the option `steps` below the current one. */
export async function pickOption(page, trigger, steps = 0) {
  await visible(page).locator(trigger).click()
  await page.waitForTimeout(400)
  if (steps > 0) {
    const box = await page.locator('.weui-picker__indicator:visible').last().boundingBox()
    if (box) {
      const x = box.x + box.width / 2
      const y = box.y + box.height / 2
      await page.mouse.move(x, y)
      await page.mouse.down()
      await page.mouse.move(x, y - box.height * steps, { steps: 5 })
      await page.mouse.up()
      await page.waitForTimeout(500)
    }
  }
  await page.locator('.weui-picker__action:visible', { hasText: '确定' }).last().click()
  await page.waitForTimeout(400)
}

/** Confirms Taro's H5 showModal. */
export async function confirmModal(page) {
  await page.locator('.taro-model__confirm').last().click()
  await page.waitForTimeout(300)
}
