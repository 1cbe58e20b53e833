import type { MessageKind } from '@palm/shared'
import { Column, Entity, Index, PrimaryColumn } from 'typeorm'

/**
 * pending → claimed (a relay holds it, nothing sent yet) → sending (the send has started) →
 * sent | pending again (WeChat answered with a retryable error) | failed | skipped | unknown.
 * `unknown`: the send started but its outcome never came back (timeout, broken connection, or the
 * relay died mid-send). WeChat may have delivered it, so it is not sent again (docs/messages.md).
 */
export type DispatchState = 'pending' | 'claimed' | 'sending' | 'sent' | 'failed' | 'skipped' | 'unknown'

/**
 * One message to deliver outside the app (a WeChat subscribe message), written in the transaction of
 * the change it reports, so it exists exactly when the change does. The relay claims rows with a
 * conditional UPDATE; `dispatch_state` is the delivery state (FixMyStreet's send_state), never the
 * ticket's life-cycle state. The payload holds only what the message shows: no reporter, no phone.
 * `claimed_until` is the lease of the state it is in: of the claim while `claimed`, of the send
 * while `sending` (the WeChat timeout and a margin).
 */
@Entity('notification_outbox')
@Index('IDX_notification_outbox_due', ['dispatchState', 'nextAttemptAt'])
@Index('IDX_notification_outbox_user', ['userId', 'createdAt'])
export class NotificationOutbox {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string

  /** 'wechat_subscribe' (the only channel so far). */
  @Column({ type: 'varchar', length: 24 })
  channel: string

  /** What it reports (ticket_update, ticket_assigned, booking_reminder…). */
  @Column({ type: 'varchar', length: 32 })
  kind: MessageKind

  /** Our template key (TemplateKey); the WeChat template id is looked up from config when sending. */
  @Column({ name: 'template_key', type: 'varchar', length: 32 })
  templateKey: string

  /** JSON of the template's fields (see templates.ts), already cut to WeChat's limits. */
  @Column({ type: 'text' })
  payload: string

  /** The message-centre row it mirrors, if any. */
  @Column({ name: 'message_id', type: 'varchar', length: 36, nullable: true })
  messageId: string | null

  @Column({ name: 'dispatch_state', type: 'varchar', length: 16 })
  dispatchState: DispatchState

  @Column({ type: 'integer', default: 0 })
  attempts: number

  /** A subscription grant was used for this row; a retry sends with it rather than taking another. */
  @Column({ name: 'grant_consumed', type: 'boolean', default: false })
  grantConsumed: boolean

  @Column({ name: 'next_attempt_at', type: 'datetime' })
  nextAttemptAt: Date

  /** The relay drain that holds it (instance id + a random token), until `claimed_until`. */
  @Column({ name: 'claimed_by', type: 'varchar', length: 64, nullable: true })
  claimedBy: string | null

  @Column({ name: 'claimed_until', type: 'datetime', nullable: true })
  claimedUntil: Date | null

  @Column({ name: 'last_error', type: 'varchar', length: 255, nullable: true })
  lastError: string | null

  @Column({ name: 'sent_at', type: 'datetime', nullable: true })
  sentAt: Date | null

  @Column({ name: 'created_at', type: 'datetime' })
  createdAt: Date
}

/** A message in a person's in-app message centre. */
@Entity('messages')
@Index('IDX_messages_user_page', ['userId', 'createdAt', 'id'])
@Index('IDX_messages_user_unread', ['userId', 'readAt'])
export class Message {
  /** Time-ordered (UUID v7 layout), so messages of one instant keep the order they were written in. */
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string

  @Column({ type: 'varchar', length: 32 })
  kind: MessageKind

  @Column({ type: 'varchar', length: 64 })
  title: string

  @Column({ type: 'varchar', length: 500 })
  body: string

  @Column({ name: 'ticket_id', type: 'varchar', length: 36, nullable: true })
  ticketId: string | null

  @Column({ name: 'read_at', type: 'datetime', nullable: true })
  readAt: Date | null

  @Column({ name: 'created_at', type: 'datetime' })
  createdAt: Date
}

/**
 * Unused one-shot subscribe-message grants of a person for a WeChat template: each accepted
 * `requestSubscribeMessage` adds one; each message sent takes one by conditional UPDATE.
 */
@Entity('subscription_grants')
export class SubscriptionGrant {
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string

  @PrimaryColumn({ name: 'template_id', type: 'varchar', length: 128 })
  templateId: string

  @Column({ type: 'integer', default: 0 })
  remaining: number

  @Column({ name: 'updated_at', type: 'datetime' })
  updatedAt: Date
}
