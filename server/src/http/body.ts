import { bodyParser } from '@koa/bodyparser'
import type { Middleware } from 'koa'
import { AppError } from '../errors'

const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH'])

/**
 * JSON only, with a size limit. A body of another type is refused with 415 rather than ignored, so
 * a client that sends a form by mistake learns why; multipart is left to the upload route.
 */
export function jsonBody(limitBytes: number): Middleware[] {
  const requireJson: Middleware = async function requireJsonMiddleware(ctx, next) {
    const hasBody = METHODS_WITH_BODY.has(ctx.method) && (Number(ctx.get('Content-Length') || 0) > 0 || ctx.get('Transfer-Encoding') !== '')
    if (hasBody && !ctx.is('application/json', 'application/*+json', 'multipart/form-data')) {
      throw new AppError(415, 'unsupported_media_type', 'Send the body as application/json.')
    }
    const declared = Number(ctx.get('Content-Length') || 0)
    if (declared > limitBytes && !ctx.is('multipart/form-data')) {
      throw new AppError(413, 'payload_too_large', `The body is larger than ${Math.round(limitBytes / 1024)} KB.`)
    }
    await next()
  }
  const parse = bodyParser({ enableTypes: ['json'], jsonLimit: limitBytes, encoding: 'utf-8' }) as unknown as Middleware
  return [requireJson, parse]
}
