// The servers of the submission benchmark, in a process of their own so that the load generator does
// not share their event loop: the real app (createApp, the same middleware and modules as production)
// and, on one plain Koa stack with a mysql2 pool, a raw single-row-insert endpoint and the hand-written
// submission baseline (submission-baseline.ts), all on the same database. Started by
// submission.bench.ts with fork(); it answers with the two ports over IPC and runs until killed.
import { randomUUID } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { bodyParser } from '@koa/bodyparser'
import Router from '@koa/router'
import Koa from 'koa'
import mysql from 'mysql2/promise'
import { DataSource, type Logger as TypeOrmLogger } from 'typeorm'
import { createApp } from '../src/app'
import { loadConfig } from '../src/config'
import { dataSourceOptions } from '../src/db/data-source'
import { createLogger } from '../src/logger'
import { handWrittenSubmission } from './submission-baseline'

/**
 * Counts the SQL statements the app sends (TypeORM calls logQuery for each), i.e. its round trips to
 * the database: a MariaDB compound statement (BEGIN NOT ATOMIC … END) counts once.
 */
let appStatements = 0
let rawStatements = 0
let baselineStatements = 0
// BENCH_SQL_LOG=1 prints the app's first statements (the probe submission's), to see what a submission sends.
let statementsToPrint = process.env.BENCH_SQL_LOG ? 40 : 0
const countingLogger: TypeOrmLogger = {
  logQuery: (query, parameters) => {
    appStatements++
    if (statementsToPrint-- > 0) console.log(`[sql] ${query} -- ${JSON.stringify(parameters ?? [])}`)
  },
  logQueryError: () => undefined,
  logQuerySlow: () => undefined,
  logSchemaBuild: () => undefined,
  logMigration: () => undefined,
  log: () => undefined
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)))
}

async function main(): Promise<void> {
  const config = loadConfig(process.env)
  if (config.database.kind === 'sqlite') throw new Error('the submission benchmark needs DATABASE_URL (MariaDB)')
  const ds = new DataSource({ ...dataSourceOptions(config.database), logging: true, logger: countingLogger })
  await ds.initialize()
  const app = createApp({ config, ds, log: createLogger('silent'), now: () => new Date() })
  const appServer = createServer(app.callback())

  const pool = mysql.createPool({ uri: config.database.url, connectionLimit: config.database.pool })
  const raw = new Koa()
  raw.use(bodyParser())
  const router = new Router()
  router.post('/raw/tickets', async function rawInsert(ctx) {
    const id = randomUUID()
    rawStatements++
    await pool.execute('INSERT INTO bench_raw_inserts (id, body, created_at) VALUES (?, ?, NOW())', [id, JSON.stringify(ctx.request.body)])
    ctx.status = 201
    ctx.body = { id }
  })
  router.post(
    '/baseline/tickets',
    handWrittenSubmission(pool, config.jwt, () => void baselineStatements++)
  )
  raw.use(router.routes())
  const rawServer = createServer(raw.callback())

  const [appPort, rawPort] = await Promise.all([listen(appServer), listen(rawServer)])
  process.send?.({ type: 'ready', appPort, rawPort })
  // The parent asks before and after each run: CPU time of this process and statements sent so far.
  process.on('message', () => {
    const cpu = process.cpuUsage()
    process.send?.({ type: 'stats', cpuMicros: cpu.user + cpu.system, appStatements, rawStatements, baselineStatements })
  })
  process.on('SIGTERM', () => {
    appServer.close()
    rawServer.close()
    void Promise.allSettled([ds.destroy(), pool.end()]).then(() => process.exit(0))
  })
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
