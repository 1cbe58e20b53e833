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

/** `app.3f9c1a2b.js`, `1020.e28c00fe.css`: a name with webpack's 8-hex content hash, whose content never changes. */
const HASHED_ASSET = /\.[0-9a-f]{8}\.[a-z0-9]+$/i
/** Files whose content never changes: a browser keeps them a year without asking again. */
export const IMMUTABLE_CACHE = 'public, max-age=31536000, immutable'
/** The app shell names this build's hashed files, so a browser asks for it again every time (a 304 is cheap). */
export const SHELL_CACHE = 'no-cache'
/** Files with a fixed name (favicon, icons): a day, so a new build reaches everyone by tomorrow. */
export const FIXED_NAME_CACHE = 'public, max-age=86400'

/**
 * The Cache-Control of a file of the build (docs/performance.md "Caching"): hashed assets are
 * immutable for a year, index.html is revalidated on every load, other files keep a day. `file` is
 * the path that is sent (`app.3f9c1a2b.js.br` for its brotli twin).
 */
export function cacheControlFor(file: string): string {
  const name = path.basename(file).replace(/\.(br|gz)$/, '')
  if (name === 'index.html') return SHELL_CACHE
  return HASHED_ASSET.test(name) ? IMMUTABLE_CACHE : FIXED_NAME_CACHE
}

/**
 * Serves the H5 build at / (one origin with the API, so no CORS is needed). Paths under /api and
 * the health probes never fall through to the app shell. Traversal attempts are 400
 * `malformed_path` everywhere; dot-files and dot-folders are never served (404 `not_found`, even
 * when such a file exists in the build); a path without an extension that is no file is an app
 * route (/packages/report/new/index) and gets the app shell; any other missing file is 404.
 * Both refusals leave as problem+json through the one error handler.
 * The build's precompressed twins (`x.js.br`, `x.js.gz`, made by the H5 build) are sent when the
 * browser accepts them, with `Content-Encoding` and `Vary: Accept-Encoding`; anything else is
 * compressed on the fly by the app's compression middleware (app.ts).
 * @throws BadRequestError malformed_path; NotFoundError not_found
 */
export function serveH5(dir: string): Middleware {
  const files = serve(dir, {
    index: 'index.html',
    brotli: true,
    gzip: true,
    hidden: false,
    setHeaders: (res, file) => res.setHeader('Cache-Control', cacheControlFor(file))
  }) as unknown as Middleware
  const indexFile = path.join(dir, 'index.html')
  return async function serveH5Middleware(ctx, next) {
    if (isMalformedPath(ctx.path)) throw new BadRequestError('malformed_path', 'This path is not allowed.')
    if (isApiPath(ctx.path)) return next()
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next()
    if (hasDotSegment(ctx.path)) throw new NotFoundError()
    if (!existsSync(indexFile)) return next()
    ctx.vary('Accept-Encoding') // the same path may be sent brotli, gzip or plain
    await files(ctx, next)
    if (ctx.status === 404 && ctx.body === undefined && !path.extname(ctx.path)) {
      ctx.path = '/'
      await files(ctx, next)
    }
  }
}
