import type { Middleware } from 'koa'
import type { AppDeps } from '../../deps'
import { hitLimit } from '../limits/index'

/**
 * The sign-in throttle (docs/security.md API2-3): RATE_LIMITS.sign_in attempts per client address and
 * sign-in route per window, so one address cannot spray passwords or codes. Counted in the shared
 * database (modules/limits), so N instances behind a load balancer allow what one allows. The
 * per-account lockout (users.failed_logins / locked_until, staff-sign-in.service.ts) is also in the
 * database. Behind a load balancer set TRUST_PROXY, or every client has the balancer's address and
 * shares one budget.
 * @throws RateLimitedError 429 `rate_limited` with Retry-After
 */
export function loginRateLimit(deps: AppDeps): Middleware {
  return async function loginRateLimitMiddleware(ctx, next) {
    await hitLimit(deps, 'sign_in', `${ctx.path}|${ctx.ip}`)
    await next()
  }
}
