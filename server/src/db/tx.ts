import { setTimeout as sleep } from 'node:timers/promises'
import type { DataSource, EntityManager } from 'typeorm'

/**
 * TypeORM on better-sqlite3 shares one connection: two overlapping transactions corrupt each other,
 * and a plain write issued while a transaction is open silently joins (and dies with) it. Every
 * SQLite write therefore goes through one queue per DataSource (docs/architecture.md "SQLite's one write queue"). On MySQL and
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

/** How often a write that lost a lock conflict is run again, and the first pause (doubling, with jitter). */
export const LOCK_RETRY = { attempts: 4, firstPauseMs: 15 } as const

/**
 * True for InnoDB's "try again" answers: a deadlock (ER_LOCK_DEADLOCK, the transaction was rolled
 * back) or a lock wait that timed out (ER_LOCK_WAIT_TIMEOUT; the transaction is rolled back by the
 * caller's ROLLBACK). Neither means the write was wrong, only that it met another one.
 */
export function isLockConflict(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false
  const e = err as { code?: unknown; driverError?: { code?: unknown } }
  const code = e.driverError?.code ?? e.code
  return code === 'ER_LOCK_DEADLOCK' || code === 'ER_LOCK_WAIT_TIMEOUT'
}

/**
 * Lock conflicts this process met in retryOnLockConflict: all of them, those run again, and those
 * still failing after LOCK_RETRY.attempts (answered 503). Read by the multi-instance tests and the
 * Galera run (docs/operations.md "Galera").
 */
export const lockConflictStats = { conflicts: 0, retried: 0, exhausted: 0 }

/**
 * Runs `job` again when it lost a lock conflict, LOCK_RETRY.attempts times in all, so a deadlock is a
 * short pause for the caller rather than an HTTP 500. The one place the code base retries them:
 * withTx and withWrite use it, and so does the submission's single-statement transaction. `job` must
 * be all-or-nothing (a transaction, or one statement), as everything passed to withTx/withWrite is.
 */
export async function retryOnLockConflict<T>(job: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await job()
    } catch (err) {
      if (!isLockConflict(err)) throw err
      lockConflictStats.conflicts++
      if (attempt >= LOCK_RETRY.attempts) {
        lockConflictStats.exhausted++
        throw err // the error handler answers 503 with Retry-After (http/problem.ts)
      }
      lockConflictStats.retried++
      const pause = LOCK_RETRY.firstPauseMs * 2 ** (attempt - 1)
      await sleep(pause + Math.random() * pause)
    }
  }
}

/**
 * At most (pool − 1) transactions open at once per MariaDB/MySQL DataSource; the rest wait here, in
 * arrival order, before taking a connection. Code inside a transaction sometimes reads through the
 * pool rather than its own connection (routing's reference data and grid index when their copy in
 * memory is stale, docs/performance.md "Contention"). With every connection held by an open
 * transaction, that read could never get one: the transactions waited on it for ever (with
 * DB_ACQUIRE_TIMEOUT_MS, until it failed with 503), and a booking holding a slot's row lock kept
 * everyone queued behind it. One connection always left to the rest makes that wait short.
 */
class TransactionGate {
  private readonly waiting: Array<() => void> = []
  constructor(private free: number) {}

  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--
    else await new Promise<void>((resolve) => this.waiting.push(resolve))
    try {
      return await job()
    } finally {
      const next = this.waiting.shift()
      if (next) next()
      else this.free++
    }
  }
}

/** mysql2's own default when DB_POOL is not given. */
const DEFAULT_POOL = 10
const gates = new WeakMap<DataSource, TransactionGate>()

function transactionGate(ds: DataSource): TransactionGate {
  let gate = gates.get(ds)
  if (!gate) {
    const pool = ds.options.poolSize ?? DEFAULT_POOL
    gate = new TransactionGate(Math.max(1, pool - 1))
    gates.set(ds, gate)
  }
  return gate
}

/** Runs fn in one transaction (again, whole, after a deadlock); the only way the code base opens one. */
export function withTx<T>(ds: DataSource, fn: (em: EntityManager) => Promise<T>): Promise<T> {
  if (isSqlite(ds)) return enqueue(ds, () => ds.transaction(fn))
  const gate = transactionGate(ds)
  return retryOnLockConflict(() => gate.run(() => ds.transaction(fn)))
}

/**
 * Runs a write that needs no transaction (a single statement) without racing an open SQLite
 * transaction; on MariaDB/MySQL a statement that lost a deadlock is run again.
 */
export function withWrite<T>(ds: DataSource, fn: (em: EntityManager) => Promise<T>): Promise<T> {
  return isSqlite(ds) ? enqueue(ds, () => fn(ds.manager)) : retryOnLockConflict(() => fn(ds.manager))
}
