/**
 * Notifications: the outbox written with each change, the WeChat relay, the in-app message centre
 * and subscribe-message grants. Other modules write through enqueueNotification(s) in their own
 * transaction; ticket events arrive through the ticket event hook.
 */
import type { AppDeps, BackgroundJob } from '../../deps'
import { wechatClientFor } from '../wechat/index'
import { relayOutboxOnce } from './relay'

export { enqueueNotification, enqueueNotifications, WECHAT_SUBSCRIBE_CHANNEL, type NotificationInput, type EnqueuedNotifications } from './outbox'
export { relayOutboxOnce, backoffMs, INSTANCE_ID, RELAY_DEFAULTS, type RelayOptions, type RelayReport } from './relay'
export { notifyServiceUsers, type ServiceNoticeInput } from './service-notices'
export { notifyTicketEvent, TICKET_NOTICE_RULES } from './ticket-notices'
export { createMessagesRouter } from './messages.routes'
export { Message, NotificationOutbox, SubscriptionGrant, type DispatchState } from './notification.entity'
export { TEMPLATE_FIELDS, type OutboxPayload } from './templates'

/** Drains running in this process, per database: a timer tick while one still runs does nothing. */
const draining = new WeakSet<AppDeps['ds']>()
const running = new Set<Promise<unknown>>()
const shutdown = new AbortController()

/**
 * For a graceful shutdown, before the database closes: relays of this process start no new send,
 * finish and record the sends in flight, and put their other claims back. Without it, sends cut off by
 * the closing pool would stay `sending` and end `unknown` although delivered.
 */
export async function stopNotificationRelay(): Promise<void> {
  shutdown.abort()
  await Promise.allSettled([...running])
}

/**
 * The relay; every instance runs it (rows are claimed). It runs every second and each run drains until nothing is due (at most RELAY_DEFAULTS.budgetMs), one
 * drain at a time per process.
 */
export function notificationJobs(instanceId: string): BackgroundJob[] {
  return [
    {
      name: 'notification relay',
      intervalMs: 1_000,
      run: async (deps) => {
        if (Object.keys(deps.config.wechat.templateIds).length === 0 || draining.has(deps.ds) || shutdown.signal.aborted) return
        draining.add(deps.ds)
        const { concurrency, maxPerSecond } = deps.config.relay
        const drain = relayOutboxOnce(deps, wechatClientFor(deps.config), { instanceId, concurrency, maxPerSecond, signal: shutdown.signal })
        running.add(drain)
        try {
          await drain
        } finally {
          running.delete(drain)
          draining.delete(deps.ds)
        }
      }
    }
  ]
}
