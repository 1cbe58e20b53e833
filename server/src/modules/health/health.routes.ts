import Router from '@koa/router'
import type { AppDeps } from '../../deps'
import { ServiceUnavailableError } from '../../errors'

const READY_TIMEOUT_MS = 2_000

/** Liveness never touches the database; readiness answers whether it does. */
export function createHealthRouter(deps: AppDeps): Router {
  const router = new Router()
  router.get('/livez', (ctx) => {
    ctx.body = { status: 'ok' }
  })
  router.get('/readyz', async (ctx) => {
    await pingDatabase(deps)
    ctx.body = { status: 'ok', database: deps.ds.options.type }
  })
  return router
}

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
