import { mkdirSync } from 'node:fs'
import path from 'node:path'
import 'reflect-metadata'
import { DataSource, type DataSourceOptions } from 'typeorm'
import type { Config } from '../config'
import { entities } from './entities'
import { migrations } from './migrations/index'

/**
 * DATABASE_URL (mysql:// or mariadb://) selects MySQL, MariaDB or TiDB through mysql2; without it the
 * embedded SQLite file in DATA_DIR. The same entities and migrations serve both; `synchronize` is
 * never on, the schema comes only from migrations.
 */
export function dataSourceOptions(database: Config['database'], logging = false): DataSourceOptions {
  const common = { entities, migrations, synchronize: false, migrationsRun: false, logging } as const
  if (database.kind === 'sqlite') {
    if (database.file !== ':memory:') mkdirSync(path.dirname(database.file), { recursive: true })
    return { ...common, type: 'better-sqlite3', database: database.file, enableWAL: database.file !== ':memory:', timeout: 10_000 }
  }
  return {
    ...common,
    type: database.kind,
    url: database.url,
    poolSize: database.pool,
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    connectTimeout: 5_000,
    extra: { enableKeepAlive: true }
  }
}

export function createDataSource(database: Config['database']): DataSource {
  return new DataSource(dataSourceOptions(database))
}

/** Opens the database and applies pending migrations (both idempotent across instances). */
export async function openDatabase(database: Config['database']): Promise<DataSource> {
  const ds = createDataSource(database)
  await ds.initialize()
  if (ds.options.type === 'better-sqlite3') {
    await ds.query('PRAGMA foreign_keys = ON')
    await ds.query('PRAGMA busy_timeout = 10000')
  }
  await ds.runMigrations({ transaction: 'each' })
  return ds
}
