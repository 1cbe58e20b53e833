import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'
import { setTimeout as sleep } from 'node:timers/promises'
import type { TemplateKey } from '@palm/shared'
import { In, type DataSource, type UpdateQueryBuilder } from 'typeorm'
import { isSqlite, withTx, withWrite } from '../../db/tx'
import type { AppDeps } from '../../deps'
import { User } from '../auth/user.entity'
import { LOCAL_ERRCODES, WeChatError, type WeChatClient } from '../wechat/index'
import { NotificationOutbox, SubscriptionGrant, type DispatchState } from './notification.entity'
import { toTemplateData, type OutboxPayload } from './templates'

export interface RelayOptions {
  /** Names this server instance in `claimed_by` (with a fresh token per drain). */
  instanceId: string
  /** Rows claimed at a time; defaults to twice the concurrency. */
  batch?: number
  /** Sends in flight at once (RELAY_CONCURRENCY). */
  concurrency?: number
  /** After this many sends answered with a retryable error the row gives up (failed). */
  maxAttempts?: number
  /** Sends per second at most from this instance; 0 = no cap (RELAY_MAX_PER_SECOND). */
  maxPerSecond?: number
  /** A drain stops claiming after this long (ms), so a job run ends and shutdown waits little. */
  budgetMs?: number
  /** How long a claimed row waits before another relay may take it back; defaults to twice the send lease. */
  claimLeaseMs?: number
  /** false: claim one batch and stop (the old one-batch-per-run relay; the benchmark's "before"). */
  drain?: boolean
  /**
   * What happens to a row whose send started and whose outcome never came back:
   * - 'hold' (default): it becomes `unknown` and is never sent again; the message centre has it.
   * - 'resend': it goes back to pending and is sent again (a person who may get it twice rather than
   *   not at all); only for deployments that prefer duplicates to losses, see docs/messages.md.
   */
  unknownOutcome?: 'hold' | 'resend'
}

export interface RelayReport {
  claimed: number
  sent: number
  retried: number
  failed: number
  skipped: number
  /** Sends whose outcome is unknown (timeout, broken connection), held and not sent again. */
  unknown: number
  /** Rows left `sending` by a dead relay, found and marked unknown (or put back, with 'resend'). */
  recovered: number
  /** Rows this drain claimed but another relay had taken over before the send (its lease ran out). */
  lost: number
}

/** Where a row ends up after one attempt. */
type Outcome =
  | { state: 'sent' }
  | { state: 'skipped'; reason: string }
  | { state: 'failed'; reason: string }
  | { state: 'retry'; reason: string; rateLimited: boolean }
  | { state: 'unknown'; reason: string }

export const RELAY_DEFAULTS = {
  concurrency: 16,
  maxAttempts: 8,
  maxPerSecond: 0,
  budgetMs: 10_000,
  backoffBaseMs: 30_000,
  backoffMaxMs: 60 * 60_000
} as const

/** Candidates read per claim, as a multiple of the batch: instances claiming at once pick different rows among them. */
const CANDIDATE_FACTOR = 4
/** A claim that won no row although rows were due (another instance took them) is tried again this often. */
const CLAIM_TRIES = 5

/** The id of this process among several instances on one database. */
export const INSTANCE_ID = `${hostname()}-${process.pid}`.slice(0, 40)

/**
 * Drains the WeChat outbox (docs/messages.md). First takes back what dead relays left: rows left
 * `sending` whose send lease ran out become `unknown` (WeChat may have delivered them; with
 * unknownOutcome 'resend' they go back to pending), and rows left `claimed` are claimed again before
 * any pending row. Then it keeps claiming due rows, a batch at a time, and sends them `concurrency`
 * at a time, until nothing is due, `budgetMs` has passed, or WeChat says to slow down (45009/45011).
 *
 * Claims never lock ranges: candidate ids are read without locks, then taken by a conditional UPDATE
 * on the primary key (so two instances never hold the same row, and inserts into the outbox never
 * wait for the relay). Each send is marked `sending` (with the grant it spends) in one transaction
 * just before the request, and settled after the answer:
 * - accepted → sent; WeChat's retryable error (-1, 45009/45011, token refused after a refresh) →
 *   pending with backoff, until maxAttempts → failed; a terminal error (43101, 40003, 47003, 40037)
 *   → failed; no openid / template / grant → skipped (the message centre has it).
 * - no answer (timeout, broken connection, bad answer) → unknown, never sent again by default.
 * A message is therefore sent at most once, unless unknownOutcome is 'resend'.
 */
export async function relayOutboxOnce(deps: AppDeps, client: WeChatClient, options: RelayOptions): Promise<RelayReport> {
  const concurrency = Math.max(1, options.concurrency ?? RELAY_DEFAULTS.concurrency)
  const batch = Math.max(1, options.batch ?? concurrency * 2)
  const maxAttempts = options.maxAttempts ?? RELAY_DEFAULTS.maxAttempts
  const budgetMs = options.budgetMs ?? RELAY_DEFAULTS.budgetMs
  const resend = options.unknownOutcome === 'resend'
  // The token refresh and the send may each take the whole WeChat timeout; then a margin.
  const sendLeaseMs = 2 * deps.config.wechat.timeoutMs + 5_000
  // A claimed row waits for at most about two sends ahead of it in this drain's queue (batch = 2 × concurrency).
  const claimLeaseMs = options.claimLeaseMs ?? 2 * sendLeaseMs
  const token = `${options.instanceId.slice(0, 40)}:${randomBytes(6).toString('hex')}`
  const report: RelayReport = { claimed: 0, sent: 0, retried: 0, failed: 0, skipped: 0, unknown: 0, recovered: 0, lost: 0 }
  const started = Date.now()
  const pace = pacer(options.maxPerSecond ?? RELAY_DEFAULTS.maxPerSecond)

  report.recovered = await recoverInterruptedSends(deps, resend)

  const queue: NotificationOutbox[] = []
  const openids = new Map<string, string | null>()
  let exhausted = false
  let stop = false
  let claiming: Promise<void> | null = null
  const claimMore = (): Promise<void> => {
    claiming ??= (async () => {
      const rows = await claimDueRows(deps, token, batch, claimLeaseMs)
      if (rows === 'none_due') {
        exhausted = true
        return
      }
      report.claimed += rows.length
      for (const [id, openid] of await openidsOf(deps.ds, rows)) openids.set(id, openid)
      queue.push(...rows)
      if (options.drain === false) exhausted = true
    })().finally(() => {
      claiming = null
    })
    return claiming
  }
  const worker = async () => {
    for (;;) {
      if (stop) return // rate-limited: what is still queued is released below
      const row = queue.shift()
      if (!row) {
        if (exhausted || Date.now() - started > budgetMs) return
        await claimMore()
        continue
      }
      await pace()
      const outcome = await dispatch(deps, client, row, token, openids.get(row.userId) ?? null, sendLeaseMs, resend)
      if (outcome === 'lost') {
        report.lost++
        continue
      }
      if (outcome.state === 'retry' && outcome.rateLimited) stop = true
      await settle(deps, row, token, outcome, maxAttempts, report)
    }
  }
  const results = await Promise.allSettled(Array.from({ length: concurrency }, worker))
  if (queue.length > 0) await releaseClaims(deps, token, queue.splice(0))
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')
  if (failure) throw failure.reason
  return report
}

/** Sends at most `perSecond` a second from this drain (0: no cap), spaced evenly. */
function pacer(perSecond: number): () => Promise<void> {
  if (perSecond <= 0) return async () => undefined
  const gap = 1000 / perSecond
  let next = Date.now()
  return async () => {
    const now = Date.now()
    const at = Math.max(now, next)
    next = at + gap
    if (at > now) await sleep(at - now)
  }
}

/**
 * An UPDATE by primary key only. On MariaDB the statement is pinned to the primary key (FORCE INDEX):
 * left to itself the optimizer may walk IDX_notification_outbox_due for the state condition, and that
 * range's next-key locks are exactly where a submission inserts its new pending rows (issue 15: five
 * deadlocks in 3,197 submissions). Returns the rows changed.
 */
async function updateByIds(ds: DataSource, build: (qb: UpdateQueryBuilder<NotificationOutbox>) => UpdateQueryBuilder<NotificationOutbox>): Promise<number> {
  return withWrite(ds, async (em) => {
    const qb = build(em.createQueryBuilder().update(NotificationOutbox))
    if (isSqlite(ds)) return (await qb.execute()).affected ?? 0
    const [sql, params] = qb.getQueryAndParameters()
    const pinned = sql.replace(/^UPDATE `notification_outbox`/, 'UPDATE `notification_outbox` FORCE INDEX (PRIMARY)')
    const runner = em.connection.createQueryRunner()
    try {
      return (await runner.query(pinned, params, true)).affected ?? 0
    } finally {
      await runner.release()
    }
  })
}

/**
 * Rows left `sending` by a relay that died (its send lease ran out): the send may have reached WeChat,
 * so they become `unknown` (or, with 'resend', pending again). Found by a plain read, changed by id.
 */
async function recoverInterruptedSends(deps: AppDeps, resend: boolean): Promise<number> {
  const now = deps.now()
  const rows = await deps.ds
    .getRepository(NotificationOutbox)
    .createQueryBuilder('o')
    .select('o.id', 'id')
    .where("o.dispatch_state = 'sending' AND o.claimed_until < :now", { now })
    .limit(500)
    .getRawMany<{ id: string }>()
  if (rows.length === 0) return 0
  const ids = rows.map((r) => r.id)
  const set = resend
    ? { dispatchState: 'pending' as const, nextAttemptAt: now, claimedBy: null, claimedUntil: null, lastError: 'relay died mid-send; sent again (resend rule)' }
    : { dispatchState: 'unknown' as const, claimedUntil: null, lastError: 'relay died mid-send; outcome unknown, not sent again' }
  return updateByIds(deps.ds, (qb) =>
    qb
      .set(set)
      .where('id IN (:...ids)', { ids })
      .andWhere("dispatch_state = 'sending' AND claimed_until < :now", { now })
  )
}

/**
 * Claims up to `batch` rows for this drain: rows a dead relay left `claimed` first, then due pending
 * rows, oldest first. Candidates are read without locks (a few batches' worth, of which this drain
 * takes a random `batch`, so instances claiming at the same moment mostly pick different rows); the
 * conditional UPDATE by id re-checks each, so a row goes to exactly one drain. 'none_due' when nothing
 * is due; an empty list never leaves this function while rows are due (it tries again).
 */
async function claimDueRows(deps: AppDeps, token: string, batch: number, claimLeaseMs: number): Promise<NotificationOutbox[] | 'none_due'> {
  const repo = deps.ds.getRepository(NotificationOutbox)
  for (let attempt = 0; attempt < CLAIM_TRIES; attempt++) {
    const now = deps.now()
    const want = batch * CANDIDATE_FACTOR
    const abandoned = await repo
      .createQueryBuilder('o')
      .select('o.id', 'id')
      .where("o.dispatch_state = 'claimed' AND o.claimed_until < :now", { now })
      .limit(want)
      .getRawMany<{ id: string }>()
    const due =
      abandoned.length >= want
        ? []
        : await repo
            .createQueryBuilder('o')
            .select('o.id', 'id')
            .where("o.dispatch_state = 'pending' AND o.next_attempt_at <= :now", { now })
            .orderBy('o.next_attempt_at', 'ASC')
            .addOrderBy('o.id', 'ASC')
            .limit(want - abandoned.length)
            .getRawMany<{ id: string }>()
    if (abandoned.length + due.length === 0) return 'none_due'
    // Abandoned claims first, then a random pick among the due candidates (oldest batches stay ahead).
    const ids = [...abandoned.map((r) => r.id), ...shuffle(due.map((r) => r.id))].slice(0, batch)
    const leaseUntil = new Date(now.getTime() + claimLeaseMs)
    const won = await updateByIds(deps.ds, (qb) =>
      qb
        .set({ dispatchState: 'claimed', claimedBy: token, claimedUntil: leaseUntil })
        .where('id IN (:...ids)', { ids })
        .andWhere("((dispatch_state = 'pending' AND next_attempt_at <= :now) OR (dispatch_state = 'claimed' AND claimed_until < :now))", { now })
    )
    if (won > 0) {
      return repo
        .createQueryBuilder('o')
        .where('o.id IN (:...ids)', { ids })
        .andWhere('o.claimed_by = :token', { token })
        .orderBy('o.next_attempt_at', 'ASC')
        .addOrderBy('o.created_at', 'ASC')
        .getMany()
    }
  }
  return []
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1))
    const a = items[i]
    const b = items[j]
    if (a === undefined || b === undefined) continue
    items[i] = b
    items[j] = a
  }
  return items
}

/** The openid of each row's person (null: none, or the account is disabled), one read per batch. */
async function openidsOf(ds: DataSource, rows: readonly NotificationOutbox[]): Promise<Map<string, string | null>> {
  const ids = [...new Set(rows.map((r) => r.userId))]
  if (ids.length === 0) return new Map()
  const users = await ds.getRepository(User).find({ select: { id: true, openid: true, disabled: true }, where: { id: In(ids) } })
  const found = new Map(users.map((u) => [u.id, u.disabled ? null : (u.openid ?? null)]))
  return new Map(ids.map((id) => [id, found.get(id) ?? null]))
}

/** Puts claimed rows this drain will not send back in the pool (WeChat asked us to slow down). */
async function releaseClaims(deps: AppDeps, token: string, rows: readonly NotificationOutbox[]): Promise<void> {
  const ids = rows.map((r) => r.id)
  await updateByIds(deps.ds, (qb) =>
    qb
      .set({ dispatchState: 'pending', claimedBy: null, claimedUntil: null })
      .where('id IN (:...ids)', { ids })
      .andWhere("claimed_by = :token AND dispatch_state = 'claimed'", { token })
  )
}

/** Thrown inside the start transaction when the claim is no longer ours; undoes the grant taken. */
class ClaimLost extends Error {}

/**
 * One row: the checks, then "mark, then send". The grant is spent and the row marked `sending` (with
 * a lease of the WeChat timeout and a margin) together (startSend), only if this drain still holds
 * the claim; only then does the request leave. 'lost' when another relay took the row over meanwhile.
 */
async function dispatch(
  deps: AppDeps,
  client: WeChatClient,
  row: NotificationOutbox,
  token: string,
  openid: string | null,
  sendLeaseMs: number,
  resend: boolean
): Promise<Outcome | 'lost'> {
  if (!openid) return { state: 'skipped', reason: 'no_openid' }
  const templateId = deps.config.wechat.templateIds[row.templateKey as TemplateKey]
  if (!templateId) return { state: 'skipped', reason: 'no_template' }
  const start = await startSend(deps, row, token, templateId, sendLeaseMs)
  if (start === 'lost') return 'lost'
  if (start === 'no_grant') return { state: 'skipped', reason: 'no_grant' }
  row.grantConsumed = true
  row.attempts += 1
  row.dispatchState = 'sending'
  const payload = JSON.parse(row.payload) as OutboxPayload
  try {
    await client.sendSubscribeMessage({ touser: openid, template_id: templateId, page: payload.page, data: toTemplateData(payload.data), lang: 'zh_CN' })
    return { state: 'sent' }
  } catch (err) {
    return classify(deps, err, row.userId, templateId, resend)
  }
}

/**
 * "Mark": spends the person's grant (unless an earlier attempt did) and marks the row `sending` with
 * the send lease, both or neither, and only while this drain still holds the claim. On MariaDB/MySQL
 * that is one multi-table UPDATE (one round trip; 2 rows changed means done, else a read tells
 * whether the grant ran out or the claim was lost); on SQLite a transaction of two UPDATEs.
 */
async function startSend(deps: AppDeps, row: NotificationOutbox, token: string, templateId: string, sendLeaseMs: number): Promise<'started' | 'no_grant' | 'lost'> {
  const now = deps.now()
  const leaseUntil = new Date(now.getTime() + sendLeaseMs)
  const mark = (qb: UpdateQueryBuilder<NotificationOutbox>) =>
    qb
      .set({ dispatchState: 'sending', grantConsumed: true, attempts: row.attempts + 1, claimedUntil: leaseUntil })
      .where("id = :id AND claimed_by = :token AND dispatch_state = 'claimed'", { id: row.id, token })
  if (row.grantConsumed) return (await updateByIds(deps.ds, mark)) === 1 ? 'started' : 'lost'
  if (!isSqlite(deps.ds)) {
    const changed = await withWrite(deps.ds, async (em) => {
      const runner = em.connection.createQueryRunner()
      try {
        const sql =
          'UPDATE notification_outbox o FORCE INDEX (PRIMARY) JOIN subscription_grants g ON g.user_id = o.user_id AND g.template_id = ? ' +
          "SET g.remaining = g.remaining - 1, g.updated_at = ?, o.dispatch_state = 'sending', o.grant_consumed = 1, o.attempts = ?, o.claimed_until = ? " +
          "WHERE o.id = ? AND o.claimed_by = ? AND o.dispatch_state = 'claimed' AND g.remaining > 0"
        return (await runner.query(sql, [templateId, now, row.attempts + 1, leaseUntil, row.id, token], true)).affected ?? 0
      } finally {
        await runner.release()
      }
    })
    if (changed === 2) return 'started'
    const still = await deps.ds.getRepository(NotificationOutbox).findOne({ select: { id: true, claimedBy: true, dispatchState: true }, where: { id: row.id } })
    return still?.claimedBy === token && still.dispatchState === 'claimed' ? 'no_grant' : 'lost'
  }
  try {
    return await withTx(deps.ds, async (em) => {
      const taken = await em
        .createQueryBuilder()
        .update(SubscriptionGrant)
        .set({ remaining: () => 'remaining - 1', updatedAt: now })
        .where('user_id = :userId AND template_id = :templateId AND remaining > 0', { userId: row.userId, templateId })
        .execute()
      if (taken.affected !== 1) return 'no_grant' as const
      if ((await mark(em.createQueryBuilder().update(NotificationOutbox)).execute()).affected !== 1) throw new ClaimLost()
      return 'started' as const
    })
  } catch (err) {
    if (err instanceof ClaimLost) return 'lost'
    throw err
  }
}

/**
 * Sorts a failed send. A WeChat answer (any errcode WeChat itself gives) means the message was not
 * delivered, so retryable ones are tried again. No answer at all (our timeout, a broken connection, an
 * unreadable answer) after the request left means WeChat may have delivered it: unknown. The token
 * fetch fails before the send leaves, so its local errors are plain retries.
 */
async function classify(deps: AppDeps, err: unknown, userId: string, templateId: string, resend: boolean): Promise<Outcome> {
  if (!(err instanceof WeChatError)) return unknownOutcome(`internal: ${(err as Error).message}`.slice(0, 200), resend)
  const reason = `${err.errcode} ${err.kind}`
  const local = Object.values(LOCAL_ERRCODES).includes(err.errcode as (typeof LOCAL_ERRCODES)[keyof typeof LOCAL_ERRCODES])
  if (local && err.endpoint !== 'stable_token') return unknownOutcome(reason, resend)
  if (err.errcode === 43101) await forgetGrants(deps, userId, templateId)
  // A misconfigured app (bad secret) is fixed by a person; the message waits for that rather than dying.
  if (err.retryable || err.kind === 'misconfigured') return { state: 'retry', reason, rateLimited: err.kind === 'rate_limited' }
  return { state: 'failed', reason }
}

function unknownOutcome(reason: string, resend: boolean): Outcome {
  return resend ? { state: 'retry', reason, rateLimited: false } : { state: 'unknown', reason }
}

/** 43101: WeChat holds no credit for this person and template, so our count was stale. */
async function forgetGrants(deps: AppDeps, userId: string, templateId: string): Promise<void> {
  await withWrite(deps.ds, (em) =>
    em.createQueryBuilder().update(SubscriptionGrant).set({ remaining: 0, updatedAt: deps.now() }).where('user_id = :userId AND template_id = :templateId', { userId, templateId }).execute()
  )
}

/**
 * Records the outcome while this drain still holds the row. A `sending` row another relay marked
 * `unknown` (our send outlived its lease) still takes the real outcome: the token is kept for that.
 */
async function settle(deps: AppDeps, row: NotificationOutbox, token: string, outcome: Outcome, maxAttempts: number, report: RelayReport): Promise<void> {
  const now = deps.now()
  const attempts = row.attempts
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
    case 'unknown':
      state = 'unknown'
      lastError = `${outcome.reason}; outcome unknown, not sent again`.slice(0, 255)
      report.unknown++
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
  const from: DispatchState[] = row.dispatchState === 'sending' ? ['sending', 'unknown'] : ['claimed']
  await updateByIds(deps.ds, (qb) =>
    qb
      .set({ dispatchState: state, attempts, nextAttemptAt, lastError, claimedBy: null, claimedUntil: null, ...(state === 'sent' ? { sentAt: now } : {}) })
      .where('id = :id AND claimed_by = :token AND dispatch_state IN (:...from)', { id: row.id, token, from })
  )
}

/** 30 s, 1 min, 2 min … capped at an hour, plus up to a quarter more at random so retries spread out. */
export function backoffMs(attempts: number): number {
  const base = Math.min(RELAY_DEFAULTS.backoffMaxMs, RELAY_DEFAULTS.backoffBaseMs * 2 ** Math.max(0, attempts - 1))
  return Math.round(base * (1 + Math.random() * 0.25))
}
