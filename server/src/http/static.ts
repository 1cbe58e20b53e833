import { existsSync } from 'node:fs'
import path from 'node:path'
import type { Middleware } from 'koa'
import serve from 'koa-static'

/**
 * Serves the H5 build at / (one origin with the API, so no CORS is needed). Paths under /api and
 * the health probes never fall through to the app shell.
 */
export function serveH5(dir: string): Middleware {
  const files = serve(dir, { index: 'index.html', maxage: 60_000, gzip: false }) as unknown as Middleware
  const indexFile = path.join(dir, 'index.html')
  return async function serveH5Middleware(ctx, next) {
    if (ctx.path.startsWith('/api/') || ctx.path === '/api' || ctx.path === '/livez' || ctx.path === '/readyz') return next()
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next()
    if (!existsSync(indexFile)) return next()
    await files(ctx, next)
    if (ctx.status === 404 && ctx.body === undefined && !path.extname(ctx.path)) {
      ctx.path = '/'
      await files(ctx, next)
    }
  }
}
