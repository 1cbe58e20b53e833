import cors from '@koa/cors'
import type { Middleware } from 'koa'
import helmet from 'koa-helmet'

/** Security headers on every response; the H5 app is same-origin, so the policy can stay strict. */
export function securityHeaders(): Middleware {
  return helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'"],
        connectSrc: ["'self'", 'blob:']
      }
    },
    crossOriginEmbedderPolicy: false
  }) as unknown as Middleware
}

/** CORS only for configured origins; with none configured, no CORS headers at all (same-origin only). */
export function corsForOrigins(origins: readonly string[]): Middleware {
  const allowed = new Set(origins)
  return cors({
    origin: (ctx) => {
      const origin = ctx.get('Origin')
      return allowed.has(origin) ? origin : ''
    },
    allowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Request-Id'],
    exposeHeaders: ['X-Request-Id', 'Retry-After'],
    maxAge: 600
  })
}
