import type { ErrorCode, FieldIssue } from '@palm/shared'

/**
 * The one error type the API throws on purpose. The error handler turns it into problem+json;
 * anything else becomes a 500 `internal_error` with its details hidden.
 */
export class AppError extends Error {
  readonly expose = true
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly extra: { errors?: FieldIssue[]; headers?: Record<string, string>; data?: Record<string, unknown> } = {}
  ) {
    super(message)
    this.name = new.target.name
  }
}

export class ValidationError extends AppError {
  constructor(errors: FieldIssue[], message = 'The request is not valid.') {
    super(400, 'validation_failed', message, { errors })
  }
}

/** A single-field validation problem with a code of its own (e.g. `out_of_district`). */
export class BadRequestError extends AppError {
  constructor(code: ErrorCode, message: string, errors?: FieldIssue[]) {
    super(400, code, message, { errors })
  }
}

export class UnauthenticatedError extends AppError {
  constructor(message = 'Sign-in is required.', code: ErrorCode = 'unauthenticated') {
    super(401, code, message)
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'You may not do this.', code: ErrorCode = 'forbidden') {
    super(403, code, message)
  }
}

/** Also used for objects outside the caller's scope, so that their existence is not revealed. */
export class NotFoundError extends AppError {
  constructor(message = 'Not found.', code: ErrorCode = 'not_found') {
    super(404, code, message)
  }
}

export class ConflictError extends AppError {
  constructor(code: ErrorCode, message: string, data?: Record<string, unknown>) {
    super(409, code, message, { data })
  }
}

export class InvalidTransitionError extends AppError {
  constructor(from: string, event: string) {
    super(409, 'invalid_transition', `“${event}” is not possible while the ticket is ${from}.`, { data: { from, event } })
  }
}

export class RateLimitedError extends AppError {
  constructor(retryAfterSeconds: number, message = 'Too many requests; try again later.') {
    super(429, 'rate_limited', message, { headers: { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) } })
  }
}

export class ServiceUnavailableError extends AppError {
  constructor(code: ErrorCode, message: string, retryAfterSeconds = 5) {
    super(503, code, message, { headers: { 'Retry-After': String(retryAfterSeconds) } })
  }
}
