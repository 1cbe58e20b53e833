import { QueryFailedError } from 'typeorm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestDatabase, type TestDatabase } from '../../test/db'
import { LOCK_RETRY, isLockConflict, retryOnLockConflict, withTx } from './tx'

let db: TestDatabase

beforeAll(async () => {
  db = await openTestDatabase()
})
afterAll(async () => {
  await db.close()
})

const conflict = (code: string) => new QueryFailedError('UPDATE …', [], Object.assign(new Error(code), { code }))

describe('lock conflicts', () => {
  it('runs a write that lost a deadlock or a lock wait again, and returns its result', async () => {
    for (const code of ['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT']) {
      let runs = 0
      const result = await retryOnLockConflict(async () => {
        runs++
        if (runs < 3) throw conflict(code)
        return 'written'
      })
      expect(result).toBe('written')
      expect(runs).toBe(3)
    }
  })

  it('gives up after a bounded number of tries and passes the last conflict on', async () => {
    let runs = 0
    await expect(
      retryOnLockConflict(async () => {
        runs++
        throw conflict('ER_LOCK_DEADLOCK')
      })
    ).rejects.toSatisfy(isLockConflict)
    expect(runs).toBe(LOCK_RETRY.attempts)
  })

  it('never repeats a write that failed for any other reason', async () => {
    let runs = 0
    await expect(
      retryOnLockConflict(async () => {
        runs++
        throw conflict('ER_DUP_ENTRY')
      })
    ).rejects.toBeInstanceOf(QueryFailedError)
    expect(runs).toBe(1)
  })

  it.skipIf(process.env.TEST_DB !== 'mariadb')('lets two transactions that deadlock each other both commit (MariaDB)', async () => {
    await db.ds.query('CREATE TABLE tx_probe (id INT PRIMARY KEY, v INT NOT NULL) ENGINE=InnoDB')
    await db.ds.query('INSERT INTO tx_probe (id, v) VALUES (1, 0), (2, 0)')
    let runs = 0
    let arrived = 0
    let release: () => void = () => undefined
    const bothHoldOne = new Promise<void>((resolve) => (release = resolve))
    const crossing = (first: number, second: number) =>
      withTx(db.ds, async (em) => {
        runs++
        await em.query('UPDATE tx_probe SET v = v + 1 WHERE id = ?', [first])
        if (++arrived === 2) release()
        await bothHoldOne
        await em.query('UPDATE tx_probe SET v = v + 1 WHERE id = ?', [second])
      })
    await Promise.all([crossing(1, 2), crossing(2, 1)])
    expect(runs).toBe(3)
    const rows = (await db.ds.query('SELECT id, v FROM tx_probe ORDER BY id')) as Array<{ id: number; v: number }>
    expect(rows.map((r) => Number(r.v))).toEqual([2, 2])
    await db.ds.query('DROP TABLE tx_probe')
  })
})
