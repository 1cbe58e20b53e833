// A relay in a process of its own, for the crash test (relay.crash.test.ts) and the relay benchmark:
// it drains the outbox of the configured database (DATABASE_URL, or DATA_DIR/palm.sqlite) against
// WECHAT_API_BASE until it is told "stop" over IPC, or killed. Each drain's report goes to the parent.
// RELAY_CONCURRENCY, RELAY_CLAIM_LEASE_MS and RELAY_UNKNOWN (hold | resend) shape it.
import { setTimeout as sleep } from 'node:timers/promises'
import { loadConfig } from '../src/config'
import { createDataSource } from '../src/db/data-source'
import { createLogger } from '../src/logger'
import { relayOutboxOnce } from '../src/modules/notifications/index'
import { createWeChatClient } from '../src/modules/wechat/index'

async function main(): Promise<void> {
  const config = loadConfig(process.env)
  const ds = createDataSource(config.database)
  await ds.initialize()
  const deps = { config, ds, log: createLogger('silent'), now: () => new Date() }
  const client = createWeChatClient(config, { busyRetries: 0 })
  const claimLeaseMs = process.env.RELAY_CLAIM_LEASE_MS ? Number(process.env.RELAY_CLAIM_LEASE_MS) : undefined
  const unknownOutcome = process.env.RELAY_UNKNOWN === 'resend' ? 'resend' : 'hold'
  let stopping = false
  process.on('message', (msg) => {
    if (msg === 'stop') stopping = true
  })
  process.send?.({ type: 'ready' })
  // Bounded: the parent stops or kills it; a lost parent (IPC closed) ends it too.
  process.on('disconnect', () => (stopping = true))
  while (!stopping) {
    const report = await relayOutboxOnce(deps, client, { instanceId: `child-${process.pid}`, concurrency: config.relay.concurrency, claimLeaseMs, unknownOutcome })
    if (process.connected) process.send?.({ type: 'drain', report })
    if (report.claimed === 0 && report.recovered === 0) await sleep(100)
  }
  await ds.destroy()
  process.exit(0)
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
