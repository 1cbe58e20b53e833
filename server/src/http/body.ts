import { bodyParser } from '@koa/bodyparser'
import type { Middleware } from 'koa'
import { AppError } from '../errors'

const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH'])

/** A route that takes a larger JSON body than the app's default (e.g. the territory import). */
export interface RouteBodyLimit {
  path: string
  limitBytes: number
}

/**
 * JSON only, with a size limit. A body of another type is refused with 415 rather than ignored, so
 * a client that sends a form by mistake learns why; multipart is left to the upload route. The few
 * routes in `routeLimits` get their own limit; every other route keeps the small default.
 */
export function jsonBody(defaultLimitBytes: number, routeLimits: readonly RouteBodyLimit[] = []): Middleware[] {
  const limits = new Map(routeLimits.map((r) => [r.path, r.limitBytes]))
  const limitOf = (path: string): number => limits.get(path) ?? defaultLimitBytes
  const requireJson: Middleware = async function requireJsonMiddleware(ctx, next) {
    const hasBody = METHODS_WITH_BODY.has(ctx.method) && (Number(ctx.get('Content-Length') || 0) > 0 || ctx.get('Transfer-Encoding') !== '')
    if (hasBody && !ctx.is('application/json', 'application/*+json', 'multipart/form-data')) {
      throw new AppError(415, 'unsupported_media_type', 'Send the body as application/json.')
    }
    const declared = Number(ctx.get('Content-Length') || 0)
    const limitBytes = limitOf(ctx.path)
    if (declared > limitBytes && !ctx.is('multipart/form-data')) {
      throw new AppError(413, 'payload_too_large', `The body is larger than ${Math.round(limitBytes / 1024)} KB.`)
    }
    await next()
  }
  const parsers = new Map<number, Middleware>()
  const parserFor = (limitBytes: number): Middleware => {
    let parser = parsers.get(limitBytes)
    if (!parser) {
      parser = bodyParser({ enableTypes: ['json'], jsonLimit: limitBytes, encoding: 'utf-8' }) as unknown as Middleware
      parsers.set(limitBytes, parser)
    }
    return parser
  }
  const parse: Middleware = function parseJsonMiddleware(ctx, next) {
    return parserFor(limitOf(ctx.path))(ctx, next)
  }
  return [requireJson, parse]
}
