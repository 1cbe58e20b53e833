import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DataSource } from 'typeorm'
import { openTestDatabase, TEST_DB_KIND, type TestDatabase } from '../../test/db'
import { createDataSource } from './data-source'
import { withTx } from './tx'

/*
 * docs/performance.md "Contention": code inside a transaction that reads through the pool (routing's
 * reference data when its copy in memory is stale) must still get a connection when many
 * transactions are open. SQLite has one connection and a queue, so this is about MariaDB/MySQL.
 */
const POOL = 3
let db: TestDatabase
let small: DataSource | undefined

beforeAll(async () => {
  db = await openTestDatabase()
  if (db.url) {
    small = createDataSource({ kind: 'mariadb', url: db.url, pool: POOL })
    await small.initialize()
  }
})
afterAll(async () => {
  await small?.destroy()
  await db.close()
})

describe.skipIf(TEST_DB_KIND !== 'mariadb')('transactions on a pool of 3 connections', () => {
  it('all finish when each one reads through the pool while it is open (at most pool − 1 open at once)', { timeout: 30_000 }, async () => {
    const ds = small
    if (!ds) throw new Error('no MariaDB URL for the small pool')
    let open = 0
    let mostOpen = 0
    const results = Promise.all(
      Array.from({ length: 4 * POOL }, (_, i) =>
        withTx(ds, async (em) => {
          open++
          mostOpen = Math.max(mostOpen, open)
          try {
            await em.query('SELECT 1')
            // A read outside the transaction, as a stale reference cache makes one.
            const [row] = (await ds.query('SELECT ? AS n', [i])) as Array<{ n: number | string }>
            return Number(row?.n)
          } finally {
            open--
          }
        })
      )
    )
    // Without the gate, POOL transactions hold every connection and each waits for one more: for ever.
    const hung = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the transactions waited for a connection for 20 s')), 20_000).unref())
    expect(await Promise.race([results, hung])).toEqual(Array.from({ length: 4 * POOL }, (_, i) => i))
    expect(mostOpen).toBe(POOL - 1)
  })
})
