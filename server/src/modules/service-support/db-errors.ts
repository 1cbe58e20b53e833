import { QueryFailedError } from 'typeorm'

/** True for a unique-index violation on MariaDB/MySQL or SQLite: how "one per person" rules refuse a second row. */
export function isUniqueViolation(err: unknown): boolean {
  if (!(err instanceof QueryFailedError)) return false
  const code = (err.driverError as { code?: string } | undefined)?.code
  return code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
}
