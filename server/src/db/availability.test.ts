import { spawnSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import request from 'supertest'
import { afterAll, describe, expect, it } from 'vitest'
import { ProblemSchema } from '@palm/shared'
import { createApp } from '../app'
import { testConfig, type DatabaseLimits } from '../config'
import type { AppDeps } from '../deps'
import { createLogger } from '../logger'
import { Ticket } from '../modules/tickets/index'
import { createDataSource, openDatabase } from './data-source'
import { bearer, createUser } from '../../test/factories'
import { openTestDatabase, TEST_DB_KIND } from '../../test/db'
import { canStartMariaDbInstance, startMariaDbInstance } from '../../test/mariadb-instance'
import { startTcpProxy } from '../../test/tcp-proxy'
import { createTicketWorld, reportBody } from '../../test/tickets-factories'

const serverRoot = path.resolve(import.meta.dirname, '../..')

describe('the database down at start', () => {
  it('prints a clear message and exits non-zero', () => {
    const result = spawnSync('npx', ['tsx', 'src/main.ts'], {
      cwd: serverRoot,
      env: { ...process.env, DATABASE_URL: 'mysql://root@127.0.0.1:9/palm', LOG_LEVEL: 'silent', PORT: '0', NODE_ENV: 'development' },
      encoding: 'utf8',
      timeout: 30_000
    })
    expect(result.status).toBe(1)
    expect(result.stderr).toMatch(/Cannot open the database \(mysql \(DATABASE_URL\)\)/)
  })

  it('lists every invalid setting and exits non-zero', () => {
    const result = spawnSync('npx', ['tsx', 'src/main.ts'], {
      cwd: serverRoot,
      env: { ...process.env, NODE_ENV: 'production', PORT: 'eighty', DATABASE_URL: 'postgres://x', JWT_SECRET: 'short' },
      encoding: 'utf8',
      timeout: 30_000
    })
    expect(result.status).toBe(1)
    expect(result.stderr).toContain('Invalid configuration')
    expect(result.stderr).toMatch(/PORT/)
    expect(result.stderr).toMatch(/DATABASE_URL/)
    expect(result.stderr).toMatch(/JWT_SECRET/)
  })
})

describe(`the database down at run time (${TEST_DB_KIND})`, () => {
  it('answers /readyz and requests with 503, and recovers when the database returns', async () => {
    const db = await openTestDatabase()
    const config = testConfig()
    let deps: AppDeps
    let cut: () => Promise<void>
    let restore: () => Promise<void>
    let cleanup: () => Promise<void>
    if (db.kind === 'mariadb' && db.url) {
      // A second DataSource reaches the same database through a proxy the test can cut.
      const target = new URL(db.url)
      const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 3306) })
      const viaProxy = new URL(db.url)
      viaProxy.port = String(proxy.port)
      const ds = createDataSource({ kind: 'mariadb', url: viaProxy.toString(), pool: 2 })
      await ds.initialize()
      deps = { config, ds, log: createLogger('silent'), now: () => new Date() }
      cut = proxy.cut
      restore = proxy.restore
      cleanup = async () => {
        await ds.destroy()
        await proxy.close()
        await db.close()
      }
    } else {
      // The embedded database has no server to lose; a closed handle is its outage.
      deps = { config, ds: db.ds, log: createLogger('silent'), now: () => new Date() }
      cut = () => db.ds.destroy()
      restore = async () => {
        await db.ds.initialize()
        await db.ds.runMigrations()
      }
      cleanup = async () => {
        if (db.ds.isInitialized) await db.close()
      }
    }
    try {
      const user = await createUser(deps.ds, 'district_admin')
      const app = createApp(deps).callback()
      expect((await request(app).get('/readyz')).status).toBe(200)

      await cut()
      const ready = await request(app).get('/readyz')
      expect(ready.status).toBe(503)
      expect(ProblemSchema.parse(ready.body).code).toBe('service_unavailable')
      const live = await request(app).get('/livez')
      expect(live.status).toBe(200)
      const busy = await request(app).get('/api/anything').set('Authorization', bearer(config, user))
      expect(busy.status).toBe(503)
      expect(busy.headers['retry-after']).toBeDefined()
      expect(ProblemSchema.parse(busy.body).code).toBe('service_unavailable')

      await restore()
      if (db.kind === 'sqlite') await createUser(deps.ds, 'district_admin', { displayName: 'after' })
      let readyAgain = await request(app).get('/readyz')
      for (let i = 0; i < 20 && readyAgain.status !== 200; i++) {
        await new Promise((r) => setTimeout(r, 250))
        readyAgain = await request(app).get('/readyz')
      }
      expect(readyAgain.status).toBe(200)
    } finally {
      await cleanup()
    }
  })
})

/** Short bounds so the tests run quickly; production defaults are 5 s and 3 s (docs/operations.md). */
const LIMITS: DatabaseLimits = { queryTimeoutMs: 1_500, acquireTimeoutMs: 1_500 }
/** What "answers within the bound" allows on a busy 2-core machine: acquire + query + scheduling slack. */
const ANSWER_WITHIN_MS = LIMITS.acquireTimeoutMs + LIMITS.queryTimeoutMs + 4_000

interface Timed {
  res: request.Response
  ms: number
}
async function timed(req: request.Test): Promise<Timed> {
  const started = Date.now()
  const res = await req
  return { res, ms: Date.now() - started }
}

function expectUnavailable({ res, ms }: Timed) {
  expect(res.status).toBe(503)
  expect(ProblemSchema.parse(res.body).code).toBe('service_unavailable')
  expect(Number(res.headers['retry-after'])).toBeGreaterThan(0)
  expect(res.headers['content-type']).toMatch(/application\/problem\+json/)
  expect(ms).toBeLessThan(ANSWER_WITHIN_MS)
}

// Issue 14.2: a database server that stops answering (SIGSTOP: connections stay open, nothing comes back).
describe.skipIf(TEST_DB_KIND !== 'mariadb' || !canStartMariaDbInstance())('a frozen database server (a private MariaDB, SIGSTOP)', () => {
  let stopInstance: (() => Promise<void>) | undefined
  // Also when the test itself times out: the private server must never outlive the run.
  afterAll(async () => {
    await stopInstance?.()
  })

  it('answers GET /api/tickets, POST /api/tickets and GET /api/me with 503 and Retry-After within the bound, and recovers on SIGCONT', async () => {
    const db = await startMariaDbInstance()
    stopInstance = db.stop
    let ds: Awaited<ReturnType<typeof openDatabase>> | undefined
    try {
      ds = await openDatabase({ kind: 'mariadb', url: db.url, pool: 4 }, LIMITS)
      const deps: AppDeps = { config: testConfig({ dbLimits: LIMITS }), ds, log: createLogger('silent'), now: () => new Date() }
      const world = await createTicketWorld(ds)
      const resident = world.users.R1
      const auth = bearer(deps.config, resident)
      const app = createApp(deps).callback()
      const submit = () => request(app).post('/api/tickets').set('Authorization', auth).set('Idempotency-Key', randomUUID()).send(reportBody(world))
      expect((await request(app).get('/api/me').set('Authorization', auth)).status).toBe(200)
      expect((await submit()).status).toBe(201)

      process.kill(db.pid, 'SIGSTOP')
      // The pool's connections are open and idle; every request now waits on a server that never answers.
      const [list, filed, me] = await Promise.all([timed(request(app).get('/api/tickets').set('Authorization', auth)), timed(submit()), timed(request(app).get('/api/me').set('Authorization', auth))])
      // Once more with the pool's connections dropped by the timeouts: new ones must not hang either.
      const again = await timed(request(app).get('/api/tickets').set('Authorization', auth))
      console.info(`frozen MariaDB: GET /api/tickets ${list.ms} ms, POST /api/tickets ${filed.ms} ms, GET /api/me ${me.ms} ms, again ${again.ms} ms`)
      for (const answer of [list, filed, me, again]) expectUnavailable(answer)
      expectUnavailable(await timed(request(app).get('/readyz')))

      process.kill(db.pid, 'SIGCONT')
      let ready = await request(app).get('/readyz')
      for (let i = 0; i < 40 && ready.status !== 200; i++) {
        await new Promise((r) => setTimeout(r, 250))
        ready = await request(app).get('/readyz')
      }
      expect(ready.status).toBe(200)
      expect((await request(app).get('/api/me').set('Authorization', auth)).status).toBe(200)
      expect((await submit()).status).toBe(201)
      // The request that was refused while frozen left no ticket behind: one before, one after.
      expect(await ds.getRepository(Ticket).count()).toBe(2)
    } finally {
      if (ds?.isInitialized) await ds.destroy().catch(() => undefined)
      await db.stop()
    }
  }, 120_000)
})

describe.skipIf(TEST_DB_KIND !== 'sqlite')('an SQLite file locked by another process', () => {
  it('answers a write with 503 and Retry-After after the lock wait instead of hanging, and writes again once the lock is gone', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'palm-busy-'))
    const file = path.join(dir, 'palm.sqlite')
    const ds = await openDatabase({ kind: 'sqlite', file }, LIMITS)
    const other = new Database(file)
    try {
      const deps: AppDeps = { config: testConfig({ dbLimits: LIMITS }), ds, log: createLogger('silent'), now: () => new Date() }
      const world = await createTicketWorld(ds)
      const auth = bearer(deps.config, world.users.R1)
      const app = createApp(deps).callback()
      const submit = () => request(app).post('/api/tickets').set('Authorization', auth).set('Idempotency-Key', randomUUID()).send(reportBody(world))

      other.exec('BEGIN IMMEDIATE') // another process (a backup, a CLI) holds the write lock
      const busy = await timed(submit())
      console.info(`locked SQLite: POST /api/tickets ${busy.ms} ms`)
      expectUnavailable(busy)
      expect(await ds.getRepository(Ticket).count()).toBe(0)

      other.exec('ROLLBACK')
      expect((await submit()).status).toBe(201)
    } finally {
      other.close()
      await ds.destroy()
      rmSync(dir, { recursive: true, force: true })
    }
  }, 60_000)
})
