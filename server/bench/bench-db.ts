import { randomBytes } from 'node:crypto'
import mysql from 'mysql2/promise'
import type { DataSource } from 'typeorm'
import { createDataSource } from '../src/db/data-source'

/** The MariaDB server the benchmarks use (a database of their own is made and dropped on it). */
export const BENCH_MARIADB_URL = (process.env.TEST_MARIADB_URL ?? 'mysql://root@127.0.0.1:3306').replace(/\/$/, '')

export interface BenchDatabase {
  name: string
  url: string
  ds: DataSource
  /** Closes the DataSource and drops the database. */
  drop: () => Promise<void>
}

/** A fresh MariaDB database with a random name, migrated like production (migrations only, no synchronize). */
export async function createBenchDatabase(tag: string, pool = 10): Promise<BenchDatabase> {
  const name = `palm_bench_${tag}_${process.pid}_${randomBytes(3).toString('hex')}`
  const admin = await mysql.createConnection(BENCH_MARIADB_URL)
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`)
  await admin.end()
  const url = `${BENCH_MARIADB_URL}/${name}`
  const ds = createDataSource({ kind: 'mariadb', url, pool })
  await ds.initialize()
  await ds.runMigrations({ transaction: 'each' })
  return {
    name,
    url,
    ds,
    drop: async () => {
      if (ds.isInitialized) await ds.destroy()
      const conn = await mysql.createConnection(BENCH_MARIADB_URL)
      await conn.query(`DROP DATABASE IF EXISTS \`${name}\``)
      await conn.end()
    }
  }
}

export function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN
}

export const fmt = (n: number, digits = 1) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
