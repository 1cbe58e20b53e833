import { QueryFailedError, type DataSource, type EntityManager } from 'typeorm'

interface PreparingConnection {
  execute: (sql: string, values: unknown[], callback: (err: Error | null, result: unknown) => void) => void
  release: () => void
  destroy: () => void
}

interface MasterDriver {
  obtainMasterConnection: () => Promise<PreparingConnection>
}

/**
 * Runs one statement on MariaDB/MySQL as a server-side prepared statement (mysql2 `execute`): each
 * pooled connection prepares a statement text once and keeps it, and the values travel in binary
 * instead of being escaped into the text. For a long statement sent on every request (the
 * submission's compound write, ~9 KB of SQL and ~150 values) that saves the client's escaping and
 * the server's parsing each time (bench/README.md). Otherwise it behaves as `ds.query()`: the
 * connection comes from TypeORM's driver (so DB_ACQUIRE_TIMEOUT_MS bounds the wait for one in the
 * serving app), the query timeout applies and a timed-out connection is dropped (data-source.ts),
 * the logger sees the statement, and a failure is a QueryFailedError around mysql2's error.
 */
export async function executePrepared(ds: DataSource, sql: string, values: unknown[]): Promise<unknown> {
  const connection = await (ds.driver as unknown as MasterDriver).obtainMasterConnection()
  const options = ds.options as { enableQueryTimeout?: boolean; maxQueryExecutionTime?: number }
  const timeout = options.enableQueryTimeout ? options.maxQueryExecutionTime : undefined
  ds.logger.logQuery(sql, values)
  let timer: NodeJS.Timeout | undefined
  try {
    return await new Promise((resolve, reject) => {
      connection.execute(sql, values, (err, result) => (err ? reject(err) : resolve(result)))
      // mysql2's own timeout starts with the execution, after the statement is prepared: a server that
      // stops answering during the prepare would hold the request for ever. This one covers both.
      if (timeout) timer = setTimeout(() => reject(queryTimeout()), timeout)
    })
  } catch (err) {
    if ((err as { code?: unknown }).code === 'PROTOCOL_SEQUENCE_TIMEOUT') connection.destroy()
    ds.logger.logQueryError(err as Error, sql, values)
    throw new QueryFailedError(sql, values, err as Error)
  } finally {
    clearTimeout(timer)
    connection.release()
  }
}

/** What mysql2 raises for a query timeout (http/problem.ts answers it with 503). */
function queryTimeout(): Error {
  return Object.assign(new Error('Query inactivity timeout'), { code: 'PROTOCOL_SEQUENCE_TIMEOUT', errorno: 'PROTOCOL_SEQUENCE_TIMEOUT', syscall: 'query' })
}

/**
 * A read with a fixed SQL text sent on (nearly) every request, such as the sign-in check: prepared
 * (executePrepared) on MariaDB/MySQL when `em` is no transaction's, else `em.query()` (SQLite, and
 * inside a transaction, whose own connection must run it). Rows come back as from `em.query()`;
 * mysql2's binary protocol gives the same JavaScript types for the columns such reads return
 * (strings, numbers, dates).
 */
export async function queryFixed<T>(em: EntityManager, sql: string, values: unknown[]): Promise<T[]> {
  if (em.queryRunner || em.connection.options.type === 'better-sqlite3') return (await em.query(sql, values)) as T[]
  return (await executePrepared(em.connection, sql, values)) as T[]
}
