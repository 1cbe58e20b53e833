import type { Middleware } from 'koa'
import { RateLimitedError } from '../../errors'

export interface LoginRateLimitOptions {
  /** Requests allowed per client IP and route within one window. */
  limit: number
  windowMs: number
  now: () => Date
  /** The most keys kept; beyond it, expired windows are dropped, then the oldest. */
  maxKeys?: number
}

/**
 * A fixed-window limiter per client IP and route for the sign-in routes (security.md API2-3), so
 * one address cannot spray passwords or codes. It lives in this process's memory: with several
 * instances behind a load balancer each counts on its own, so the effective limit is `limit` times
 * the instance count. The per-account lockout (users.failed_logins) is the control that holds
 * across instances; this one only slows a single source down. Behind a load balancer set
 * TRUST_PROXY, or every client has the balancer's address and shares one budget.
 * @throws RateLimitedError 429 `rate_limited` with Retry-After
 */
export function loginRateLimit(options: LoginRateLimitOptions): Middleware {
  const windows = new Map<string, { startedAt: number; count: number }>()
  const maxKeys = options.maxKeys ?? 50_000
  return async function loginRateLimitMiddleware(ctx, next) {
    const now = options.now().getTime()
    const key = `${ctx.path}|${ctx.ip}`
    let entry = windows.get(key)
    if (!entry || now - entry.startedAt >= options.windowMs) {
      if (!entry && windows.size >= maxKeys) prune(windows, now, options.windowMs, maxKeys)
      entry = { startedAt: now, count: 0 }
      windows.set(key, entry)
    }
    entry.count++
    if (entry.count > options.limit) {
      throw new RateLimitedError((entry.startedAt + options.windowMs - now) / 1000, 'Too many sign-in attempts from this address; try again shortly.')
    }
    await next()
  }
}

function prune(windows: Map<string, { startedAt: number }>, now: number, windowMs: number, maxKeys: number): void {
  for (const [key, entry] of windows) if (now - entry.startedAt >= windowMs) windows.delete(key)
  for (const key of windows.keys()) {
    if (windows.size < maxKeys) break
    windows.delete(key)
  }
}
