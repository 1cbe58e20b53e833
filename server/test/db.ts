import { randomBytes } from 'node:crypto'
import mysql from 'mysql2/promise'
import type { DataSource } from 'typeorm'
import { createDataSource } from '../src/db/data-source'

export type TestDbKind = 'sqlite' | 'mariadb'

/** Which database this run of the suite uses: `TEST_DB=sqlite|mariadb` (npm test runs both). */
export const TEST_DB_KIND: TestDbKind = process.env.TEST_DB === 'mariadb' ? 'mariadb' : 'sqlite'
export const TEST_MARIADB_URL = process.env.TEST_MARIADB_URL ?? 'mysql://root@127.0.0.1:3306'

export interface TestDatabase {
  ds: DataSource
  kind: TestDbKind
  /** The mysql:// URL of this file's own database (MariaDB only), for a second DataSource in the same test. */
  url?: string
  close: () => Promise<void>
}

/**
 * A database of the test file's own: a fresh in-memory SQLite, or a new MariaDB database with a random
 * name (so two suites, or two helpers, never collide), migrated from scratch and dropped at the end.
 */
export async function openTestDatabase(kind: TestDbKind = TEST_DB_KIND): Promise<TestDatabase> {
  if (kind === 'sqlite') {
    const ds = createDataSource({ kind: 'sqlite', file: ':memory:' })
    await ds.initialize()
    await ds.query('PRAGMA foreign_keys = ON')
    await ds.runMigrations({ transaction: 'each' })
    return { ds, kind, close: () => ds.destroy() }
  }
  const name = `palm_test_${process.pid}_${randomBytes(4).toString('hex')}`
  const admin = await mysql.createConnection(TEST_MARIADB_URL)
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`)
  await admin.end()
  const url = `${TEST_MARIADB_URL.replace(/\/$/, '')}/${name}`
  const ds = createDataSource({ kind: 'mariadb', url, pool: 20 })
  await ds.initialize()
  await ds.runMigrations({ transaction: 'each' })
  return {
    ds,
    kind,
    url,
    close: async () => {
      if (ds.isInitialized) await ds.destroy()
      const drop = await mysql.createConnection(TEST_MARIADB_URL)
      await drop.query(`DROP DATABASE IF EXISTS \`${name}\``)
      await drop.end()
    }
  }
}
