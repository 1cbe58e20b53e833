import type Router from '@koa/router'
import type { AppDeps } from '../src/deps'
import { createLogger, type Logger } from '../src/logger'
import { createHealthRouter } from '../src/modules/health/health.routes'
import { moduleRouters } from '../src/modules/index'

/** One registered route: an HTTP method and the router path (with `:params`). */
export interface RegisteredRoute {
  method: string
  path: string
}

/**
 * Every route the app serves, read from the routers themselves (health plus every module router, as
 * createApp mounts them), so a route added tomorrow is in the list without anyone editing a test.
 * HEAD is left out: @koa/router adds it to every GET, and tests exercise it through the GET.
 */
export function registeredRoutes(deps: AppDeps): RegisteredRoute[] {
  const routers: Router[] = [createHealthRouter(deps), ...moduleRouters(deps)]
  const seen = new Set<string>()
  const routes: RegisteredRoute[] = []
  for (const router of routers) {
    for (const layer of router.stack) {
      for (const method of layer.methods) {
        if (method === 'HEAD') continue
        const key = `${method} ${layer.path}`
        if (seen.has(key)) continue
        seen.add(key)
        routes.push({ method, path: String(layer.path) })
      }
    }
  }
  return routes
}

export const routeKey = (r: RegisteredRoute): string => `${r.method} ${r.path}`

/** A concrete URL for a route pattern: every `:param` becomes a well-formed id that exists nowhere. */
export function concretePath(pattern: string, id = '00000000-0000-4000-8000-000000000000'): string {
  return pattern.replace(/:code\b/g, 'sanitation').replace(/:[A-Za-z]+/g, id)
}

/** A logger with the production redaction that writes its lines to memory, for tests that grep the log. */
export function memoryLogger(level = 'debug'): { log: Logger; lines: string[] } {
  const lines: string[] = []
  return { log: createLogger(level, { write: (line: string) => void lines.push(line) }), lines }
}

/** Field names that are internal or identifying and must never appear in a response body (API3-1, WX-2). */
export const FORBIDDEN_RESPONSE_KEYS = ['passwordHash', 'password_hash', 'totpSecret', 'totp_secret', 'sessionKey', 'session_key', 'openid', 'unionid', 'reporterId', 'reporter_id', 'demoKey'] as const

/** Every object key anywhere in a parsed JSON value, with its path ("items.0.reporter.displayName"). */
export function keyPaths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => keyPaths(v, `${prefix}${i}.`))
  if (value !== null && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => [`${prefix}${k}`, ...keyPaths(v, `${prefix}${k}.`)])
  }
  return []
}

/** The forbidden keys found in a JSON body (matched case-insensitively on the last path segment). */
export function forbiddenKeysIn(body: unknown): string[] {
  const forbidden = new Set(FORBIDDEN_RESPONSE_KEYS.map((k) => k.toLowerCase()))
  return keyPaths(body).filter((p) => forbidden.has((p.split('.').pop() ?? '').toLowerCase()))
}

/** Leaf values of a JSON value by path, for comparing two views field by field. */
export function leafValues(value: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>()
  const walk = (v: unknown, p: string) => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${p}${i}.`))
    else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v as Record<string, unknown>)) walk(x, `${p}${k}.`)
    else out.set(p.replace(/\.$/, ''), JSON.stringify(v))
  }
  walk(value, prefix)
  return out
}

/** Which of `needles` occur in `text` (empty needles are ignored). */
export function tracesIn(text: string, needles: readonly string[]): string[] {
  return needles.filter((n) => n.length > 0 && text.includes(n))
}
