import { existsSync } from 'node:fs'
import path from 'node:path'
import type { Middleware } from 'koa'
import serve from 'koa-static'
import { BadRequestError, NotFoundError } from '../errors'

/** A `..` segment, a backslash or a NUL byte once the path is decoded. */
const TRAVERSAL = /(^|\/)\.\.(\/|$)|\\|\0/
/** Percent-encoded slash or backslash: a second path hidden inside one segment. */
const ENCODED_SEPARATOR = /%2f|%5c/i

/**
 * Whether a request path tries to leave the directory it names: `..` segments (raw or encoded),
 * backslashes, encoded slashes, NUL bytes, or percent-escapes that do not decode. Such a path is
 * neither a file nor a route, so it is refused as 400 `malformed_path` before anything looks at it
 * (issue 14: `/../../etc/passwd` was answered with the app shell).
 */
export function isMalformedPath(rawPath: string): boolean {
  if (ENCODED_SEPARATOR.test(rawPath) || TRAVERSAL.test(rawPath)) return true
  try {
    return TRAVERSAL.test(decodeURIComponent(rawPath))
  } catch {
    return true
  }
}

/** Whether a segment of the (decoded) path is a dot-file or dot-folder (`/.env`, `/.git/config`). */
export function hasDotSegment(rawPath: string): boolean {
  let decoded = rawPath
  try {
    decoded = decodeURIComponent(rawPath)
  } catch {
    // isMalformedPath has refused these already
  }
  return decoded.split('/').some((segment) => segment.startsWith('.'))
}

/** The API, Open311 GeoReport v2 (docs/open311.md) and the probes: never files, never the app shell. */
const isApiPath = (p: string) => p.startsWith('/api/') || p === '/api' || p.startsWith('/open311/') || p === '/open311' || p === '/livez' || p === '/readyz'

/**
 * Serves the H5 build at / (one origin with the API, so no CORS is needed). Paths under /api and
 * the health probes never fall through to the app shell. Traversal attempts are 400
 * `malformed_path` everywhere; dot-files and dot-folders are never served (404 `not_found`, even
 * when such a file exists in the build); a path without an extension that is no file is an app
 * route (/packages/report/new/index) and gets the app shell; any other missing file is 404.
 * Both refusals leave as problem+json through the one error handler.
 * @throws BadRequestError malformed_path; NotFoundError not_found
 */
export function serveH5(dir: string): Middleware {
  const files = serve(dir, { index: 'index.html', maxage: 60_000, gzip: false, hidden: false }) as unknown as Middleware
  const indexFile = path.join(dir, 'index.html')
  return async function serveH5Middleware(ctx, next) {
    if (isMalformedPath(ctx.path)) throw new BadRequestError('malformed_path', 'This path is not allowed.')
    if (isApiPath(ctx.path)) return next()
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next()
    if (hasDotSegment(ctx.path)) throw new NotFoundError()
    if (!existsSync(indexFile)) return next()
    await files(ctx, next)
    if (ctx.status === 404 && ctx.body === undefined && !path.extname(ctx.path)) {
      ctx.path = '/'
      await files(ctx, next)
    }
  }
}
