import { randomUUID } from 'node:crypto'
import type { Middleware } from 'koa'
import type { Logger } from '../logger'

const SAFE_ID = /^[A-Za-z0-9._-]{8,64}$/

/** Gives each request an id (a sane incoming X-Request-Id is kept, so a proxy's id carries through). */
export function requestId(): Middleware {
  return async function requestIdMiddleware(ctx, next) {
    const incoming = ctx.get('X-Request-Id')
    const id = SAFE_ID.test(incoming) ? incoming : randomUUID()
    ctx.state.requestId = id
    ctx.set('X-Request-Id', id)
    await next()
  }
}

/** One line per request, without headers or bodies (tokens and personal data stay out of logs). */
export function accessLog(log: Logger): Middleware {
  return async function accessLogMiddleware(ctx, next) {
    const started = performance.now()
    try {
      await next()
    } finally {
      log.info({ requestId: ctx.state.requestId, method: ctx.method, path: ctx.path, status: ctx.status, ms: Math.round(performance.now() - started) }, 'request')
    }
  }
}
