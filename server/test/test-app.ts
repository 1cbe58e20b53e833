import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type Koa from 'koa'
import { createApp } from '../src/app'
import { testConfig, type Config } from '../src/config'
import type { AppDeps } from '../src/deps'
import { createLogger, type Logger } from '../src/logger'
import { openTestDatabase, type TestDatabase } from './db'

export interface TestContext {
  deps: AppDeps
  db: TestDatabase
  app: Koa
  /** The request handler for supertest: `request(t.server)`. */
  server: ReturnType<Koa['callback']>
  /** Moves the shared clock: `t.setNow(new Date(...))`; null returns to the real time. */
  setNow: (at: Date | null) => void
  close: () => Promise<void>
}

export interface TestContextOptions {
  /** The app's logger (default: silent); a test that reads log lines passes one writing to memory. */
  log?: Logger
}

/** A full app on the file's own database, with a temp DATA_DIR and a movable clock. */
export async function createTestContext(overrides: Partial<Config> = {}, options: TestContextOptions = {}): Promise<TestContext> {
  const db = await openTestDatabase()
  const dataDir = mkdtempSync(path.join(tmpdir(), 'palm-test-'))
  const config = testConfig({ dataDir, uploadsDir: path.join(dataDir, 'uploads'), h5Dir: path.join(dataDir, 'no-h5'), ...overrides })
  let fixedNow: Date | null = null
  const deps: AppDeps = { config, ds: db.ds, log: options.log ?? createLogger('silent'), now: () => fixedNow ?? new Date() }
  const app = createApp(deps)
  return {
    deps,
    db,
    app,
    server: app.callback(),
    setNow: (at) => {
      fixedNow = at
    },
    close: async () => {
      await db.close()
      rmSync(dataDir, { recursive: true, force: true })
    }
  }
}
