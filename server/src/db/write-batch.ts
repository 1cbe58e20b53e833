import type { DataSource, EntityManager, EntityTarget, ObjectLiteral, QueryRunner } from 'typeorm'
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata.js'
import { executePrepared } from './prepared'
import { retryOnLockConflict, withTx } from './tx'

/**
 * Plain multi-row INSERTs, written out once per table and row count from the entity metadata, with
 * every value converted by the driver exactly as TypeORM's own insert does (`preparePersistentValue`:
 * dates, booleans). Unlike `repository.insert()` there is no RETURNING on MariaDB and no re-SELECT
 * on SQLite: the rows are complete (every column given), so nothing needs reading back. Measured at
 * about a tenth of the CPU of the query builder per statement (bench/README.md).
 */
interface InsertShape {
  table: string
  columns: ColumnMetadata[]
  sqlByRowCount: Map<number, string>
  head: string
  tuple: string
}

const shapes = new WeakMap<DataSource, Map<EntityTarget<ObjectLiteral>, InsertShape>>()

function shapeOf(ds: DataSource, entity: EntityTarget<ObjectLiteral>): InsertShape {
  let perSource = shapes.get(ds)
  if (!perSource) {
    perSource = new Map()
    shapes.set(ds, perSource)
  }
  let shape = perSource.get(entity)
  if (!shape) {
    const metadata = ds.getMetadata(entity)
    const columns = metadata.columns.filter((c) => !c.isVirtual)
    const names = columns.map((c) => ds.driver.escape(c.databaseName)).join(', ')
    shape = {
      table: metadata.tableName,
      columns,
      sqlByRowCount: new Map(),
      head: `INSERT INTO ${ds.driver.escape(metadata.tableName)} (${names}) VALUES `,
      tuple: `(${columns.map(() => '?').join(', ')})`
    }
    perSource.set(entity, shape)
  }
  return shape
}

/** The INSERT statement and its parameters for these rows (every column must be given; null is a value). */
export function insertStatement<T extends ObjectLiteral>(ds: DataSource, entity: EntityTarget<T>, rows: readonly T[]): { sql: string; params: unknown[] } {
  const shape = shapeOf(ds, entity)
  let sql = shape.sqlByRowCount.get(rows.length)
  if (!sql) {
    sql = shape.head + Array.from({ length: rows.length }, () => shape.tuple).join(', ')
    shape.sqlByRowCount.set(rows.length, sql)
  }
  const params: unknown[] = []
  for (const row of rows) {
    for (const column of shape.columns) {
      const value: unknown = column.getEntityValue(row)
      if (value === undefined) throw new Error(`insertStatement: ${shape.table}.${column.databaseName} is undefined (give every column; null is a value)`)
      params.push(ds.driver.preparePersistentValue(value, column))
    }
  }
  return { sql, params }
}

/** Inserts complete rows in one statement with the caller's EntityManager (and so its transaction). */
export async function insertRows<T extends ObjectLiteral>(em: EntityManager, entity: EntityTarget<T>, rows: readonly T[]): Promise<void> {
  if (rows.length === 0) return
  const { sql, params } = insertStatement(em.connection, entity, rows)
  await em.query(sql, params)
}

/** A value as the driver stores it in this column (for hand-written UPDATEs). */
export function persistentValue(ds: DataSource, entity: EntityTarget<ObjectLiteral>, propertyName: string, value: unknown): unknown {
  const column = ds.getMetadata(entity).findColumnWithPropertyName(propertyName)
  if (!column) throw new Error(`persistentValue: no column ${propertyName}`)
  return ds.driver.preparePersistentValue(value, column)
}

type Part =
  | { kind: 'insert'; entity: EntityTarget<ObjectLiteral>; rows: ObjectLiteral[] }
  | { kind: 'claim'; entity: EntityTarget<ObjectLiteral>; row: ObjectLiteral; busy: () => Error }
  | { kind: 'guard'; sql: string; params: unknown[]; failure: () => Error }
  | { kind: 'statement'; sql: string; params: unknown[] }

/** The marker a failed guard raises inside a MariaDB compound statement (SIGNAL … MESSAGE_TEXT). */
const GUARD_MARK = 'palm_write_guard_'
/** The marker a claim raises when another transaction holds its unique entry (see claimFirst). */
const BUSY_MARK = 'palm_write_busy_'
const MARKED = new RegExp(`^(${GUARD_MARK}|${BUSY_MARK})(\\d+)$`)
/** MariaDB's ER_LOCK_WAIT_TIMEOUT, as a handler condition. */
const LOCK_WAIT_TIMEOUT = 1205

/**
 * The writes of one submission, queued while it is prepared and written together at the end: the
 * Idempotency-Key with its answer (first), the ticket, its events and photos, the messages and outbox
 * rows of its notices. Consecutive rows of one table become one multi-row INSERT.
 *
 * - `writeWith(em)` runs them in order with the caller's EntityManager (its transaction).
 * - `commit(ds)` runs them in one transaction of their own. On MariaDB that is one round trip: an
 *   anonymous compound statement (`BEGIN NOT ATOMIC … START TRANSACTION … COMMIT … END`) whose exit
 *   handler rolls everything back and re-raises the first error (a duplicate key stays ER_DUP_ENTRY),
 *   prepared once per connection (executePrepared: its text depends only on the tables and row counts).
 *   Elsewhere (SQLite, MySQL) it is `withTx` with one statement per part. Either way it is all or
 *   nothing, like the transaction it replaces; only the number of round trips differs.
 */
export class PendingWrites {
  private readonly parts: Part[] = []

  insert<T extends ObjectLiteral>(entity: EntityTarget<T>, rows: readonly T[]): void {
    if (rows.length === 0) return
    const last = this.parts[this.parts.length - 1]
    if (last?.kind === 'insert' && last.entity === entity) last.rows.push(...rows)
    else this.parts.push({ kind: 'insert', entity, rows: [...rows] })
  }

  /**
   * A row that claims something under a unique index (an Idempotency-Key and its answer), written
   * before everything else queued, so that a taken claim fails the batch before any other write. A
   * claim committed by someone else is an ordinary unique violation. A claim another transaction holds
   * uncommitted (the same key being written right now) is `busy()` at once on MariaDB instead of a
   * wait for that transaction: the statement runs with innodb_lock_wait_timeout = 0. SQLite writes
   * one transaction at a time, so there the claim only ever meets committed rows.
   */
  claimFirst<T extends ObjectLiteral>(entity: EntityTarget<T>, row: T, busy: () => Error): void {
    this.parts.unshift({ kind: 'claim', entity, row, busy })
  }

  /**
   * An UPDATE (or DELETE) that must change exactly one row, else everything is undone and `failure()`
   * is thrown: a conditional write such as completing an Idempotency-Key claim that is still ours.
   * `params` must already be stored values (see persistentValue); `?` placeholders only.
   */
  guard(sql: string, params: unknown[], failure: () => Error): void {
    this.parts.push({ kind: 'guard', sql, params, failure })
  }

  /**
   * A write that must succeed, else everything is undone and its error thrown as is: a shared
   * limit's hit (modules/limits), whose CHECK refusal then takes the whole submission back.
   */
  statement(sql: string, params: unknown[]): void {
    this.parts.push({ kind: 'statement', sql, params })
  }

  get isEmpty(): boolean {
    return this.parts.length === 0
  }

  async writeWith(em: EntityManager): Promise<void> {
    for (const part of this.parts) {
      if (part.kind === 'insert') {
        await insertRows(em, part.entity, part.rows)
        continue
      }
      if (part.kind === 'claim') {
        await insertRows(em, part.entity, [part.row])
        continue
      }
      if (part.kind === 'statement') {
        await em.query(part.sql, part.params)
        continue
      }
      if ((await affectedRows(em, part.sql, part.params)) !== 1) throw part.failure()
    }
  }

  async commit(ds: DataSource): Promise<void> {
    if (this.parts.length === 0) return
    if (ds.options.type !== 'mariadb') {
      await withTx(ds, (em) => this.writeWith(em))
      return
    }
    const statements: string[] = []
    const params: unknown[] = []
    this.parts.forEach((part, index) => {
      if (part.kind === 'insert') {
        const insert = insertStatement(ds, part.entity, part.rows)
        statements.push(insert.sql)
        params.push(...insert.params)
      } else if (part.kind === 'claim') {
        const insert = insertStatement(ds, part.entity, [part.row])
        statements.push(
          `BEGIN DECLARE EXIT HANDLER FOR ${LOCK_WAIT_TIMEOUT} SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '${BUSY_MARK}${index}'; SET STATEMENT innodb_lock_wait_timeout = 0 FOR ${insert.sql}; END`
        )
        params.push(...insert.params)
      } else if (part.kind === 'statement') {
        statements.push(part.sql)
        params.push(...part.params)
      } else {
        statements.push(part.sql, `IF ROW_COUNT() <> 1 THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '${GUARD_MARK}${index}'; END IF`)
        params.push(...part.params)
      }
    })
    const sql = `BEGIN NOT ATOMIC DECLARE EXIT HANDLER FOR SQLEXCEPTION BEGIN ROLLBACK; RESIGNAL; END; START TRANSACTION; ${statements.join('; ')}; COMMIT; END`
    try {
      await retryOnLockConflict(() => executePrepared(ds, sql, params))
    } catch (err) {
      const message = (err as { driverError?: { sqlMessage?: unknown } }).driverError?.sqlMessage
      const marked = typeof message === 'string' ? MARKED.exec(message) : null
      const part = marked ? this.parts[Number(marked[2])] : undefined
      if (part?.kind === 'guard' && marked?.[1] === GUARD_MARK) throw part.failure()
      if (part?.kind === 'claim' && marked?.[1] === BUSY_MARK) throw part.busy()
      throw err
    }
  }
}

/** Rows changed by a write, on both databases (raw `query()` results differ by driver; a structured result does not). */
async function affectedRows(em: EntityManager, sql: string, params: unknown[]): Promise<number> {
  const own: QueryRunner | undefined = em.queryRunner ? undefined : em.connection.createQueryRunner()
  const runner = em.queryRunner ?? own
  if (!runner) throw new Error('affectedRows: no query runner')
  try {
    return (await runner.query(sql, params, true)).affected ?? 0
  } finally {
    await own?.release()
  }
}
