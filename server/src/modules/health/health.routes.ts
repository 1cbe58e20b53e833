import Router from '@koa/router'
import type { AppDeps } from '../../deps'
import { ServiceUnavailableError } from '../../errors'

const READY_TIMEOUT_MS = 2_000

/** Seconds a load balancer should wait before asking a draining instance again (it will be gone). */
const DRAINING_RETRY_AFTER_S = 30

const draining = new WeakSet<AppDeps>()

/**
 * Marks the app built on `deps` as shutting down (main.ts on SIGTERM): from now on /readyz answers
 * 503 `shutting_down`, so a load balancer stops sending new requests while in-flight ones finish.
 */
export function markDraining(deps: AppDeps): void {
  draining.add(deps)
}

/** Whether the app built on `deps` is shutting down (jobs stop claiming new work, /readyz says 503). */
export function isDraining(deps: AppDeps): boolean {
  return draining.has(deps)
}

/** Liveness never touches the database; readiness answers whether it does, and 503 while draining. */
export function createHealthRouter(deps: AppDeps): Router {
  const router = new Router()
  router.get('/livez', (ctx) => {
    ctx.body = { status: 'ok' }
  })
  router.get('/readyz', async (ctx) => {
    if (isDraining(deps)) throw new ServiceUnavailableError('shutting_down', 'This instance is shutting down.', DRAINING_RETRY_AFTER_S)
    await pingDatabase(deps)
    ctx.body = { status: 'ok', database: deps.ds.options.type }
  })
  return router
}

/** One `SELECT 1` within READY_TIMEOUT_MS. @throws ServiceUnavailableError service_unavailable */
export async function pingDatabase(deps: AppDeps): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('database ping timed out')), READY_TIMEOUT_MS)
  })
  try {
    if (!deps.ds.isInitialized) throw new Error('database not open')
    await Promise.race([deps.ds.query('SELECT 1'), timeout])
  } catch {
    throw new ServiceUnavailableError('service_unavailable', 'The database is not answering.')
  } finally {
    clearTimeout(timer)
  }
}
