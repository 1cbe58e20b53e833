import type { ErrorCode, FieldIssue, Problem } from '@palm/shared'
import { formatIssuePath } from '@palm/shared'
import { isUniqueViolation } from '../db/errors'
import { ZodError } from 'zod'
import { AppError } from '../errors'

const TITLES: Partial<Record<number, string>> = {
  400: 'Bad request',
  401: 'Unauthenticated',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  429: 'Too many requests',
  500: 'Internal error',
  503: 'Service unavailable'
}

export interface MappedError {
  status: number
  problem: Omit<Problem, 'requestId' | 'instance'>
  headers: Record<string, string>
  /** True when the cause is ours (a bug or an outage), so it is logged with its stack. */
  reportable: boolean
}

function problem(status: number, code: ErrorCode, detail: string, errors?: FieldIssue[], data?: Record<string, unknown>) {
  return {
    type: `/problems/${code.replace(/_/g, '-')}`,
    title: TITLES[status] ?? 'Error',
    status,
    code,
    detail,
    ...(errors && errors.length ? { errors } : {}),
    ...(data ?? {})
  }
}

const CONNECTION_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_ACCESS_DENIED_ERROR',
  'ENOTFOUND',
  'EHOSTUNREACH',
  // Bounded waits (db/data-source.ts, docs/operations.md): a query past DB_QUERY_TIMEOUT_MS, no pooled
  // connection within DB_ACQUIRE_TIMEOUT_MS, MariaDB's max_statement_time, SQLite locked by another process.
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'POOL_ACQUIRE_TIMEOUT',
  'ER_STATEMENT_TIMEOUT',
  'SQLITE_BUSY',
  'SQLITE_BUSY_SNAPSHOT',
  'SQLITE_BUSY_RECOVERY',
  'SQLITE_LOCKED'
])

/** True for the errors a database client raises when the server is unreachable. */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false
  const e = err as { code?: unknown; driverError?: { code?: unknown }; errno?: unknown; message?: unknown }
  const code = typeof e.code === 'string' ? e.code : typeof e.driverError?.code === 'string' ? e.driverError.code : undefined
  if (code && CONNECTION_ERRORS.has(code)) return true
  return (
    typeof e.message === 'string' &&
    /connect ECONNREFUSED|Pool is closed|Connection lost|Can't add new command when connection is in closed state|database connection is not open|DataSource is not initialized/.test(e.message)
  )
}

/**
 * A write that lost to another one and is worth sending again: a deadlock or lock-wait timeout still
 * there after db/tx.ts's bounded retries (Galera, group replication and TiDB report a certification
 * conflict at commit as ER_LOCK_DEADLOCK 1213), or a Galera node that is not ready (1047, "WSREP has
 * not yet prepared node for application use") or that aborted the statement for a replicated one.
 */
const RETRYABLE_DB_ERRORS = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT', 'ER_UNKNOWN_COM_ERROR', 'ER_LOCK_ABORTED'])
const RETRYABLE_DB_ERRNOS = new Set([1213, 1205, 1047, 1689])

/** True when the database refused a write because of a concurrent one (see RETRYABLE_DB_ERRORS). */
export function isRetryableDbConflict(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false
  const e = err as { code?: unknown; errno?: unknown; driverError?: { code?: unknown; errno?: unknown } }
  const code = e.driverError?.code ?? e.code
  const errno = e.driverError?.errno ?? e.errno
  return (typeof code === 'string' && RETRYABLE_DB_ERRORS.has(code)) || (typeof errno === 'number' && RETRYABLE_DB_ERRNOS.has(errno))
}

/** The one place where any thrown value becomes a status and a problem body. */
export function mapError(err: unknown): MappedError {
  if (err instanceof AppError) {
    return {
      status: err.status,
      problem: problem(err.status, err.code, err.message, err.extra.errors, err.extra.data),
      headers: err.extra.headers ?? {},
      reportable: false
    }
  }
  if (err instanceof ZodError) {
    // An unknown field is reported at its own path, so a client can point at it like any other field.
    const errors = err.issues.flatMap((i): FieldIssue[] =>
      i.code === 'unrecognized_keys'
        ? i.keys.map((key) => ({ path: formatIssuePath([...i.path, key]), code: i.code, message: `Unknown field “${key}”.` }))
        : [{ path: formatIssuePath(i.path), code: i.code, message: i.message }]
    )
    // A point that declares a system we do not know keeps its own stable code (docs/maps.md): guessing would move it.
    const code = err.issues.some((i) => i.path[i.path.length - 1] === 'coordSystem') ? 'unsupported_coordinate_system' : 'validation_failed'
    return { status: 400, problem: problem(400, code, 'The request is not valid.', errors), headers: {}, reportable: false }
  }
  if (isUniqueViolation(err)) {
    return { status: 409, problem: problem(409, 'conflict', 'This already exists.'), headers: {}, reportable: false }
  }
  if (isRetryableDbConflict(err)) {
    return {
      status: 503,
      problem: problem(503, 'service_unavailable', 'The database was busy with a conflicting change; try again.'),
      headers: { 'Retry-After': '1' },
      reportable: true
    }
  }
  if (isDatabaseUnavailable(err)) {
    return {
      status: 503,
      problem: problem(503, 'service_unavailable', 'The database is not answering; try again shortly.'),
      headers: { 'Retry-After': '5' },
      reportable: true
    }
  }
  const http = err as { status?: unknown; type?: unknown; expose?: unknown; message?: unknown }
  if (typeof http.status === 'number' && http.status >= 400 && http.status < 500) {
    // Errors raised by Koa middleware (body parser, router) carry a status of their own.
    const status = http.status
    if (status === 413) return { status, problem: problem(413, 'payload_too_large', 'The request body is too large.'), headers: {}, reportable: false }
    if (status === 415) return { status, problem: problem(415, 'unsupported_media_type', 'Send application/json.'), headers: {}, reportable: false }
    if (status === 404) return { status, problem: problem(404, 'not_found', 'Not found.'), headers: {}, reportable: false }
    if (status === 405) return { status, problem: problem(405, 'validation_failed', 'This method is not allowed here.'), headers: {}, reportable: false }
    if (status === 401) return { status, problem: problem(401, 'unauthenticated', 'Sign-in is required.'), headers: {}, reportable: false }
    const detail = http.type === 'entity.parse.failed' || /JSON|Unexpected token/i.test(String(http.message)) ? 'The body is not valid JSON.' : 'The request is not valid.'
    return { status: 400, problem: problem(400, 'validation_failed', detail), headers: {}, reportable: false }
  }
  return { status: 500, problem: problem(500, 'internal_error', 'Something went wrong on our side; it has been logged.'), headers: {}, reportable: true }
}
