import Koa from 'koa'
import type Router from '@koa/router'
import type { AppDeps } from './deps'
import { authenticate } from './http/auth'
import { compressText } from './http/compression'
import { jsonBody } from './http/body'
import { errorHandler } from './http/error-handler'
import { accessLog, requestId } from './http/request-id'
import { corsForOrigins, securityHeaders, tileImageSources } from './http/security'
import { serveH5 } from './http/static'
import { createHealthRouter } from './modules/health/health.routes'
import { moduleRouters, registerModuleHooks } from './modules/index'
import { consentGate } from './modules/privacy/index'
import { exceptOpen311 } from './modules/open311/index'
import { auditRequestContext } from './modules/audit/index'
import { TERRITORY_IMPORT_BODY_LIMIT } from './modules/territory/index'

/**
 * Builds the Koa app: the middleware order is fixed here once (request id → compression → error
 * handler → headers → CORS → H5 → body → auth → routes), and each module contributes only its router.
 */
export function createApp(deps: AppDeps): Koa {
  registerModuleHooks()
  // Behind TRUST_PROXY_HOPS proxies, the client is the entry the outermost trusted proxy appended:
  // that many from the right of X-Forwarded-For. Entries further left are the client's own words.
  const app = new Koa({ proxy: deps.config.trustProxy, maxIpsCount: deps.config.trustProxy ? deps.config.trustProxyHops : 0 })
  app.silent = true
  app.use(requestId())
  app.use(auditRequestContext())
  app.use(accessLog(deps.log))
  // Outside the error handler, so problem+json answers are compressed like any other.
  app.use(compressText())
  app.use(errorHandler(deps.log))
  app.use(securityHeaders(tileImageSources(deps.config.mapTiles)))
  app.use(corsForOrigins(deps.config.corsOrigins))
  app.use(serveH5(deps.config.h5Dir))
  // Open311's POST is a form its route reads itself (docs/open311.md); everything else is JSON.
  for (const mw of jsonBody(deps.config.bodyLimitBytes, [TERRITORY_IMPORT_BODY_LIMIT])) app.use(exceptOpen311(mw))

  const health = createHealthRouter(deps)
  app.use(health.routes())
  app.use(authenticate(deps))
  // Residents' new submissions need a current consent on the server (docs/residents-data.md).
  app.use(consentGate(deps))
  for (const router of moduleRouters(deps)) mount(app, router)
  return app
}

function mount(app: Koa, router: Router): void {
  app.use(router.routes())
  app.use(router.allowedMethods({ throw: true }))
}
