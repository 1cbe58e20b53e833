import { fork, type ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import autocannon, { type AutocannonRequest, type AutocannonResult } from 'autocannon'
import { TEMPLATE_KEYS, type Role } from '@palm/shared'
import { loadConfig } from '../src/config'
import { signAccessToken } from '../src/modules/auth/tokens'
import { RefreshToken } from '../src/modules/auth/refresh-token.entity'
import { hashRefreshToken } from '../src/modules/auth/sessions.service'
import { User } from '../src/modules/auth/user.entity'
import { StaffGrid } from '../src/modules/auth/staff-grid.entity'
import { newUserRow } from '../src/modules/auth/users.repo'
import { seedConsent } from '../src/modules/auth/consent-records'
import { Community, Grid } from '../src/modules/territory/territory.entity'
import { Ticket } from '../src/modules/tickets/index'
import { NotificationOutbox } from '../src/modules/notifications/index'
import { createBenchDatabase, fmt, type BenchDatabase } from './bench-db'
import type { BenchResult } from './types'

/** Targets from issue 3: the app at least half the raw insert's throughput, and p99 ≤ 50 ms. */
const TARGET_RATIO = 0.5
/** Target from issue 12: the app at least 0.7 of a hand-written mysql2 submission writing the same rows (submission-baseline.ts). */
const TARGET_BASELINE_RATIO = 0.7
const TARGET_P99_MS = 50
const CONNECTIONS = 50
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10)
const WARMUP_S = 2
/** Both sides get the same database pool (the app's DB_POOL default). */
const DB_POOL = Number(process.env.BENCH_DB_POOL ?? 10)
const RESIDENTS = 200

const STREET = '140213066'
const COMMUNITY = '140213066901'
/**
 * Grids the reports fall into (BENCH_SUBMIT_GRIDS, default 100), each with two grid workers on duty.
 * Routing counts the open tickets of the grid's on-duty workers on every submission, so the cost of a
 * submission grows with that backlog: a 10 s run piling every report on one grid's two workers
 * leaves them ~10,000 open tickets each, which no real grid has, and makes the figure depend on the
 * run's length. With 100 grids they end a run with a few hundred each. BENCH_SUBMIT_GRIDS=1 gives the
 * old one-grid shape (bench/README.md shows both).
 */
const GRID_COUNT = Math.max(1, Math.min(100, Number(process.env.BENCH_SUBMIT_GRIDS ?? 100)))
export const GRID_SIZE = 0.01
/** Grids on a 10 × 10 lattice inside the district's box, from its south-west corner. */
export const grids = Array.from({ length: GRID_COUNT }, (_, i) => ({
  code: `066-9${String(i).padStart(2, '0')}`,
  lat: 40.03 + Math.floor(i / 10) * GRID_SIZE,
  lng: 113.2 + (i % 10) * GRID_SIZE
}))

/** One community with GRID_COUNT grids and two workers on duty in each, and residents to file as (the routing path of a real report). */
export async function seed(db: BenchDatabase): Promise<User[]> {
  const { ds } = db
  const streetExists = (await ds.query('SELECT code FROM streets WHERE code = ?', [STREET])) as unknown[]
  if (streetExists.length === 0) await ds.query('INSERT INTO streets (code, name, synthetic) VALUES (?, ?, 1)', [STREET, '水泊寺街道'])
  await ds.getRepository(Community).insert({ code: COMMUNITY, streetCode: STREET, name: '基准社区（合成）', kind: 'community', synthetic: true })
  await ds.getRepository(Grid).insert(
    grids.map((g, i) => {
      const ring: Array<[number, number]> = [
        [g.lng, g.lat],
        [g.lng + GRID_SIZE, g.lat],
        [g.lng + GRID_SIZE, g.lat + GRID_SIZE],
        [g.lng, g.lat + GRID_SIZE],
        [g.lng, g.lat]
      ]
      return {
        code: g.code,
        name: `基准网格${i + 1}（合成）`,
        communityCode: COMMUNITY,
        streetCode: STREET,
        polygon: JSON.stringify({ type: 'Polygon', coordinates: [ring] }),
        minLat: g.lat,
        minLng: g.lng,
        maxLat: g.lat + GRID_SIZE,
        maxLng: g.lng + GRID_SIZE,
        synthetic: true
      }
    })
  )
  const now = new Date()
  const user = (role: string, i: number, extra: Partial<User> = {}): User =>
    newUserRow(role as Role, `${role}-${i}`, now, { openid: role === 'resident' ? `bench-openid-${i}` : null, synthetic: true, ...extra })
  const workers = grids.flatMap((g, gi) => [1, 2].map((i) => user('grid_worker', gi * 2 + i, { gridCode: g.code, communityCode: COMMUNITY, streetCode: STREET, onDuty: true })))
  const residents = Array.from({ length: RESIDENTS }, (_, i) => user('resident', i))
  await ds.getRepository(User).insert([...workers, ...residents])
  // Residents have agreed to the privacy notice (submissions need it: docs/residents-data.md).
  for (let i = 0; i < residents.length; i += 100)
    await seedConsent(
      ds.manager,
      residents.slice(i, i + 100).map((r) => r.id),
      'bench',
      now
    )
  // Routing finds a grid's workers through staff_grids (a worker may cover several grids).
  await ds.getRepository(StaffGrid).insert(workers.map((w) => ({ userId: w.id, gridCode: w.gridCode ?? '', isPrimary: true })))
  await ds.query('CREATE TABLE bench_raw_inserts (id VARCHAR(36) NOT NULL PRIMARY KEY, body TEXT NOT NULL, created_at DATETIME NOT NULL)')
  return residents
}

/**
 * Access tokens as residents hold them: each names its sign-in (a refresh-token family, as WeChat
 * sign-in makes one), so every request checks the account and that the sign-in was not ended.
 */
export async function signIn(db: BenchDatabase, config: ReturnType<typeof loadConfig>, residents: readonly User[]): Promise<string[]> {
  const now = new Date()
  const families = residents.map((u) => ({
    id: randomUUID(),
    userId: u.id,
    tokenHash: hashRefreshToken(randomUUID()),
    expiresAt: new Date(now.getTime() + 30 * 86_400_000),
    usedAt: null,
    revokedAt: null,
    createdAt: now
  }))
  await db.ds.getRepository(RefreshToken).insert(families.map((f) => ({ ...f, familyId: f.id })))
  return residents.map((u, i) => signAccessToken(config.jwt, u, families[i]?.id).token)
}

function startServers(env: Record<string, string>): Promise<{ child: ChildProcess; appPort: number; rawPort: number }> {
  const child = fork(path.join(import.meta.dirname, 'submission-server.ts'), [], {
    env: { ...process.env, ...env },
    // BENCH_CPU_PROF=<dir> writes a V8 CPU profile of the servers there (node --cpu-prof), for finding where time goes.
    execArgv: ['--import', 'tsx', ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [])],
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
  baselineStatements: number
}

/**
 * The local MariaDB server's process, found by name in /proc (undefined when it is elsewhere or /proc
 * is not readable). BENCH_DB_PID names it when several run (a private server on another port, given
 * with TEST_MARIADB_URL, so that other people's queries do not count in its CPU figure).
 */
export function findDatabasePid(): string | undefined {
  if (process.env.BENCH_DB_PID) return process.env.BENCH_DB_PID
  try {
    return readdirSync('/proc').find((pid) => {
      if (!/^\d+$/.test(pid)) return false
      try {
        return ['mariadbd', 'mysqld'].includes(readFileSync(`/proc/${pid}/comm`, 'utf8').trim())
      } catch {
        return false
      }
    })
  } catch {
    return undefined
  }
}

/** CPU time (user + system, µs) the database server has used so far, from /proc/<pid>/stat (clock ticks of 10 ms). */
export function databaseCpuMicros(pid: string | undefined): number | undefined {
  if (!pid) return undefined
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
    return (Number(fields[11]) + Number(fields[12])) * 10_000
  } catch {
    return undefined
  }
}

/** The server process's CPU time and statement counters, now. */
function serverStats(child: ChildProcess): Promise<ServerStats> {
  return new Promise((resolve) => {
    child.once('message', (msg) => resolve(msg as ServerStats))
    child.send({ type: 'stats' })
  })
}

/** Runs a load and returns it with the server's CPU µs and SQL statements per answered request. */
async function measured(child: ChildProcess, url: string, requests: AutocannonRequest[], side: 'app' | 'raw' | 'baseline', dbPid: string | undefined) {
  const before = await serverStats(child)
  const dbBefore = databaseCpuMicros(dbPid)
  const result = await load(url, requests, DURATION_S)
  await new Promise((r) => setTimeout(r, 500))
  const after = await serverStats(child)
  const dbAfter = databaseCpuMicros(dbPid)
  const answered = Math.max(1, result['2xx'] + result.non2xx)
  const statements = after[`${side}Statements`] - before[`${side}Statements`]
  return {
    result,
    cpuMicrosPerRequest: (after.cpuMicros - before.cpuMicros) / answered,
    dbCpuMicrosPerRequest: dbBefore !== undefined && dbAfter !== undefined ? (dbAfter - dbBefore) / answered : undefined,
    statementsPerRequest: statements / answered
  }
}

function stopServers(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })
}

/** POSTs with a fresh Idempotency-Key every time, rotating through the residents' tokens and the bodies (one per grid). */
function submissionRequests(tokens: readonly string[], bodies: readonly string[], pathName: string, run: string): AutocannonRequest[] {
  let counter = 0
  return [
    {
      method: 'POST',
      path: pathName,
      setupRequest: (req) => {
        counter++
        return {
          ...req,
          body: bodies[counter % bodies.length] ?? '',
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
 * a plain Koa stack and against a hand-written mysql2 submission that writes the same rows in one
 * transaction (submission-baseline.ts), on the same database, measured in the same run, servers in
 * their own process.
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
    // Every submission still counts its shared limits (the same statements as production); 200 residents
    // sending thousands of reports would be refused at 20 an hour each, so the maximum is raised.
    RATE_LIMIT_SCALE: '1000000',
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
    const tokens = await signIn(db, config, residents)
    const servers = await startServers(env)
    child = servers.child
    const appUrl = `http://127.0.0.1:${servers.appPort}`
    const rawUrl = `http://127.0.0.1:${servers.rawPort}`
    const bodies = grids.map((g) =>
      JSON.stringify({
        kind: 'report',
        category: 'sanitation',
        description: '基准测试：楼道里垃圾堆积三天无人清运',
        location: { lat: g.lat + GRID_SIZE / 2, lng: g.lng + GRID_SIZE / 2 },
        address: '基准小区1号楼',
        allowPublication: true
      })
    )
    const body = bodies[0] ?? ''
    // One submission first: the load below counts answers, so a broken set-up must fail here, loudly.
    const probe = await fetch(`${appUrl}/api/tickets`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[0] ?? ''}`, 'idempotency-key': randomUUID() }
    })
    if (probe.status !== 201) throw new Error(`a single submission answered ${probe.status}: ${(await probe.text()).slice(0, 300)}`)
    await load(rawUrl, submissionRequests(tokens, bodies, '/raw/tickets', 'warm-raw'), WARMUP_S)
    const baselineProbe = await fetch(`${rawUrl}/baseline/tickets`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[0] ?? ''}`, 'idempotency-key': randomUUID() }
    })
    if (baselineProbe.status !== 201) throw new Error(`the hand-written baseline answered ${baselineProbe.status}: ${(await baselineProbe.text()).slice(0, 300)}`)
    const baselineWarm = await load(rawUrl, submissionRequests(tokens, bodies, '/baseline/tickets', 'warm-baseline'), WARMUP_S)
    const appWarm = await load(appUrl, submissionRequests(tokens, bodies, '/api/tickets', 'warm-app'), WARMUP_S)
    const dbPid = findDatabasePid()
    const rawRun = await measured(child, rawUrl, submissionRequests(tokens, bodies, '/raw/tickets', 'raw'), 'raw', dbPid)
    const baselineRun = await measured(child, rawUrl, submissionRequests(tokens, bodies, '/baseline/tickets', 'baseline'), 'baseline', dbPid)
    const appRun = await measured(child, appUrl, submissionRequests(tokens, bodies, '/api/tickets', 'app'), 'app', dbPid)
    const raw = rawRun.result
    const baseline = baselineRun.result
    const app = appRun.result

    await new Promise((r) => setTimeout(r, 1000))
    const tickets = await db.ds.getRepository(Ticket).count()
    const assigned = await db.ds.getRepository(Ticket).countBy({ state: 'assigned', level: 'grid' })
    const outbox = await db.ds.getRepository(NotificationOutbox).count()
    const ratio = app.requests.average / raw.requests.average
    const baselineRatio = app.requests.average / baseline.requests.average
    const baselineOk = baseline['2xx'] > 0 && baseline.non2xx === 0 && baseline.errors === 0
    const ok = app['2xx'] > 0 && baselineOk && ratio >= TARGET_RATIO && baselineRatio >= TARGET_BASELINE_RATIO && app.latency.p99 <= TARGET_P99_MS && app.non2xx === 0 && app.errors === 0
    const dbCpu = (run: { dbCpuMicrosPerRequest: number | undefined }) => fmt(run.dbCpuMicrosPerRequest ?? Number.NaN, 0)
    return {
      name: 'submission throughput',
      ok,
      lines: [
        `MariaDB, ${CONNECTIONS} connections, ${DURATION_S} s each after ${WARMUP_S} s warm-up, DB pool ${DB_POOL} on both sides, servers in a child process; reports spread over ${GRID_COUNT} grid(s), 2 workers on duty in each; residents' tokens carry a sign-in`,
        describe('raw mysql2 single-row INSERT', raw),
        describe('hand-written mysql2 submission', baseline),
        describe('POST /api/tickets (full app)', app),
        `ratio app/raw ${fmt(ratio, 2)} (target ≥ ${TARGET_RATIO})   app p99 ${fmt(app.latency.p99, 0)} ms (target ≤ ${TARGET_P99_MS} ms)`,
        `ratio app/hand-written ${fmt(baselineRatio, 2)} (target ≥ ${TARGET_BASELINE_RATIO})   hand-written p99 ${fmt(baseline.latency.p99, 0)} ms`,
        `server CPU per request: raw ${fmt(rawRun.cpuMicrosPerRequest, 0)} µs, hand-written ${fmt(baselineRun.cpuMicrosPerRequest, 0)} µs, app ${fmt(appRun.cpuMicrosPerRequest, 0)} µs (${fmt(appRun.cpuMicrosPerRequest / baselineRun.cpuMicrosPerRequest, 1)}× hand-written)`,
        `SQL round trips per request: raw ${fmt(rawRun.statementsPerRequest, 1)}, hand-written ${fmt(baselineRun.statementsPerRequest, 1)}, app ${fmt(appRun.statementsPerRequest, 1)} (a compound statement counts once)`,
        rawRun.dbCpuMicrosPerRequest !== undefined && appRun.dbCpuMicrosPerRequest !== undefined
          ? `mariadbd CPU per request: raw ${dbCpu(rawRun)} µs, hand-written ${dbCpu(baselineRun)} µs, app ${dbCpu(appRun)} µs`
          : 'mariadbd CPU per request: not measured (no local mariadbd in /proc)',
        `check: ${tickets} tickets stored (${assigned} routed to the grid's on-duty workers), ${outbox} outbox rows; answered 201 incl. probe and warm-up: app ${1 + appWarm['2xx'] + app['2xx']}, hand-written ${1 + baselineWarm['2xx'] + baseline['2xx']} (requests in flight when a run stops commit unanswered)`
      ]
    }
  } finally {
    if (child) await stopServers(child)
    await db.drop()
    rmSync(dataDir, { recursive: true, force: true })
  }
}
