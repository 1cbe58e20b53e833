import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { STREETS } from '@palm/shared'
import { openTestDatabase, TEST_DB_KIND, type TestDatabase } from '../../test/db'
import { createDataSource } from '../db/data-source'
import { loadConfig } from '../config'
import { Grid, Street } from '../modules/territory/territory.entity'
import { seedRefusal } from './seed'

const run = promisify(execFile)
const serverDir = path.resolve(import.meta.dirname, '../..')
const PRODUCTION_ENV = {
  NODE_ENV: 'production',
  DATABASE_URL: 'mysql://nobody@127.0.0.1:1/never_opened',
  JWT_SECRET: 'production-secret-production-secret-0123',
  WECHAT_APPID: 'wx0000000000000000',
  WECHAT_SECRET: 'not-a-real-secret',
  LOG_LEVEL: 'silent'
}

/** Runs `npm run seed`'s script in a child process, the way an operator would, and never throws. */
async function runSeed(env: Record<string, string>) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/cli/seed.ts'], {
      cwd: serverDir,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      timeout: 60_000
    })
    return { code: 0, stdout, stderr }
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string }
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' }
  }
}

describe('seedRefusal', () => {
  it('refuses in production without SEED_DEMO, saying why and how', () => {
    expect(seedRefusal(loadConfig(PRODUCTION_ENV))).toMatch(/production[\s\S]*SEED_DEMO=1/)
  })

  it('allows production with SEED_DEMO=1, and any non-production config', () => {
    expect(seedRefusal(loadConfig({ ...PRODUCTION_ENV, SEED_DEMO: '1' }))).toBeUndefined()
    expect(seedRefusal(loadConfig({ NODE_ENV: 'development', JWT_SECRET: PRODUCTION_ENV.JWT_SECRET, LOG_LEVEL: 'silent' }))).toBeUndefined()
  })
})

describe('npm run seed', () => {
  let db: TestDatabase | undefined
  let dataDir: string
  let env: Record<string, string>

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'palm-seed-'))
    env = { NODE_ENV: 'development', DATA_DIR: dataDir, LOG_LEVEL: 'silent', JWT_SECRET: 'seed-test-secret-seed-test-secret-0123' }
    if (TEST_DB_KIND === 'mariadb') {
      db = await openTestDatabase('mariadb')
      env.DATABASE_URL = db.url ?? ''
    }
  })
  afterAll(async () => {
    await db?.close()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('exits 2 in production without SEED_DEMO, printing why, before touching any database', async () => {
    const result = await runSeed(PRODUCTION_ENV)
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('Refusing to seed demo data')
    expect(result.stderr).toContain('SEED_DEMO=1')
  })

  it('seeds the database, and a second run leaves the same rows', async () => {
    const first = await runSeed(env)
    expect(first.code).toBe(0)
    expect(first.stdout).toMatch(/18 streets, \d+ communities and villages, \d+ grids/)
    const second = await runSeed(env)
    expect(second.code).toBe(0)
    expect(second.stdout.split('\n')[1]).toBe(first.stdout.split('\n')[1])

    const ds = createDataSource(db ? { kind: 'mariadb', url: db.url ?? '', pool: 2 } : { kind: 'sqlite', file: path.join(dataDir, 'palm.sqlite') })
    await ds.initialize()
    try {
      expect(await ds.getRepository(Street).count()).toBe(STREETS.length)
      expect(await ds.getRepository(Grid).count()).toBeGreaterThanOrEqual(600)
    } finally {
      await ds.destroy()
    }
  })
})
