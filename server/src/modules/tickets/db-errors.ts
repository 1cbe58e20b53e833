import { QueryFailedError } from 'typeorm'

/** True for a unique-index violation on MySQL/MariaDB or SQLite: the portable "already exists". */
export function isUniqueViolation(err: unknown): boolean {
  if (!(err instanceof QueryFailedError)) return false
  const code = (err.driverError as { code?: unknown } | undefined)?.code
  return code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
}
