import { mkdirSync } from 'node:fs'
import path from 'node:path'
import 'reflect-metadata'
import { DataSource, type DataSourceOptions } from 'typeorm'
import type { Config, DatabaseLimits } from '../config'
import { entities } from './entities'
import { migrations } from './migrations/index'

/** SQLite's wait for a lock held by another process when no limits are given (CLIs, migrations). */
const UNBOUNDED_SQLITE_BUSY_MS = 10_000

/**
 * DATABASE_URL (mysql:// or mariadb://) selects MySQL, MariaDB or TiDB through mysql2; without it the
 * embedded SQLite file in DATA_DIR. The same entities and migrations serve both; `synchronize` is
 * never on, the schema comes only from migrations.
 *
 * With `limits` (the serving app), every query is bounded (mysql2's per-query timeout, which also
 * drops the connection) and so is opening a connection; SQLite waits for another process's lock only
 * `acquireTimeoutMs` and then fails with SQLITE_BUSY. Both surface as 503 (http/problem.ts).
 */
export function dataSourceOptions(database: Config['database'], logging = false, limits?: DatabaseLimits): DataSourceOptions {
  const common = { entities, migrations, synchronize: false, migrationsRun: false, logging } as const
  if (database.kind === 'sqlite') {
    if (database.file !== ':memory:') mkdirSync(path.dirname(database.file), { recursive: true })
    const busyMs = limits?.acquireTimeoutMs ?? UNBOUNDED_SQLITE_BUSY_MS
    return { ...common, type: 'better-sqlite3', database: database.file, enableWAL: database.file !== ':memory:', timeout: busyMs }
  }
  return {
    ...common,
    type: database.kind,
    url: database.url,
    poolSize: database.pool,
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    connectTimeout: limits ? Math.min(limits.acquireTimeoutMs, 5_000) : 5_000,
    ...(limits ? { enableQueryTimeout: true, maxQueryExecutionTime: limits.queryTimeoutMs } : {}),
    extra: { enableKeepAlive: true }
  }
}

export function createDataSource(database: Config['database'], limits?: DatabaseLimits): DataSource {
  const ds = new DataSource(dataSourceOptions(database, false, limits))
  if (limits && database.kind !== 'sqlite') boundPoolAcquisition(ds, limits.acquireTimeoutMs)
  return ds
}

/** The error a request meets when no pooled connection came within DB_ACQUIRE_TIMEOUT_MS (mapped to 503). */
export class PoolAcquireTimeoutError extends Error {
  readonly code = 'POOL_ACQUIRE_TIMEOUT'
  constructor(ms: number) {
    super(`No database connection within ${ms} ms`)
  }
}

type QueryCallback = (err: unknown, ...rest: unknown[]) => void
interface PooledConnection {
  release: () => void
  destroy: () => void
  query: (...args: unknown[]) => unknown
}

const watched = new WeakSet<PooledConnection>()

/**
 * mysql2 hands a connection whose query timed out back to the pool with the unanswered command still
 * queued on it, so the next query there would wait behind it for ever. A timed-out connection is
 * therefore destroyed (it leaves the pool; TypeORM's later release() is a no-op).
 */
function destroyOnTimeout(connection: PooledConnection): PooledConnection {
  if (watched.has(connection)) return connection
  watched.add(connection)
  const query = connection.query.bind(connection)
  connection.query = (...args: unknown[]) => {
    const callback = args[args.length - 1]
    if (typeof callback === 'function') {
      const done = callback as QueryCallback
      args[args.length - 1] = (err: unknown, ...rest: unknown[]) => {
        if ((err as { code?: unknown } | null)?.code === 'PROTOCOL_SEQUENCE_TIMEOUT') connection.destroy()
        done(err, ...rest)
      }
    }
    return query(...args)
  }
  return connection
}
interface AcquiringDriver {
  obtainMasterConnection: () => Promise<PooledConnection>
  obtainSlaveConnection: () => Promise<PooledConnection>
}

/**
 * mysql2's pool queues a request for a connection without limit (TypeORM's acquireTimeout is a
 * mysql-driver option mysql2 ignores), so with every connection stuck on a frozen server a request
 * would wait for ever. This bounds the wait; a connection that arrives after the caller gave up goes
 * straight back to the pool. Connections handed out are destroyed when a query on them times out.
 */
function boundPoolAcquisition(ds: DataSource, ms: number): void {
  const driver = ds.driver as unknown as AcquiringDriver
  const bound = (obtain: () => Promise<PooledConnection>) => () =>
    new Promise<PooledConnection>((resolve, reject) => {
      let gaveUp = false
      const timer = setTimeout(() => {
        gaveUp = true
        reject(new PoolAcquireTimeoutError(ms))
      }, ms)
      obtain().then(
        (connection) => {
          clearTimeout(timer)
          if (gaveUp) connection.release()
          else resolve(destroyOnTimeout(connection))
        },
        (err: unknown) => {
          clearTimeout(timer)
          if (!gaveUp) reject(err)
        }
      )
    })
  driver.obtainMasterConnection = bound(driver.obtainMasterConnection.bind(driver))
  driver.obtainSlaveConnection = bound(driver.obtainSlaveConnection.bind(driver))
}

/**
 * Opens the database and applies pending migrations (both idempotent across instances). Migrations
 * run on a connection of their own without the limits (an ALTER on a big table may take minutes);
 * the DataSource returned, the one requests use, has them.
 */
export async function openDatabase(database: Config['database'], limits?: DatabaseLimits): Promise<DataSource> {
  if (limits && database.kind !== 'sqlite') {
    const migrator = await openDatabase(database)
    await migrator.destroy()
    const ds = createDataSource(database, limits)
    await ds.initialize()
    return ds
  }
  const ds = createDataSource(database, limits)
  await ds.initialize()
  if (ds.options.type === 'better-sqlite3') {
    await ds.query('PRAGMA foreign_keys = ON')
    await ds.query(`PRAGMA busy_timeout = ${limits?.acquireTimeoutMs ?? UNBOUNDED_SQLITE_BUSY_MS}`)
  }
  await ds.runMigrations({ transaction: 'each' })
  return ds
}
