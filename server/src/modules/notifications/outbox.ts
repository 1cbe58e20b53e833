import { randomUUID } from 'node:crypto'
import { MessageLimits, type MessageKind, type TemplateKey } from '@palm/shared'
import type { EntityManager } from 'typeorm'
import type { AppDeps } from '../../deps'
import { insertRows, type PendingWrites } from '../../db/write-batch'
import { timeOrderedId } from './ids'
import { Message, NotificationOutbox } from './notification.entity'
import type { OutboxPayload } from './templates'

export const WECHAT_SUBSCRIBE_CHANNEL = 'wechat_subscribe'

/** One thing one person should hear of. */
export interface NotificationInput {
  userId: string
  kind: MessageKind
  /** The message-centre title and text. */
  title: string
  body: string
  ticketId?: string | null
  /** Also send a WeChat subscribe message with this template, when the deployment configured it. */
  push?: { templateKey: TemplateKey; payload: OutboxPayload }
}

/** What was written: the message ids, and the outbox ids of the pushes that were queued. */
export interface EnqueuedNotifications {
  messageIds: string[]
  outboxIds: string[]
}

const cut = (s: string, max: number) => {
  const c = Array.from(s)
  return c.length <= max ? s : `${c.slice(0, max - 1).join('')}…`
}

/**
 * Writes notifications with the caller's `em`, inside the transaction of the change they report: a
 * message-centre row for each, and an outbox row for each push whose template the deployment
 * configured (WECHAT_TEMPLATE_IDS). Nothing is sent here; the relay sends after the commit, so a
 * rolled-back change leaves no message and no outbox row. One INSERT per table for the whole batch.
 * With `writes` (a ticket being filed), the rows are queued there instead and written with the ticket.
 * Other modules (services: bookings, activities) call this for their own events.
 */
export async function enqueueNotifications(em: EntityManager, deps: AppDeps, inputs: readonly NotificationInput[], writes?: PendingWrites): Promise<EnqueuedNotifications> {
  if (inputs.length === 0) return { messageIds: [], outboxIds: [] }
  const now = deps.now()
  const templateIds = deps.config.wechat.templateIds
  const messages: Message[] = []
  const outbox: NotificationOutbox[] = []
  for (const n of inputs) {
    const message = Object.assign(new Message(), {
      id: timeOrderedId(),
      userId: n.userId,
      kind: n.kind,
      title: cut(n.title, MessageLimits.titleMax),
      body: cut(n.body, MessageLimits.bodyMax),
      ticketId: n.ticketId ?? null,
      readAt: null,
      createdAt: now
    })
    messages.push(message)
    if (n.push && templateIds[n.push.templateKey]) {
      outbox.push(
        Object.assign(new NotificationOutbox(), {
          id: randomUUID(),
          userId: n.userId,
          channel: WECHAT_SUBSCRIBE_CHANNEL,
          kind: n.kind,
          templateKey: n.push.templateKey,
          payload: JSON.stringify(n.push.payload),
          messageId: message.id,
          dispatchState: 'pending',
          attempts: 0,
          grantConsumed: false,
          nextAttemptAt: now,
          claimedBy: null,
          claimedUntil: null,
          lastError: null,
          sentAt: null,
          createdAt: now
        })
      )
    }
  }
  // Every column is given, so plain multi-row INSERTs: no RETURNING / re-SELECT of defaults.
  if (writes) {
    writes.insert(Message, messages)
    writes.insert(NotificationOutbox, outbox)
  } else {
    await insertRows(em, Message, messages)
    await insertRows(em, NotificationOutbox, outbox)
  }
  return { messageIds: messages.map((m) => m.id), outboxIds: outbox.map((o) => o.id) }
}

/** One notification; see enqueueNotifications. */
export async function enqueueNotification(em: EntityManager, deps: AppDeps, input: NotificationInput): Promise<EnqueuedNotifications> {
  return enqueueNotifications(em, deps, [input])
}
