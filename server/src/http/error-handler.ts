import type { Middleware } from 'koa'
import type { Logger } from '../logger'
import { mapError } from './problem'

/** First in the chain: every error, and every unmatched route, leaves as problem+json. */
export function errorHandler(log: Logger): Middleware {
  return async function errorHandlerMiddleware(ctx, next) {
    try {
      await next()
      if (ctx.status === 404 && ctx.body === undefined) ctx.throw(404)
    } catch (err) {
      const mapped = mapError(err)
      const requestId = String(ctx.state.requestId ?? '')
      if (mapped.reportable) log.error({ err, requestId, method: ctx.method, path: ctx.path }, 'request failed')
      ctx.status = mapped.status
      ctx.set(mapped.headers)
      ctx.type = 'application/problem+json'
      ctx.body = { ...mapped.problem, instance: ctx.path, requestId }
    }
  }
}
