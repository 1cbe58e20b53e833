import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'
import type { TemplateKey } from '@palm/shared'
import { withWrite } from '../../db/tx'
import type { AppDeps } from '../../deps'
import { User } from '../auth/user.entity'
import { WeChatError, type WeChatClient } from '../wechat/index'
import { NotificationOutbox, SubscriptionGrant, type DispatchState } from './notification.entity'
import { toTemplateData, type OutboxPayload } from './templates'

export interface RelayOptions {
  /** Names this server instance in `claimed_by` (with a fresh token per pass). */
  instanceId: string
  /** Rows claimed per pass. */
  batch?: number
  /** Sends in flight at once within a pass. */
  concurrency?: number
  /** After this many failed attempts a retryable error gives up too. */
  maxAttempts?: number
}

export interface RelayReport {
  claimed: number
  sent: number
  retried: number
  failed: number
  skipped: number
}

/** Where a claimed row ends up after one attempt. */
type Outcome = { state: 'sent' } | { state: 'skipped'; reason: string } | { state: 'failed'; reason: string } | { state: 'retry'; reason: string }

export const RELAY_DEFAULTS = { batch: 50, concurrency: 4, maxAttempts: 8, backoffBaseMs: 30_000, backoffMaxMs: 60 * 60_000 } as const

/** The id of this process among several instances on one database. */
export const INSTANCE_ID = `${hostname()}-${process.pid}`.slice(0, 40)

/**
 * One pass of the WeChat relay: claims due outbox rows with a conditional UPDATE (so two instances
 * never hold the same row), then sends each outside any transaction. Success → sent. A retryable
 * error (-1 busy, timeout, 45009/45011 rate limits, a token still refused after one refresh) → back
 * to pending with exponential backoff, until maxAttempts → failed. A terminal error (43101 refused or
 * no subscription credit, 40003 bad openid, 47003 bad template data, 40037 bad template) → failed at
 * once. No openid, no template configured or no unused grant → skipped (the message centre has it).
 * A crash mid-pass leaves rows `sending` with an expired lease; a later pass reclaims them, so
 * delivery is at least once and normally exactly once.
 */
export async function relayOutboxOnce(deps: AppDeps, client: WeChatClient, options: RelayOptions): Promise<RelayReport> {
  const batch = options.batch ?? RELAY_DEFAULTS.batch
  const concurrency = options.concurrency ?? RELAY_DEFAULTS.concurrency
  const maxAttempts = options.maxAttempts ?? RELAY_DEFAULTS.maxAttempts
  // Each send may wait for a token refresh and the send itself; the lease outlasts the whole pass.
  const leaseMs = Math.max(60_000, Math.ceil(batch / concurrency) * (2 * deps.config.wechat.timeoutMs + 1_000))
  const token = `${options.instanceId.slice(0, 40)}:${randomBytes(6).toString('hex')}`
  const rows = await claimDueRows(deps, token, batch, leaseMs)
  const report: RelayReport = { claimed: rows.length, sent: 0, retried: 0, failed: 0, skipped: 0 }
  let next = 0
  const worker = async () => {
    while (next < rows.length) {
      const row = rows[next++]
      if (!row) break
      const outcome = await deliver(deps, client, row, token)
      await settle(deps, row, token, outcome, maxAttempts, report)
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, rows.length) }, worker))
  return report
}

/**
 * Claims up to `batch` rows: due pending rows, and rows left `sending` by a pass whose lease ran out
 * (a crashed instance). The UPDATE re-checks the state, so of two instances reading the same
 * candidates each row goes to exactly one; the claim token tells which rows this pass won.
 */
async function claimDueRows(deps: AppDeps, token: string, batch: number, leaseMs: number): Promise<NotificationOutbox[]> {
  const now = deps.now()
  const repo = deps.ds.getRepository(NotificationOutbox)
  const due = await repo
    .createQueryBuilder('o')
    .select('o.id', 'id')
    .where("o.dispatch_state = 'pending' AND o.next_attempt_at <= :now", { now })
    .orderBy('o.next_attempt_at', 'ASC')
    .addOrderBy('o.id', 'ASC')
    .limit(batch)
    .getRawMany<{ id: string }>()
  const stuck = await repo
    .createQueryBuilder('o')
    .select('o.id', 'id')
    .where("o.dispatch_state = 'sending' AND o.claimed_until < :now", { now })
    .limit(batch)
    .getRawMany<{ id: string }>()
  const ids = [...new Set([...due, ...stuck].map((r) => r.id))].slice(0, batch)
  if (ids.length === 0) return []
  await withWrite(deps.ds, (em) =>
    em
      .createQueryBuilder()
      .update(NotificationOutbox)
      .set({ dispatchState: 'sending', claimedBy: token, claimedUntil: new Date(now.getTime() + leaseMs) })
      .where('id IN (:...ids)', { ids })
      .andWhere("((dispatch_state = 'pending' AND next_attempt_at <= :now) OR (dispatch_state = 'sending' AND claimed_until < :now))", { now })
      .execute()
  )
  return repo.createQueryBuilder('o').where('o.id IN (:...ids)', { ids }).andWhere('o.claimed_by = :token', { token }).orderBy('o.created_at', 'ASC').getMany()
}

async function deliver(deps: AppDeps, client: WeChatClient, row: NotificationOutbox, token: string): Promise<Outcome> {
  const user = await deps.ds.getRepository(User).findOne({ select: { id: true, openid: true, disabled: true }, where: { id: row.userId } })
  if (!user?.openid || user.disabled) return { state: 'skipped', reason: 'no_openid' }
  const templateId = deps.config.wechat.templateIds[row.templateKey as TemplateKey]
  if (!templateId) return { state: 'skipped', reason: 'no_template' }
  if (!row.grantConsumed) {
    const taken = await consumeGrant(deps, row.userId, templateId)
    if (!taken) return { state: 'skipped', reason: 'no_grant' }
    row.grantConsumed = true
    await withWrite(deps.ds, (em) =>
      em.createQueryBuilder().update(NotificationOutbox).set({ grantConsumed: true }).where('id = :id AND claimed_by = :token', { id: row.id, token }).execute()
    )
  }
  const payload = JSON.parse(row.payload) as OutboxPayload
  try {
    await client.sendSubscribeMessage({ touser: user.openid, template_id: templateId, page: payload.page, data: toTemplateData(payload.data), lang: 'zh_CN' })
    return { state: 'sent' }
  } catch (err) {
    if (!(err instanceof WeChatError)) return { state: 'retry', reason: `internal: ${(err as Error).message}` }
    const reason = `${err.errcode} ${err.kind}`
    if (err.errcode === 43101) await forgetGrants(deps, row.userId, templateId)
    // A misconfigured app (bad secret) is fixed by a person; the message waits for that rather than dying.
    if (err.retryable || err.kind === 'misconfigured') return { state: 'retry', reason }
    return { state: 'failed', reason }
  }
}

/** Takes one unused grant: a conditional UPDATE, so two sends never spend the same grant. */
async function consumeGrant(deps: AppDeps, userId: string, templateId: string): Promise<boolean> {
  const result = await withWrite(deps.ds, (em) =>
    em
      .createQueryBuilder()
      .update(SubscriptionGrant)
      .set({ remaining: () => 'remaining - 1', updatedAt: deps.now() })
      .where('user_id = :userId AND template_id = :templateId AND remaining > 0', { userId, templateId })
      .execute()
  )
  return result.affected === 1
}

/** 43101: WeChat holds no credit for this person and template, so our count was stale. */
async function forgetGrants(deps: AppDeps, userId: string, templateId: string): Promise<void> {
  await withWrite(deps.ds, (em) =>
    em.createQueryBuilder().update(SubscriptionGrant).set({ remaining: 0, updatedAt: deps.now() }).where('user_id = :userId AND template_id = :templateId', { userId, templateId }).execute()
  )
}

/** Records the outcome, only while this pass still holds the claim. */
async function settle(deps: AppDeps, row: NotificationOutbox, token: string, outcome: Outcome, maxAttempts: number, report: RelayReport): Promise<void> {
  const now = deps.now()
  const attempts = row.attempts + (outcome.state === 'skipped' ? 0 : 1)
  let state: DispatchState
  let nextAttemptAt = row.nextAttemptAt
  let lastError: string | null = null
  switch (outcome.state) {
    case 'sent':
      state = 'sent'
      report.sent++
      break
    case 'skipped':
      state = 'skipped'
      lastError = outcome.reason
      report.skipped++
      break
    case 'failed':
      state = 'failed'
      lastError = outcome.reason
      report.failed++
      break
    case 'retry':
      lastError = outcome.reason.slice(0, 255)
      if (attempts >= maxAttempts) {
        state = 'failed'
        report.failed++
      } else {
        state = 'pending'
        nextAttemptAt = new Date(now.getTime() + backoffMs(attempts))
        report.retried++
      }
      break
  }
  await withWrite(deps.ds, (em) =>
    em
      .createQueryBuilder()
      .update(NotificationOutbox)
      .set({ dispatchState: state, attempts, nextAttemptAt, lastError, claimedBy: null, claimedUntil: null, ...(state === 'sent' ? { sentAt: now } : {}) })
      .where('id = :id AND claimed_by = :token', { id: row.id, token })
      .execute()
  )
}

/** 30 s, 1 min, 2 min … capped at an hour, plus up to a quarter more at random so retries spread out. */
export function backoffMs(attempts: number): number {
  const base = Math.min(RELAY_DEFAULTS.backoffMaxMs, RELAY_DEFAULTS.backoffBaseMs * 2 ** Math.max(0, attempts - 1))
  return Math.round(base * (1 + Math.random() * 0.25))
}
