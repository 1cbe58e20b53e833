import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { POLICY_VERSION } from '@palm/shared'
import * as chromeLauncher from 'chrome-launcher'
import lighthouse from 'lighthouse'
import { chromium } from 'playwright-core'
import type { BenchResult } from './types'

const root = path.resolve(import.meta.dirname, '../..')
/** The H5 build to measure: BENCH_H5_DIR (a private build, docs/performance.md), else the shared one. */
const h5Dir = path.resolve(root, process.env.BENCH_H5_DIR ?? 'miniapp/dist/h5')
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
/** Each page is measured this many times and the median run is printed (Lighthouse's own advice for noisy machines). */
const RUNS = Number(process.env.BENCH_LIGHTHOUSE_RUNS ?? 3)

/**
 * The pages measured. Home and the public board as a first visit (empty storage and cache); the
 * report form as a signed-in resident who agreed to the privacy notice (signed out, the app sends
 * the browser to the sign-in page instead), with an empty HTTP cache too.
 */
const PAGES = [
  { name: 'home', hash: '#/pages/home/index', signedIn: false },
  { name: 'report form', hash: '#/packages/report/new/index', signedIn: true },
  { name: 'public board', hash: '#/packages/public/board/index', signedIn: false }
] as const

/** Where each page's last Lighthouse report is written (gitignored), for the details behind a score. */
const reportDir = path.join(root, 'test-output/lighthouse')

const TARGETS = { performance: 95, accessibility: 100, bestPractices: 100, lcpMs: 2000 }

interface PageScores {
  performance: number
  accessibility: number
  bestPractices: number
  lcpMs: number
  tbtMs: number
  fcpMs: number
  transferKiB: number
  /** Titles of the failed audits of the accessibility and best-practices categories (what to fix). */
  failed: string[]
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address()
      srv.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}

async function waitForReady(base: string, server: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the server exited with code ${server.exitCode}`)
    try {
      if ((await fetch(`${base}/readyz`)).ok) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300))
  }
  throw new Error('the server was not ready within 60 s')
}

/** The app's own server in demo mode (embedded database in a fresh DATA_DIR) serving the H5 build, as `npm start` does. */
async function startDemoServer(): Promise<{ base: string; stop: () => void }> {
  const port = await freePort()
  const dataDir = mkdtempSync(path.join(tmpdir(), 'palm-bench-lh-'))
  const server = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'server/src/main.ts')], {
    cwd: path.join(root, 'server'),
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, H5_DIR: h5Dir, NODE_ENV: 'development', DATABASE_URL: '', LOG_LEVEL: 'warn', JOBS: 'off' },
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true
  })
  let stderr = ''
  server.stderr?.on('data', (d: Buffer) => (stderr = (stderr + String(d)).slice(-4000)))
  const base = `http://127.0.0.1:${port}`
  const stop = () => {
    try {
      if (server.pid) process.kill(-server.pid, 'SIGTERM')
    } catch {
      // already gone
    }
    rmSync(dataDir, { recursive: true, force: true })
  }
  try {
    await waitForReady(base, server)
  } catch (err) {
    stop()
    throw new Error(`${(err as Error).message}\n${stderr}`)
  }
  return { base, stop }
}

type LhResult = NonNullable<Awaited<ReturnType<typeof lighthouse>>>['lhr']

function failedAudits(lhr: LhResult, category: string): string[] {
  const refs = lhr.categories[category]?.auditRefs ?? []
  return refs
    .filter((ref) => ref.weight > 0)
    .map((ref) => lhr.audits[ref.id])
    .filter((audit): audit is NonNullable<typeof audit> => !!audit && audit.score !== null && audit.score < 1)
    .map((audit) => `${category}: ${audit.id} (${audit.title})`)
}

function scoresOf(lhr: LhResult): PageScores {
  const score = (id: string) => Math.round((lhr.categories[id]?.score ?? 0) * 100)
  const metric = (id: string) => lhr.audits[id]?.numericValue ?? Number.NaN
  return {
    performance: score('performance'),
    accessibility: score('accessibility'),
    bestPractices: score('best-practices'),
    lcpMs: metric('largest-contentful-paint'),
    tbtMs: metric('total-blocking-time'),
    fcpMs: metric('first-contentful-paint'),
    transferKiB: metric('total-byte-weight') / 1024,
    failed: [...failedAudits(lhr, 'accessibility'), ...failedAudits(lhr, 'best-practices')]
  }
}

/**
 * Leaves a demo resident's session and privacy consent in the browser's storage for the app's
 * origin (the keys and format the app's storage.ts writes through Taro, which wraps values in
 * `{ data }`), and empties the HTTP cache, through the DevTools port Lighthouse uses.
 */
async function signInResident(base: string, debugPort: number): Promise<void> {
  const res = await fetch(`${base}/api/auth/demo`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ persona: 'resident' }) })
  if (!res.ok) throw new Error(`demo sign-in answered ${res.status}`)
  const tokens = (await res.json()) as { accessToken: string; refreshToken: string; user: unknown }
  const session = JSON.stringify({ accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, user: tokens.user })
  const consent = JSON.stringify({ policyVersion: POLICY_VERSION, granted: true, at: new Date().toISOString(), client: 'h5' })
  const browser = await chromium.connectOverCDP(`http://127.0.0.1:${debugPort}`)
  try {
    const context = browser.contexts()[0]
    if (!context) throw new Error('no default browser context')
    const page = await context.newPage()
    await page.goto(`${base}/favicon.svg`) // the app's origin, without running the app
    const put = (key: string, value: string) => `localStorage.setItem(${JSON.stringify(key)}, ${JSON.stringify(JSON.stringify({ data: value }))})`
    await page.evaluate(`${put('palm.session', session)}; ${put('palm.privacy-consent', consent)}`)
    const cdp = await context.newCDPSession(page)
    await cdp.send('Network.clearBrowserCache')
    await page.close()
  } finally {
    await browser.close()
  }
}

/** The middle run by performance score (the worse LCP first among equals); runs is never empty. */
function median(runs: PageScores[]): PageScores {
  const sorted = [...runs].sort((a, b) => a.performance - b.performance || b.lcpMs - a.lcpMs)
  const middle = sorted[Math.floor(sorted.length / 2)]
  if (!middle) throw new Error('no Lighthouse run to take the median of')
  return middle
}

/** Lighthouse's own advice for a trace it could not record ("Please run Lighthouse again"). */
const RUN_AGAIN = new Set(['NO_NAVSTART'])

/** One Lighthouse run of a page; a run whose trace Lighthouse could not record is made again, twice at most. */
async function measure(page: (typeof PAGES)[number], base: string, port: number) {
  for (let attempt = 1; ; attempt++) {
    if (page.signedIn) await signInResident(base, port)
    const result = await lighthouse(`${base}/${page.hash}`, {
      port,
      output: 'json',
      logLevel: 'error',
      onlyCategories: ['performance', 'accessibility', 'best-practices'],
      // Lighthouse empties the origin's storage first unless told not to; the signed-in page keeps it.
      disableStorageReset: page.signedIn
    })
    if (!result) throw new Error(`Lighthouse gave no result for ${page.name}`)
    const error = result.lhr.runtimeError
    if (error && RUN_AGAIN.has(error.code) && attempt < 3) continue
    if (error) throw new Error(`Lighthouse on ${page.name}: ${error.message}`)
    return result
  }
}

/**
 * Lighthouse (mobile, simulated throttling: Lighthouse's default mobile profile, a mid-range phone
 * on a 4G-like link) on the home page, the report form and the public board of the H5 app, served
 * by the app's own server in demo mode on a free port. Prints each page's performance,
 * accessibility and best-practices scores and LCP/TBT; targets of issue 12.
 */
export async function benchLighthouse(): Promise<BenchResult> {
  if (!existsSync(path.join(h5Dir, 'index.html'))) throw new Error(`no H5 build in ${h5Dir} (build one, or set BENCH_H5_DIR)`)
  mkdirSync(reportDir, { recursive: true })
  const server = await startDemoServer()
  const chrome = await chromeLauncher.launch({
    chromePath: CHROMIUM,
    chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage']
  })
  const lines = [
    `H5 build ${path.relative(root, h5Dir)}, served by the app (demo mode) at ${server.base}; Lighthouse mobile, simulated throttling, median of ${RUNS} runs`,
    'home and public board as a first visit; report form as a signed-in resident (demo persona), empty HTTP cache'
  ]
  let ok = true
  try {
    const failed = new Set<string>()
    for (const page of PAGES) {
      const runs: PageScores[] = []
      for (let i = 0; i < RUNS; i++) {
        const result = await measure(page, server.base, chrome.port)
        const landed = new URL(result.lhr.finalDisplayedUrl).hash
        if (!landed.startsWith(page.hash)) throw new Error(`${page.name}: the app went to ${landed} instead of ${page.hash}`)
        runs.push(scoresOf(result.lhr))
        writeFileSync(path.join(reportDir, `${page.name.replace(/ /g, '-')}.json`), JSON.stringify(result.lhr))
      }
      const s = median(runs)
      const pageOk = s.performance >= TARGETS.performance && s.accessibility >= TARGETS.accessibility && s.bestPractices >= TARGETS.bestPractices && s.lcpMs <= TARGETS.lcpMs
      ok &&= pageOk
      for (const f of s.failed) failed.add(`${page.name} → ${f}`)
      lines.push(
        `${page.name.padEnd(13)} performance ${String(s.performance).padStart(3)}  accessibility ${String(s.accessibility).padStart(3)}  best practices ${String(s.bestPractices).padStart(3)}  ` +
          `LCP ${(s.lcpMs / 1000).toFixed(2)} s  TBT ${s.tbtMs.toFixed(0)} ms  FCP ${(s.fcpMs / 1000).toFixed(2)} s  sent ${s.transferKiB.toFixed(0)} KiB  ` +
          `(performance of the runs: ${runs.map((r) => r.performance).join(', ')})${pageOk ? '' : '  ← below target'}`
      )
    }
    lines.push(`targets: performance ≥ ${TARGETS.performance}, accessibility ${TARGETS.accessibility}, best practices ${TARGETS.bestPractices}, LCP ≤ ${TARGETS.lcpMs / 1000} s`)
    for (const f of failed) lines.push(`  failed audit: ${f}`)
    lines.push(`reports: ${path.relative(root, reportDir)}/<page>.json (Lighthouse's JSON; open in the Lighthouse viewer for the details)`)
  } finally {
    await chrome.kill()
    server.stop()
  }
  return { name: 'lighthouse', lines, ok }
}
