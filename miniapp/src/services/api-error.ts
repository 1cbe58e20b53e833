import type { FieldIssue, Problem } from '@palm/shared'

/**
 * Every failed call of the API client rejects with this. Pages branch on `code` (never on text);
 * `fieldErrors` maps a field path ("description", "location.lat") to its first message.
 */
export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly detail: string
  readonly fieldErrors: Readonly<Record<string, string>>
  readonly issues: readonly FieldIssue[]
  /** How long to wait before trying again (a locked account, a rate limit), when the server says so. */
  readonly retryAfterSeconds?: number

  constructor(init: { status: number; code: string; detail?: string; issues?: readonly FieldIssue[]; retryAfterSeconds?: number }) {
    super(init.detail || init.code)
    this.name = 'ApiError'
    this.status = init.status
    this.code = init.code
    this.detail = init.detail ?? ''
    this.issues = init.issues ?? []
    this.fieldErrors = fieldErrorsFrom(this.issues)
    if (init.retryAfterSeconds !== undefined) this.retryAfterSeconds = init.retryAfterSeconds
  }

  get isNetworkError(): boolean {
    return this.code === 'network_error'
  }
}

export function isApiError(err: unknown): err is ApiError {
  return err instanceof ApiError
}

/** First message per path: a form shows one message under each field. */
export function fieldErrorsFrom(issues: readonly FieldIssue[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const issue of issues) if (!(issue.path in out)) out[issue.path] = issue.message
  return out
}

/** The error for "the request never got an answer" (offline, DNS, timeout, app backgrounded). */
export function networkError(detail = ''): ApiError {
  return new ApiError({ status: 0, code: 'network_error', detail })
}

/**
 * Turns a non-2xx answer into an ApiError: problem+json when the body is one, otherwise a generic
 * code from the status, so a proxy's HTML error page still becomes a typed error.
 */
export function apiErrorFromResponse(status: number, body: unknown, retryAfterHeader?: string): ApiError {
  const problem = asProblem(body)
  const retryAfterSeconds = retryAfterFrom(body, retryAfterHeader)
  const extra = retryAfterSeconds === undefined ? {} : { retryAfterSeconds }
  if (problem) {
    return new ApiError({ status, code: problem.code, detail: problem.detail ?? problem.title, issues: problem.errors, ...extra })
  }
  return new ApiError({ status, code: codeForStatus(status), ...extra })
}

/**
 * The body as a problem when it has the shape of shared's `ProblemSchema`, else null. Checked by hand
 * so the API client (in the H5 entry bundle) does not load zod before the first page paints
 * (docs/performance.md "Lighthouse"); api-error.test.ts holds it to the schema's verdicts.
 */
export function asProblem(body: unknown): Problem | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null
  const b = body as Record<string, unknown>
  const isStr = (v: unknown): v is string => typeof v === 'string'
  const optionalStr = (v: unknown) => v === undefined || isStr(v)
  if (!isStr(b.type) || !isStr(b.title) || !isStr(b.code) || !Number.isSafeInteger(b.status)) return null
  if (!optionalStr(b.detail) || !optionalStr(b.instance) || !optionalStr(b.requestId)) return null
  const errors = b.errors
  if (errors !== undefined && !(Array.isArray(errors) && errors.every(isFieldIssue))) return null
  const problem: Problem = { type: b.type, title: b.title, status: b.status as number, code: b.code }
  if (b.detail !== undefined) problem.detail = b.detail as string
  if (b.instance !== undefined) problem.instance = b.instance as string
  if (b.requestId !== undefined) problem.requestId = b.requestId as string
  if (errors !== undefined) problem.errors = (errors as FieldIssue[]).map(({ path, code, message }) => ({ path, code, message }))
  return problem
}

function isFieldIssue(v: unknown): v is FieldIssue {
  if (typeof v !== 'object' || v === null) return false
  const i = v as Record<string, unknown>
  return typeof i.path === 'string' && typeof i.code === 'string' && typeof i.message === 'string'
}

/** Seconds to wait: the problem's `retryAfterSeconds`, else its `lockedUntil`, else the Retry-After header. */
function retryAfterFrom(body: unknown, header: string | undefined): number | undefined {
  if (typeof body === 'object' && body !== null) {
    const b = body as { retryAfterSeconds?: unknown; lockedUntil?: unknown }
    if (typeof b.retryAfterSeconds === 'number' && b.retryAfterSeconds >= 0) return b.retryAfterSeconds
    if (typeof b.lockedUntil === 'string') {
      const ms = Date.parse(b.lockedUntil) - Date.now()
      if (!Number.isNaN(ms)) return Math.max(0, Math.ceil(ms / 1000))
    }
  }
  const fromHeader = header === undefined ? NaN : Number(header)
  return Number.isFinite(fromHeader) && fromHeader >= 0 ? fromHeader : undefined
}

function codeForStatus(status: number): string {
  if (status === 400) return 'validation_failed'
  if (status === 401) return 'unauthenticated'
  if (status === 403) return 'forbidden'
  if (status === 404) return 'not_found'
  if (status === 409) return 'conflict'
  if (status === 413) return 'payload_too_large'
  if (status === 429) return 'rate_limited'
  if (status === 503) return 'service_unavailable'
  return 'internal_error'
}
