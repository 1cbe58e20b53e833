import { fork, type ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import autocannon, { type AutocannonRequest, type AutocannonResult } from 'autocannon'
import { TEMPLATE_KEYS } from '@palm/shared'
import { loadConfig } from '../src/config'
import { signAccessToken } from '../src/modules/auth/tokens'
import { User } from '../src/modules/auth/user.entity'
import { Community, Grid } from '../src/modules/territory/territory.entity'
import { Ticket } from '../src/modules/tickets/index'
import { NotificationOutbox } from '../src/modules/notifications/index'
import { createBenchDatabase, fmt, type BenchDatabase } from './bench-db'
import type { BenchResult } from './types'

/** Targets from issue 3: the app at least half the raw insert's throughput, and p99 ≤ 50 ms. */
const TARGET_RATIO = 0.5
const TARGET_P99_MS = 50
const CONNECTIONS = 50
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10)
const WARMUP_S = 2
/** Both sides get the same database pool (the app's DB_POOL default). */
const DB_POOL = Number(process.env.BENCH_DB_POOL ?? 10)
const RESIDENTS = 200

const STREET = '140213066'
const COMMUNITY = '140213066901'
const GRID = { code: '066-901', lat: 40.05, lng: 113.25, size: 0.01 }

/** One community with one grid and two workers on duty, and residents to file as (the routing path of a real report). */
async function seed(db: BenchDatabase): Promise<User[]> {
  const { ds } = db
  const streetExists = (await ds.query('SELECT code FROM streets WHERE code = ?', [STREET])) as unknown[]
  if (streetExists.length === 0) await ds.query('INSERT INTO streets (code, name, synthetic) VALUES (?, ?, 1)', [STREET, '水泊寺街道'])
  await ds.getRepository(Community).insert({ code: COMMUNITY, streetCode: STREET, name: '基准社区（合成）', kind: 'community', synthetic: true })
  const ring: Array<[number, number]> = [
    [GRID.lng, GRID.lat],
    [GRID.lng + GRID.size, GRID.lat],
    [GRID.lng + GRID.size, GRID.lat + GRID.size],
    [GRID.lng, GRID.lat + GRID.size],
    [GRID.lng, GRID.lat]
  ]
  await ds.getRepository(Grid).insert({
    code: GRID.code,
    name: '基准网格（合成）',
    communityCode: COMMUNITY,
    streetCode: STREET,
    polygon: JSON.stringify({ type: 'Polygon', coordinates: [ring] }),
    minLat: GRID.lat,
    minLng: GRID.lng,
    maxLat: GRID.lat + GRID.size,
    maxLng: GRID.lng + GRID.size,
    synthetic: true
  })
  const now = new Date()
  const user = (role: string, i: number, extra: Partial<User> = {}): User =>
    Object.assign(new User(), {
      id: randomUUID(),
      role,
      displayName: `${role}-${i}`,
      openid: role === 'resident' ? `bench-openid-${i}` : null,
      unionid: null,
      openidSource: null,
      username: null,
      passwordHash: null,
      totpSecret: null,
      totpLastStep: null,
      phone: null,
      gridCode: null,
      communityCode: null,
      streetCode: null,
      departmentCode: null,
      onDuty: false,
      disabled: false,
      failedLogins: 0,
      lockedUntil: null,
      demoKey: null,
      synthetic: true,
      createdAt: now,
      updatedAt: now,
      ...extra
    })
  const workers = [1, 2].map((i) => user('grid_worker', i, { gridCode: GRID.code, communityCode: COMMUNITY, streetCode: STREET, onDuty: true }))
  const residents = Array.from({ length: RESIDENTS }, (_, i) => user('resident', i))
  await ds.getRepository(User).insert([...workers, ...residents])
  await ds.query('CREATE TABLE bench_raw_inserts (id VARCHAR(36) NOT NULL PRIMARY KEY, body TEXT NOT NULL, created_at DATETIME NOT NULL)')
  return residents
}

function startServers(env: Record<string, string>): Promise<{ child: ChildProcess; appPort: number; rawPort: number }> {
  const child = fork(path.join(import.meta.dirname, 'submission-server.ts'), [], {
    env: { ...process.env, ...env },
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc']
  })
  return new Promise((resolve, reject) => {
    child.once('message', (msg) => {
      const { appPort, rawPort } = msg as { appPort: number; rawPort: number }
      resolve({ child, appPort, rawPort })
    })
    child.once('exit', (code) => reject(new Error(`the benchmark server exited (${code ?? 'signal'}) before listening`)))
  })
}

interface ServerStats {
  cpuMicros: number
  appStatements: number
  rawStatements: number
}

/** The server process's CPU time and statement counters, now. */
function serverStats(child: ChildProcess): Promise<ServerStats> {
  return new Promise((resolve) => {
    child.once('message', (msg) => resolve(msg as ServerStats))
    child.send({ type: 'stats' })
  })
}

/** Runs a load and returns it with the server's CPU µs and SQL statements per answered request. */
async function measured(child: ChildProcess, url: string, requests: AutocannonRequest[], side: 'app' | 'raw') {
  const before = await serverStats(child)
  const result = await load(url, requests, DURATION_S)
  await new Promise((r) => setTimeout(r, 500))
  const after = await serverStats(child)
  const answered = Math.max(1, result['2xx'] + result.non2xx)
  const statements = side === 'app' ? after.appStatements - before.appStatements : after.rawStatements - before.rawStatements
  return { result, cpuMicrosPerRequest: (after.cpuMicros - before.cpuMicros) / answered, statementsPerRequest: statements / answered }
}

function stopServers(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })
}

/** POSTs with a fresh Idempotency-Key every time, rotating through the residents' tokens. */
function submissionRequests(tokens: readonly string[], body: string, pathName: string, run: string): AutocannonRequest[] {
  let counter = 0
  return [
    {
      method: 'POST',
      path: pathName,
      setupRequest: (req) => {
        counter++
        return {
          ...req,
          body,
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${tokens[counter % tokens.length] ?? ''}`,
            'idempotency-key': `${run}-${counter}-${randomUUID()}`
          }
        }
      }
    }
  ]
}

async function load(url: string, requests: AutocannonRequest[], duration: number): Promise<AutocannonResult> {
  return autocannon({ url, connections: CONNECTIONS, pipelining: 1, duration, timeout: 10, requests })
}

function describe(label: string, r: AutocannonResult): string {
  return `${label.padEnd(34)} ${fmt(r.requests.average, 0).padStart(7)} req/s   p50 ${fmt(r.latency.p50, 0).padStart(3)} ms   p99 ${fmt(r.latency.p99, 0).padStart(3)} ms   2xx ${r['2xx']}   non-2xx ${r.non2xx}   errors ${r.errors}`
}

/**
 * Submission throughput on MariaDB at 50 connections: POST /api/tickets through the real app (auth,
 * validation, Idempotency-Key claim, routing to the on-duty worker, the ticket, its two events,
 * message-centre rows and outbox rows, in one transaction) against a raw mysql2 single-row INSERT on
 * the same Koa stack and database, measured in the same run, servers in their own process.
 */
export async function benchSubmission(): Promise<BenchResult> {
  const db = await createBenchDatabase('submit', 4)
  const dataDir = mkdtempSync(path.join(tmpdir(), 'palm-bench-'))
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    DATABASE_URL: db.url.replace(/^mysql:/, 'mariadb:'),
    DB_POOL: String(DB_POOL),
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0123456789',
    LOG_LEVEL: 'silent',
    JOBS: 'off',
    DATA_DIR: dataDir,
    H5_DIR: path.join(dataDir, 'no-h5'),
    WECHAT_APPID: 'wx-bench',
    WECHAT_SECRET: 'bench-secret',
    WECHAT_TEMPLATE_IDS: TEMPLATE_KEYS.map((k) => `${k}=tmpl-${k}`).join(',')
  }
  let child: ChildProcess | null = null
  try {
    const residents = await seed(db)
    const config = loadConfig(env)
    const tokens = residents.map((u) => signAccessToken(config.jwt, u).token)
    const servers = await startServers(env)
    child = servers.child
    const appUrl = `http://127.0.0.1:${servers.appPort}`
    const rawUrl = `http://127.0.0.1:${servers.rawPort}`
    const body = JSON.stringify({
      kind: 'report',
      category: 'sanitation',
      description: '基准测试：楼道里垃圾堆积三天无人清运',
      location: { lat: GRID.lat + GRID.size / 2, lng: GRID.lng + GRID.size / 2 },
      address: '基准小区1号楼',
      allowPublication: true
    })
    // One submission first: the load below counts answers, so a broken set-up must fail here, loudly.
    const probe = await fetch(`${appUrl}/api/tickets`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[0] ?? ''}`, 'idempotency-key': randomUUID() }
    })
    if (probe.status !== 201) throw new Error(`a single submission answered ${probe.status}: ${(await probe.text()).slice(0, 300)}`)
    await load(rawUrl, submissionRequests(tokens, body, '/raw/tickets', 'warm-raw'), WARMUP_S)
    const appWarm = await load(appUrl, submissionRequests(tokens, body, '/api/tickets', 'warm-app'), WARMUP_S)
    const rawRun = await measured(child, rawUrl, submissionRequests(tokens, body, '/raw/tickets', 'raw'), 'raw')
    const appRun = await measured(child, appUrl, submissionRequests(tokens, body, '/api/tickets', 'app'), 'app')
    const raw = rawRun.result
    const app = appRun.result

    await new Promise((r) => setTimeout(r, 1000))
    const tickets = await db.ds.getRepository(Ticket).count()
    const assigned = await db.ds.getRepository(Ticket).countBy({ state: 'assigned', gridCode: GRID.code })
    const outbox = await db.ds.getRepository(NotificationOutbox).count()
    const ratio = app.requests.average / raw.requests.average
    const ok = app['2xx'] > 0 && ratio >= TARGET_RATIO && app.latency.p99 <= TARGET_P99_MS && app.non2xx === 0 && app.errors === 0
    return {
      name: 'submission throughput',
      ok,
      lines: [
        `MariaDB, ${CONNECTIONS} connections, ${DURATION_S} s each after ${WARMUP_S} s warm-up, DB pool ${DB_POOL} on both sides, servers in a child process`,
        describe('raw mysql2 single-row INSERT', raw),
        describe('POST /api/tickets (full app)', app),
        `ratio app/raw ${fmt(ratio, 2)} (target ≥ ${TARGET_RATIO})   app p99 ${fmt(app.latency.p99, 0)} ms (target ≤ ${TARGET_P99_MS} ms)`,
        `server CPU per request: raw ${fmt(rawRun.cpuMicrosPerRequest, 0)} µs, app ${fmt(appRun.cpuMicrosPerRequest, 0)} µs (${fmt(appRun.cpuMicrosPerRequest / rawRun.cpuMicrosPerRequest, 1)}×); SQL statements per request: raw ${fmt(rawRun.statementsPerRequest, 1)}, app ${fmt(appRun.statementsPerRequest, 1)}`,
        `check: ${tickets} tickets stored (${assigned} routed to the grid's on-duty workers), ${outbox} outbox rows, ${1 + appWarm['2xx'] + app['2xx']} answered 201 incl. probe and warm-up (requests in flight when a run stops commit unanswered)`
      ]
    }
  } finally {
    if (child) await stopServers(child)
    await db.drop()
    rmSync(dataDir, { recursive: true, force: true })
  }
}
