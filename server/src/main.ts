import { randomBytes } from 'node:crypto'
import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { createApp } from './app'
import { ConfigError, loadConfig, type Config } from './config'
import { openDatabase } from './db/data-source'
import type { AppDeps } from './deps'
import { createLogger } from './logger'
import { isDraining, markDraining } from './modules/health/health.routes'
import { backgroundJobs, seedDemoData } from './modules/lifecycle'
import { stopNotificationRelay } from './modules/notifications/index'
import { startFakeWeChatServer, type FakeWeChatServer } from './modules/wechat/index'

function readConfig(): Config {
  try {
    return loadConfig()
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message)
      process.exit(1)
    }
    throw err
  }
}

async function main(): Promise<void> {
  const config = readConfig()
  const log = createLogger(config.logLevel)
  const where = config.database.kind === 'sqlite' ? `SQLite file ${config.database.file}` : `${config.database.kind} (DATABASE_URL)`
  let ds
  try {
    ds = await openDatabase(config.database, config.dbLimits)
  } catch (err) {
    console.error(`Cannot open the database (${where}): ${(err as Error).message}`)
    console.error('Check DATABASE_URL and that the server is running; see README.md “Production”.')
    process.exit(1)
  }
  const demoWeChat = await startDemoWeChat(config)
  const deps: AppDeps = { config: demoWeChat?.config ?? config, ds, log, now: () => new Date() }
  if (demoWeChat) log.info({ url: demoWeChat.server.url }, 'demo: WeChat APIs are answered by the built-in fake WeChat server')
  if (config.seedDemo) await seedDemoData(deps)

  const app = createApp(deps)
  const handle = app.callback()
  let draining = false
  // While draining, every response not yet started says Connection: close (node then closes the socket
  // after it), so no client sends a follow-up request on a socket that is about to go.
  const unanswered = new Set<ServerResponse>()
  const server = createServer((req, res) => {
    if (draining) res.setHeader('Connection', 'close')
    else {
      unanswered.add(res)
      res.on('close', () => unanswered.delete(res))
    }
    void handle(req, res)
  })
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve))
  const port = (server.address() as AddressInfo).port
  log.info({ port, database: where, demoMode: config.demoMode }, 'Palm Pingcheng is listening')
  if (config.demoMode) console.log(`掌上平城 demo: http://127.0.0.1:${port}/  (API under /api, embedded database)`)

  const jobs = config.jobs ? startJobs(deps) : undefined
  let stopping = false
  /** The shutdown sequence of docs/operations.md: tell, wait, stop accepting, drain, close. */
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    const { drainDelayMs, timeoutMs } = config.shutdown
    draining = true
    for (const res of unanswered) if (!res.headersSent) res.setHeader('Connection', 'close')
    markDraining(deps)
    jobs?.stop()
    void stopNotificationRelay() // sends in flight finish and are recorded; no new ones start (docs/messages.md)
    log.info({ signal, drainDelayMs }, 'stopping: /readyz answers 503, new connections still served until the drain delay ends')
    await sleep(drainDelayMs)
    log.info('stopping: no new connections, draining in-flight requests')
    const closed = new Promise<void>((resolve) => server.close(() => resolve()))
    server.closeIdleConnections()
    const forced = setTimeout(() => {
      log.warn({ timeoutMs }, 'drain timed out; closing remaining connections')
      server.closeAllConnections()
    }, timeoutMs)
    forced.unref()
    await closed
    await jobs?.settled()
    await ds.destroy()
    await demoWeChat?.server.close()
    log.info('stopped')
    process.exit(0)
  }
  process.on('SIGTERM', () => void stop('SIGTERM'))
  process.on('SIGINT', () => void stop('SIGINT'))
}

/**
 * A demo without WeChat credentials gets the project's fake WeChat server on loopback, so sign-in,
 * the content check before publication and subscribe messages all work as they would in WeChat.
 * Never outside demo mode.
 */
async function startDemoWeChat(config: Config): Promise<{ config: Config; server: FakeWeChatServer } | undefined> {
  if (!config.demoMode || config.wechat.appId) return undefined
  const credentials = { appId: 'wxdemo0000000000', secret: randomBytes(16).toString('hex') }
  const server = await startFakeWeChatServer(credentials)
  const wechat = { ...config.wechat, apiBase: server.url, appId: credentials.appId, secret: credentials.secret, webAppId: credentials.appId, webSecret: credentials.secret }
  return { config: Object.freeze({ ...config, wechat }), server }
}

/**
 * Runs every background job on its interval. `stop()` ends the intervals, so no new pass claims
 * work once the instance drains; `settled()` waits for the passes still running, before the pool
 * they use is closed.
 */
function startJobs(deps: AppDeps): { stop: () => void; settled: () => Promise<void> } {
  const running = new Set<Promise<void>>()
  const timers = backgroundJobs().map((job) =>
    setInterval(() => {
      if (isDraining(deps)) return
      const pass = job
        .run(deps)
        .catch((err: unknown) => deps.log.error({ err, job: job.name }, 'background job failed'))
        .finally(() => running.delete(pass))
      running.add(pass)
    }, job.intervalMs)
  )
  return {
    stop: () => timers.forEach(clearInterval),
    settled: async () => {
      await Promise.all([...running])
    }
  }
}

void main()
