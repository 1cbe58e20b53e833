import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import request from 'supertest'
import type { DataSource } from 'typeorm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../app'
import { testConfig } from '../../config'
import { openDatabase } from '../../db/data-source'
import type { AppDeps } from '../../deps'
import { createLogger } from '../../logger'
import { openTestDatabase, TEST_DB_KIND, type TestDatabase } from '../../../test/db'
import { bearer, createUser } from '../../../test/factories'
import { readSampleTerritory } from '../../../test/territory-fixtures'

const POLL_MS = 200

/**
 * Two instances of the app on one database, each with its own connection (its own DataSource, so
 * its own grid-index cache), as two processes behind a load balancer would be.
 */
let dir: string
let db: TestDatabase | undefined
let dsA: DataSource
let dsB: DataSource
let a: AppDeps
let b: AppDeps

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'palm-territory-version-'))
  if (TEST_DB_KIND === 'sqlite') {
    const file = path.join(dir, 'palm.sqlite')
    dsA = await openDatabase({ kind: 'sqlite', file })
    dsB = await openDatabase({ kind: 'sqlite', file })
  } else {
    db = await openTestDatabase()
    dsA = db.ds
    dsB = await openDatabase({ kind: 'mariadb', url: db.url ?? '', pool: 5 })
  }
  const config = testConfig({ dataDir: dir, uploadsDir: path.join(dir, 'uploads'), h5Dir: path.join(dir, 'no-h5'), territoryPollMs: POLL_MS })
  a = { config, ds: dsA, log: createLogger('silent'), now: () => new Date() }
  b = { ...a, ds: dsB }
})

afterAll(async () => {
  if (dsB.isInitialized) await dsB.destroy()
  if (db) await db.close()
  else if (dsA.isInitialized) await dsA.destroy()
  rmSync(dir, { recursive: true, force: true })
})

function locate(server: ReturnType<ReturnType<typeof createApp>['callback']>) {
  return request(server).get('/api/territory/locate').query({ lat: 40.035, lng: 113.285 })
}

describe('territory version across instances', () => {
  it('an instance that never imported locates with the new grids once its poll interval has passed', async () => {
    const appA = createApp(a).callback()
    const appB = createApp(b).callback()
    // B builds its index before the import: the point is outside every grid.
    expect((await locate(appB)).status).toBe(404)

    const admin = await createUser(dsA, 'district_admin')
    const res = await request(appA).post('/api/admin/territory/import?dryRun=false').set('Authorization', bearer(a.config, admin)).send(readSampleTerritory())
    expect(res.status).toBe(200)
    // A rebuilt at once.
    expect((await locate(appA)).body).toMatchObject({ grid: { code: '066-901' } })

    await new Promise((resolve) => setTimeout(resolve, POLL_MS + 50))
    const fromB = await locate(appB)
    expect(fromB.status).toBe(200)
    expect(fromB.body).toMatchObject({ grid: { code: '066-901' }, community: { code: '140213066001' } })
  })
})
