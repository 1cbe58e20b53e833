import type { DataSource, EntityManager } from 'typeorm'

/**
 * TypeORM on better-sqlite3 shares one connection: two overlapping transactions corrupt each other,
 * and a plain write issued while a transaction is open silently joins (and dies with) it. Every
 * SQLite write therefore goes through one queue per DataSource (recipes/backend.md §6). On MySQL and
 * MariaDB the queue is a pass-through and the pool gives real concurrency.
 */
const queues = new WeakMap<DataSource, Promise<unknown>>()

function enqueue<T>(ds: DataSource, job: () => Promise<T>): Promise<T> {
  const previous = queues.get(ds) ?? Promise.resolve()
  const run = previous.then(job, job)
  queues.set(
    ds,
    run.catch(() => undefined)
  )
  return run
}

export function isSqlite(ds: DataSource): boolean {
  return ds.options.type === 'better-sqlite3'
}

/** Runs fn in one transaction; the only way the code base opens one. */
export function withTx<T>(ds: DataSource, fn: (em: EntityManager) => Promise<T>): Promise<T> {
  return isSqlite(ds) ? enqueue(ds, () => ds.transaction(fn)) : ds.transaction(fn)
}

/** Runs a write that needs no transaction (a single statement) without racing an open SQLite transaction. */
export function withWrite<T>(ds: DataSource, fn: (em: EntityManager) => Promise<T>): Promise<T> {
  return isSqlite(ds) ? enqueue(ds, () => fn(ds.manager)) : fn(ds.manager)
}
