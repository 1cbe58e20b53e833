import { QueryFailedError } from 'typeorm'

/**
 * True for a unique-index violation on MariaDB/MySQL or SQLite: the portable "already exists", how
 * "one per person" rules refuse a second row and how a claim finds it was taken. The one copy for
 * the whole server.
 */
export function isUniqueViolation(err: unknown): boolean {
  if (!(err instanceof QueryFailedError)) return false
  const code = (err.driverError as { code?: unknown } | undefined)?.code
  return code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
}
