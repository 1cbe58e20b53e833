// The server of the relay benchmark, in a process of its own (started by relay.bench.ts with fork()):
// the WeChat relay on the configured database, and with RELAY_BENCH_APP=1 the real app too (createApp,
// as production serves it). RELAY_BENCH_MODE picks the relay's schedule:
// - after: the production job (notificationJobs: every second, each run draining while rows are due,
//   RELAY_CONCURRENCY sends in flight);
// - before: the schedule the relay had before issue 15: one batch of 50 every 2 s, 4 sends in flight.
// It answers "ready" (with the app's port) over IPC and runs until SIGTERM.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { DataSource } from 'typeorm'
import { createApp } from '../src/app'
import { loadConfig } from '../src/config'
import { dataSourceOptions } from '../src/db/data-source'
import { createLogger } from '../src/logger'
import { INSTANCE_ID, notificationJobs, relayOutboxOnce } from '../src/modules/notifications/index'
import { wechatClientFor } from '../src/modules/wechat/index'

async function main(): Promise<void> {
  const config = loadConfig(process.env)
  const ds = new DataSource(dataSourceOptions(config.database))
  await ds.initialize()
  const log = createLogger('silent')
  const deps = { config, ds, log, now: () => new Date() }
  let port = 0
  const server = process.env.RELAY_BENCH_APP === '1' ? createServer(createApp(deps).callback()) : null
  if (server) port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)))
  const before = process.env.RELAY_BENCH_MODE === 'before'
  const job = notificationJobs(INSTANCE_ID)[0]
  if (!job) throw new Error('no relay job')
  const tick = before ? () => relayOutboxOnce(deps, wechatClientFor(config), { instanceId: INSTANCE_ID, batch: 50, concurrency: 4, drain: false }).then(() => undefined) : () => job.run(deps)
  const timer = setInterval(() => void tick().catch((err: unknown) => console.error('relay run failed', err)), before ? 2_000 : job.intervalMs)
  process.send?.({ type: 'ready', port })
  process.on('message', () => {
    const cpu = process.cpuUsage()
    process.send?.({ type: 'stats', cpuMicros: cpu.user + cpu.system })
  })
  process.on('SIGTERM', () => {
    clearInterval(timer)
    server?.close()
    void ds.destroy().finally(() => process.exit(0))
  })
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
