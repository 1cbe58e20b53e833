import { spawnSync } from 'node:child_process'
import path from 'node:path'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { ProblemSchema } from '@palm/shared'
import { createApp } from '../app'
import { testConfig } from '../config'
import type { AppDeps } from '../deps'
import { createLogger } from '../logger'
import { createDataSource } from './data-source'
import { bearer, createUser } from '../../test/factories'
import { openTestDatabase, TEST_DB_KIND } from '../../test/db'
import { startTcpProxy } from '../../test/tcp-proxy'

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
