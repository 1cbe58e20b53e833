import { setTimeout as sleep } from 'node:timers/promises'
import Koa from 'koa'
import mysql from 'mysql2/promise'
import request from 'supertest'
import { QueryFailedError } from 'typeorm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TEST_DB_KIND, openTestDatabase, type TestDatabase } from '../../test/db'
import { errorHandler } from '../http/error-handler'
import { mapError } from '../http/problem'
import { createLogger } from '../logger'
import { LOCK_RETRY, lockConflictStats, withTx } from './tx'

/**
 * Deadlocks injected on MariaDB through the app's own path (withTx's bounded retries, then the one
 * error handler): two transactions lock two rows in opposite order. docs/operations.md "Lock conflicts".
 */
describe('lock conflicts that outlast the retries', () => {
  it('answer 503 service_unavailable with Retry-After, never 500 (deadlock, lock-wait timeout, Galera node not ready)', () => {
    const cases = [
      { code: 'ER_LOCK_DEADLOCK', errno: 1213, sqlMessage: 'Deadlock found when trying to get lock; try restarting transaction' },
      { code: 'ER_LOCK_WAIT_TIMEOUT', errno: 1205, sqlMessage: 'Lock wait timeout exceeded; try restarting transaction' },
      { code: 'ER_UNKNOWN_COM_ERROR', errno: 1047, sqlMessage: 'WSREP has not yet prepared node for application use' }
    ]
    for (const driverError of cases) {
      const err = new QueryFailedError('UPDATE t SET v = 1', [], Object.assign(new Error(driverError.sqlMessage), driverError))
      const mapped = mapError(err)
      expect(mapped.status).toBe(503)
      expect(mapped.problem.code).toBe('service_unavailable')
      expect(Number(mapped.headers['Retry-After'])).toBeGreaterThanOrEqual(1)
    }
  })
})

describe.skipIf(TEST_DB_KIND !== 'mariadb')('deadlocks injected on MariaDB', () => {
  let db: TestDatabase
  let adversary: mysql.Connection

  beforeAll(async () => {
    db = await openTestDatabase()
    await db.ds.query('CREATE TABLE deadlock_probe (id int PRIMARY KEY, v int NOT NULL) ENGINE=InnoDB')
    await db.ds.query(`INSERT INTO deadlock_probe (id, v) VALUES ${Array.from({ length: 40 }, (_, i) => `(${i + 1}, 0)`).join(', ')}`)
    if (!db.url) throw new Error('no url')
    adversary = await mysql.createConnection(db.url)
  }, 60_000)
  afterAll(async () => {
    await adversary?.end()
    await db?.close()
  })

  const values = async () => (await db.ds.query('SELECT SUM(v) AS s FROM deadlock_probe')) as Array<{ s: string | number }>

  it('runs the loser of a deadlock again: two transactions locking rows 1 and 2 in opposite order both commit', async () => {
    const before = { ...lockConflictStats }
    let bothHoldFirst: () => void = () => undefined
    const held = new Promise<void>((resolve) => (bothHoldFirst = resolve))
    let holding = 0
    const lockInOrder = (first: number, second: number) =>
      withTx(db.ds, async (em) => {
        await em.query('UPDATE deadlock_probe SET v = v + 1 WHERE id = ?', [first])
        if (++holding === 2) bothHoldFirst()
        await Promise.race([held, sleep(2000)]) // a retry finds the barrier passed and goes straight on
        await em.query('UPDATE deadlock_probe SET v = v + 1 WHERE id = ?', [second])
      })
    await Promise.all([lockInOrder(1, 2), lockInOrder(2, 1)])
    expect(lockConflictStats.conflicts - before.conflicts).toBeGreaterThanOrEqual(1)
    expect(lockConflictStats.exhausted - before.exhausted).toBe(0)
    const rows = (await db.ds.query('SELECT id, v FROM deadlock_probe WHERE id IN (1, 2) ORDER BY id')) as Array<{ id: number; v: number }>
    expect(rows.map((r) => Number(r.v))).toEqual([2, 2])
  })

  it('answers 503 with Retry-After (not 500) when every attempt loses a deadlock, and leaves nothing half-done', async () => {
    const sumBefore = Number((await values())[0]?.s)
    const before = { ...lockConflictStats }
    let attempts = 0
    // Each attempt of the request's transaction locks row 1, then wants row 2, which an adversary holds
    // (with 39 changed rows, so InnoDB picks the request as the victim) while it wants row 1.
    const app = new Koa()
    app.use(errorHandler(createLogger('silent')))
    app.use(async (ctx) => {
      await withTx(db.ds, async (em) => {
        attempts++
        await em.query('SELECT v FROM deadlock_probe WHERE id = 1 FOR UPDATE')
        await adversary.query('START TRANSACTION')
        await adversary.query('UPDATE deadlock_probe SET v = v + 1 WHERE id >= 2')
        const wanted = em.query('UPDATE deadlock_probe SET v = v + 1 WHERE id = 2')
        await sleep(100)
        const adversaryWants = adversary.query('SELECT v FROM deadlock_probe WHERE id = 1 FOR UPDATE')
        try {
          await wanted
        } finally {
          await adversaryWants.catch(() => undefined)
          await adversary.query('ROLLBACK')
        }
      })
      ctx.body = { ok: true }
    })
    const res = await request(app.callback()).post('/probe').send({})
    expect(res.status).toBe(503)
    expect(res.body.code).toBe('service_unavailable')
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1)
    expect(attempts).toBe(LOCK_RETRY.attempts)
    expect(lockConflictStats.exhausted - before.exhausted).toBe(1)
    expect(Number((await values())[0]?.s)).toBe(sumBefore)
  }, 30_000)
})
