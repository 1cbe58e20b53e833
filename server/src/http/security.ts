import cors from '@koa/cors'
import type { Middleware } from 'koa'
import helmet from 'koa-helmet'
import type { MapTilesView } from '@palm/shared'

/**
 * Security headers on every response; the H5 app is same-origin, so the policy can stay strict.
 * `tileSources`: the map's tile hosts (docs/maps.md), the one outside origin images may come from.
 */
export function securityHeaders(tileSources: readonly string[] = []): Middleware {
  return helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:', ...tileSources],
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

/**
 * The CSP sources of a tile configuration: each URL template's scheme and host, a `{s}` subdomain
 * label widened to `*` (https://t{s}.tianditu.gov.cn/… → https://*.tianditu.gov.cn).
 */
export function tileImageSources(tiles: MapTilesView | null): string[] {
  if (!tiles) return []
  const sources = tiles.urls.map((url) => {
    const match = /^(https?):\/\/([^/?#]+)/.exec(url)
    if (!match) return null
    const [, scheme, host = ''] = match
    const labels = host.split('.')
    const wide = labels.map((label, i) => (i === 0 && label.includes('{') ? '*' : label)).join('.')
    return wide.includes('{') ? null : `${scheme}://${wide}`
  })
  return [...new Set(sources.filter((s): s is string => s !== null))]
}
