import { randomBytes } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { createApp } from './app'
import { ConfigError, loadConfig, type Config } from './config'
import { openDatabase } from './db/data-source'
import type { AppDeps } from './deps'
import { createLogger } from './logger'
import { backgroundJobs, seedDemoData } from './modules/lifecycle'
import { startFakeWeChatServer, type FakeWeChatServer } from './modules/wechat/index'

const DRAIN_TIMEOUT_MS = 10_000

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
    ds = await openDatabase(config.database)
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
  const server = createServer(app.callback())
  const sockets = trackSockets(server)
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve))
  const port = (server.address() as AddressInfo).port
  log.info({ port, database: where, demoMode: config.demoMode }, 'Palm Pingcheng is listening')
  if (config.demoMode) console.log(`掌上平城 demo: http://127.0.0.1:${port}/  (API under /api, embedded database)`)

  const timers = config.jobs ? startJobs(deps) : []
  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    log.info({ signal }, 'stopping: no new connections, draining in-flight requests')
    timers.forEach(clearInterval)
    server.close()
    for (const socket of sockets.idle()) socket.destroy()
    const forced = setTimeout(() => {
      log.warn('drain timed out; closing remaining connections')
      server.closeAllConnections()
    }, DRAIN_TIMEOUT_MS)
    forced.unref()
    await new Promise<void>((resolve) => server.on('close', resolve))
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

/** Keeps idle keep-alive sockets apart from busy ones, so shutdown closes the first and waits for the second. */
function trackSockets(server: Server) {
  const busy = new WeakSet<Socket>()
  const all = new Set<Socket>()
  server.on('connection', (socket) => {
    all.add(socket)
    socket.on('close', () => all.delete(socket))
  })
  server.on('request', (req, res) => {
    busy.add(req.socket)
    res.on('finish', () => {
      busy.delete(req.socket)
      if (!server.listening) req.socket.destroy()
    })
  })
  return { idle: () => [...all].filter((s) => !busy.has(s)) }
}

function startJobs(deps: AppDeps): NodeJS.Timeout[] {
  return backgroundJobs().map((job) =>
    setInterval(() => {
      job.run(deps).catch((err: unknown) => deps.log.error({ err, job: job.name }, 'background job failed'))
    }, job.intervalMs)
  )
}

void main()
