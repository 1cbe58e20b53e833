import { fork, type ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import autocannon, { type AutocannonRequest } from 'autocannon'
import { TEMPLATE_KEYS } from '@palm/shared'
import { loadConfig } from '../src/config'
import { User } from '../src/modules/auth/user.entity'
import { newUserRow } from '../src/modules/auth/users.repo'
import { NotificationOutbox } from '../src/modules/notifications/index'
import { startFakeWeChatServer, type FakeWeChatServer } from '../src/modules/wechat/index'
import { createBenchDatabase, fmt, quantile, type BenchDatabase } from './bench-db'
import { GRID_SIZE, databaseCpuMicros, findDatabasePid, grids, seed, signIn } from './submission.bench'
import type { BenchResult } from './types'

/** Issue 15's target: a message leaves within 5 s (p95) of the change that made it, at the submission benchmark's rate. */
const TARGET_P95_MS = 5_000
const BACKLOG = Number(process.env.BENCH_RELAY_BACKLOG ?? 5_000)
const BEFORE_WINDOW_MS = 10_000
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10)
const CONNECTIONS = 50
const APP = { appId: 'wx-bench', secret: 'bench-secret' } as const
const TEMPLATE_ENV = TEMPLATE_KEYS.map((k) => `${k}=tmpl-${k}`).join(',')
type Mode = 'before' | 'after'
const LABEL: Record<Mode, string> = {
  before: 'before (one batch of 50 every 2 s, 4 in flight)',
  after: 'after (drain while due, 64 in flight)'
}

function childEnv(db: BenchDatabase, fake: FakeWeChatServer, dataDir: string, mode: Mode, app: boolean): Record<string, string> {
  return {
    NODE_ENV: 'production',
    DATABASE_URL: db.url.replace(/^mysql:/, 'mariadb:'),
    DB_POOL: '10',
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0123456789',
    LOG_LEVEL: 'silent',
    JOBS: 'off',
    DATA_DIR: dataDir,
    H5_DIR: path.join(dataDir, 'no-h5'),
    WECHAT_APPID: APP.appId,
    WECHAT_SECRET: APP.secret,
    WECHAT_API_BASE: fake.url,
    WECHAT_TEMPLATE_IDS: TEMPLATE_ENV,
    RELAY_BENCH_MODE: mode,
    RELAY_BENCH_APP: app ? '1' : '0'
  }
}

function startRelayServer(env: Record<string, string>): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(path.join(import.meta.dirname, 'relay-server.ts'), [], {
    env: { ...process.env, ...env },
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc']
  })
  return new Promise((resolve, reject) => {
    child.once('message', (msg) => resolve({ child, port: (msg as { port: number }).port }))
    child.once('exit', (code) => reject(new Error(`the relay server exited (${code ?? 'signal'}) before it was ready`)))
  })
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** CPU time (µs) the child has used so far. */
function childCpu(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    child.once('message', (msg) => resolve((msg as { cpuMicros: number }).cpuMicros))
    child.send({ type: 'stats' })
  })
}

/** Every user gets an openid (workers had none) and plenty of grants for every template, so every outbox row is sendable. */
async function makeEveryoneSubscribed(db: BenchDatabase): Promise<void> {
  await db.ds.query("UPDATE users SET openid = CONCAT('bench-openid-', id) WHERE openid IS NULL")
  const templates = TEMPLATE_KEYS.map((k) => `SELECT 'tmpl-${k}' AS tid`).join(' UNION ALL ')
  await db.ds.query(`INSERT INTO subscription_grants (user_id, template_id, remaining, updated_at) SELECT u.id, t.tid, 1000000, NOW() FROM users u CROSS JOIN (${templates}) t`)
}

/** Outbox rows not settled yet (pending, claimed or sending). */
async function unsettled(db: BenchDatabase): Promise<number> {
  const rows = (await db.ds.query("SELECT COUNT(*) AS n FROM notification_outbox WHERE dispatch_state IN ('pending', 'claimed', 'sending')")) as Array<{ n: number | string }>
  return Number(rows[0]?.n ?? 0)
}

interface Sustained {
  /** CPU of the relay's process and of mariadbd per message sent (µs); mariadbd's is undefined when not local. */
  relayCpuMicros: number
  dbCpuMicros: number | undefined
  sent: number
  seconds: number
  perSecond: number
  duplicates: number
  left: number
}

/**
 * Sustained messages/s of one instance: BACKLOG rows due at once, the relay in a process of its own,
 * the fake WeChat server (in this process) on loopback. "after" drains the whole backlog; "before"
 * gets a 10 s window (its rate is set by its schedule).
 */
async function sustainedRate(fake: FakeWeChatServer, mode: Mode): Promise<Sustained> {
  const db = await createBenchDatabase(`relay_${mode}`, 4)
  const dataDir = mkdtempSync(path.join(tmpdir(), 'palm-bench-relay-'))
  let child: ChildProcess | null = null
  try {
    const now = new Date()
    const users = Array.from({ length: 1000 }, (_, i) => newUserRow('resident', `relay-${i}`, now, { openid: `bench-relay-${mode}-${i}`, synthetic: true }))
    for (let i = 0; i < users.length; i += 500) await db.ds.getRepository(User).insert(users.slice(i, i + 500))
    await makeEveryoneSubscribed(db)
    const rows = Array.from({ length: BACKLOG }, (_, i) =>
      Object.assign(new NotificationOutbox(), {
        id: randomUUID(),
        userId: users[i % users.length]?.id ?? '',
        channel: 'wechat_subscribe',
        kind: 'ticket_update',
        templateKey: 'ticket_update',
        payload: JSON.stringify({
          page: `packages/ticket/detail/index?id=row-${i}`,
          data: { character_string1: `ROW${i}`, thing2: '基准', phrase3: '已签收', time4: '2026-11-30 10:00', thing5: '基准' }
        }),
        messageId: null,
        dispatchState: 'pending',
        attempts: 0,
        grantConsumed: false,
        nextAttemptAt: now,
        claimedBy: null,
        claimedUntil: null,
        lastError: null,
        sentAt: null,
        createdAt: now
      })
    )
    for (let i = 0; i < rows.length; i += 500) await db.ds.getRepository(NotificationOutbox).insert(rows.slice(i, i + 500))
    const first = fake.sentMessages.length
    const server = await startRelayServer(childEnv(db, fake, dataDir, mode, false))
    child = server.child
    const dbPid = findDatabasePid()
    const cpuBefore = await childCpu(child)
    const dbBefore = databaseCpuMicros(dbPid)
    const started = Date.now()
    const cap = mode === 'before' ? BEFORE_WINDOW_MS : 60_000
    while (Date.now() - started < cap && fake.sentMessages.length - first < BACKLOG) await sleep(50)
    const cpuAfter = await childCpu(child)
    const dbAfter = databaseCpuMicros(dbPid)
    const ours = fake.sentMessages.slice(first)
    const lastAt = ours.length ? (ours[ours.length - 1]?.at.getTime() ?? Date.now()) : Date.now()
    const seconds = mode === 'before' ? (Date.now() - started) / 1000 : Math.max(0.001, (lastAt - started) / 1000)
    const distinct = new Set(ours.map((m) => m.data.character_string1?.value)).size
    const per = Math.max(1, ours.length)
    return {
      relayCpuMicros: (cpuAfter - cpuBefore) / per,
      dbCpuMicros: dbBefore !== undefined && dbAfter !== undefined ? (dbAfter - dbBefore) / per : undefined,
      sent: ours.length,
      seconds,
      perSecond: ours.length / seconds,
      duplicates: ours.length - distinct,
      left: await unsettled(db)
    }
  } finally {
    if (child) await stop(child)
    await db.drop()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

interface UnderLoad {
  submissionsPerSecond: number
  created: number
  non2xx: number
  errors: number
  messages: number
  sent: number
  p50: number
  p95: number
  max: number
  leftAfterWait: number
  waitedS: number
}

/**
 * Commit-to-send delay at the submission benchmark's rate: the same load (POST /api/tickets, 50
 * connections, BENCH_DURATION_S, reports over 100 grids) against the real app with its relay running,
 * in one process as production runs it. A ticket's commit time is when its 201 arrived here (a little
 * after the commit); its messages' send time is when the fake WeChat server recorded them.
 */
async function delayUnderLoad(fake: FakeWeChatServer, mode: Mode): Promise<UnderLoad> {
  const db = await createBenchDatabase(`relaysub_${mode}`, 4)
  const dataDir = mkdtempSync(path.join(tmpdir(), 'palm-bench-relay-'))
  let child: ChildProcess | null = null
  try {
    const residents = await seed(db)
    const env = childEnv(db, fake, dataDir, mode, true)
    const tokens = await signIn(db, loadConfig(env), residents)
    await makeEveryoneSubscribed(db)
    const server = await startRelayServer(env)
    child = server.child
    const url = `http://127.0.0.1:${server.port}`
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
    const probe = await fetch(`${url}/api/tickets`, {
      method: 'POST',
      body: bodies[0],
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[0] ?? ''}`, 'idempotency-key': randomUUID() }
    })
    if (probe.status !== 201) throw new Error(`a single submission answered ${probe.status}: ${(await probe.text()).slice(0, 300)}`)
    const committedAt = new Map<string, number>()
    let counter = 0
    const requests: AutocannonRequest[] = [
      {
        method: 'POST',
        path: '/api/tickets',
        setupRequest: (req) => {
          counter++
          return {
            ...req,
            body: bodies[counter % bodies.length] ?? '',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[counter % tokens.length] ?? ''}`, 'idempotency-key': `relay-${counter}-${randomUUID()}` }
          }
        },
        onResponse: (status, body) => {
          if (status !== 201) return
          const at = Date.now()
          const id = /"id":"([0-9a-f-]{36})"/.exec(body)?.[1]
          if (id) committedAt.set(id, at)
        }
      }
    ]
    const firstMessage = fake.sentMessages.length
    const result = await autocannon({ url, connections: CONNECTIONS, pipelining: 1, duration: DURATION_S, timeout: 10, requests })
    const loadEnded = Date.now()
    const waitCap = mode === 'before' ? 10_000 : 60_000
    while (Date.now() - loadEnded < waitCap && (await unsettled(db)) > 0) await sleep(250)
    const waitedS = (Date.now() - loadEnded) / 1000
    const rows = (await db.ds.query('SELECT COUNT(*) AS n FROM notification_outbox')) as Array<{ n: number | string }>
    const delays: number[] = []
    let messages = 0
    for (const m of fake.sentMessages.slice(firstMessage)) {
      const id = /id=([0-9a-f-]{36})/.exec(m.page ?? '')?.[1]
      const at = id ? committedAt.get(id) : undefined
      if (at !== undefined) delays.push(m.at.getTime() - at)
    }
    // Messages of the measured tickets still unsent count as "later than the wait": their delay is at least that.
    const unsentOfMeasured = Math.max(0, Number(rows[0]?.n ?? 0) - (fake.sentMessages.length - firstMessage))
    messages = delays.length + unsentOfMeasured
    const floor = Date.now() - loadEnded
    const all = [...delays, ...Array.from({ length: unsentOfMeasured }, () => floor)].sort((a, b) => a - b)
    return {
      submissionsPerSecond: result.requests.average,
      created: committedAt.size,
      non2xx: result.non2xx,
      errors: result.errors,
      messages,
      sent: delays.length,
      p50: quantile(all, 0.5),
      p95: quantile(all, 0.95),
      max: all[all.length - 1] ?? Number.NaN,
      leftAfterWait: await unsettled(db),
      waitedS
    }
  } finally {
    if (child) await stop(child)
    await db.drop()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

const s = (ms: number) => `${fmt(ms / 1000, 1)} s`

/**
 * The WeChat relay of one instance against the fake WeChat server on loopback, before and after issue
 * 15 in the same run: sustained messages/s on a backlog, and the commit-to-send delay at the
 * submission benchmark's rate (target p95 < 5 s).
 */
export async function benchRelay(): Promise<BenchResult> {
  const fake = await startFakeWeChatServer({ ...APP })
  try {
    const rate: Record<Mode, Sustained> = { before: await sustainedRate(fake, 'before'), after: await sustainedRate(fake, 'after') }
    const load: Record<Mode, UnderLoad> = { before: await delayUnderLoad(fake, 'before'), after: await delayUnderLoad(fake, 'after') }
    const a = load.after
    const ok = a.p95 < TARGET_P95_MS && a.leftAfterWait === 0 && a.non2xx === 0 && a.errors === 0 && rate.after.duplicates === 0 && rate.after.left === 0
    const lines = [
      `one instance, MariaDB (pool 10), fake WeChat server on loopback in the benchmark process; relay and app in a child process`,
      `sustained rate on a backlog of ${BACKLOG.toLocaleString('en-US')} due messages:`
    ]
    for (const mode of ['before', 'after'] as const) {
      const r = rate[mode]
      lines.push(
        `  ${LABEL[mode].padEnd(48)} ${fmt(r.perSecond, 0).padStart(6)} messages/s   (${r.sent} sent in ${fmt(r.seconds, 1)} s, ${r.left} left, ${r.duplicates} duplicates); CPU per message: relay ${fmt(r.relayCpuMicros, 0)} µs, mariadbd ${r.dbCpuMicros === undefined ? 'n/a' : `${fmt(r.dbCpuMicros, 0)} µs`}`
      )
    }
    lines.push(`commit-to-send delay at the submission benchmark's rate (POST /api/tickets, ${CONNECTIONS} connections, ${DURATION_S} s, relay running):`)
    for (const mode of ['before', 'after'] as const) {
      const r = load[mode]
      lines.push(
        `  ${LABEL[mode].padEnd(48)} ${fmt(r.submissionsPerSecond, 0)} submissions/s, ${r.messages} messages: sent ${r.sent}; delay p50 ${s(r.p50)}  p95 ${s(r.p95)}  max ${s(r.max)}; ${r.leftAfterWait} unsent ${fmt(r.waitedS, 0)} s after the load; non-2xx ${r.non2xx}, errors ${r.errors}`
      )
    }
    lines.push(
      `target: p95 < ${s(TARGET_P95_MS)} with nothing left unsent, no duplicates, no failed submission (after)${load.before.leftAfterWait > 0 ? '; before: unsent messages count with the delay they had at least' : ''}`
    )
    return { name: 'relay', ok, lines }
  } finally {
    await fake.close()
  }
}
