import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'
import { setTimeout as sleep } from 'node:timers/promises'
import type { TemplateKey } from '@palm/shared'
import { Brackets, In, type DataSource, type UpdateQueryBuilder } from 'typeorm'
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
  /** Aborted at shutdown: the drain starts no new send, finishes and records those in flight, and puts its other claims back. */
  signal?: AbortSignal
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
  { state: 'sent' } | { state: 'skipped'; reason: string } | { state: 'failed'; reason: string } | { state: 'retry'; reason: string; rateLimited: boolean } | { state: 'unknown'; reason: string }

export const RELAY_DEFAULTS = {
  concurrency: 64,
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

  const marks = new GroupCommit<NotificationOutbox, StartResult>((rows) => startSends(deps, rows, token, sendLeaseMs))
  const settles = new GroupCommit<Settlement, void>((items) => settleAll(deps, token, items))
  const queue: NotificationOutbox[] = []
  const openids = new Map<string, string | null>()
  let exhausted = false
  let stop = false
  let claiming: Promise<void> | null = null
  const claimMore = (): Promise<void> => {
    claiming ??= (async () => {
      const rows = await claimDueRows(deps, token, batch, claimLeaseMs)
      if (options.drain === false) exhausted = true
      if (rows === 'none_due') {
        exhausted = true
        return
      }
      report.claimed += rows.length
      for (const [id, openid] of await openidsOf(deps.ds, rows)) openids.set(id, openid)
      queue.push(...rows)
    })().finally(() => {
      claiming = null
    })
    return claiming
  }
  const worker = async () => {
    for (;;) {
      if (stop || options.signal?.aborted) return // rate-limited or shutting down: what is still queued is released below
      const row = queue.shift()
      if (!row) {
        if (exhausted || Date.now() - started > budgetMs) return
        await claimMore()
        continue
      }
      await pace()
      const outcome = await dispatch(deps, client, row, openids.get(row.userId) ?? null, marks, resend)
      if (outcome === 'lost') {
        report.lost++
        continue
      }
      if (outcome.state === 'retry' && outcome.rateLimited) stop = true
      await settles.submit(settlement(deps, row, outcome, maxAttempts, report))
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
  return updateByIds(deps.ds, (qb) => qb.set(set).where('id IN (:...ids)', { ids }).andWhere("dispatch_state = 'sending' AND claimed_until < :now", { now }))
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
    const abandoned = await repo.createQueryBuilder('o').select('o.id', 'id').where("o.dispatch_state = 'claimed' AND o.claimed_until < :now", { now }).limit(want).getRawMany<{ id: string }>()
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
    qb.set({ dispatchState: 'pending', claimedBy: null, claimedUntil: null }).where('id IN (:...ids)', { ids }).andWhere("claimed_by = :token AND dispatch_state = 'claimed'", { token })
  )
}

/**
 * Group commit: callers submit one item each and get its own result, while the items that arrive
 * during a flush are written together by the next one. One row at a time when the relay is idle (no
 * added delay), a statement per dozens of rows when it is busy: each message then costs a fraction of a
 * commit, the relay's bottleneck on a database that flushes its log at every commit.
 */
class GroupCommit<I, O> {
  private waiting: Array<{ item: I; resolve: (o: O) => void; reject: (e: unknown) => void }> = []
  private flushing = false

  constructor(private readonly flush: (items: I[]) => Promise<O[]>) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject })
      if (!this.flushing) void this.run()
    })
  }

  private async run(): Promise<void> {
    this.flushing = true
    while (this.waiting.length > 0) {
      const group = this.waiting.splice(0, 64)
      try {
        const out = await this.flush(group.map((g) => g.item))
        group.forEach((g, i) => g.resolve(out[i] as O))
      } catch (err) {
        for (const g of group) g.reject(err)
      }
    }
    this.flushing = false
  }
}

type StartResult = 'started' | 'no_grant' | 'lost'

/**
 * One row: the checks, then "mark, then send". The row is marked `sending` (with a lease of the
 * WeChat timeout and a margin) and its grant spent, together and only while this drain still holds
 * the claim (startSends); only then does the request leave. 'lost' when another relay took it over.
 */
async function dispatch(
  deps: AppDeps,
  client: WeChatClient,
  row: NotificationOutbox,
  openid: string | null,
  marks: GroupCommit<NotificationOutbox, StartResult>,
  resend: boolean
): Promise<Outcome | 'lost'> {
  if (!openid) return { state: 'skipped', reason: 'no_openid' }
  const templateId = deps.config.wechat.templateIds[row.templateKey as TemplateKey]
  if (!templateId) return { state: 'skipped', reason: 'no_template' }
  const start = await marks.submit(row)
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

const pairKey = (userId: string, templateId: string) => `${userId}\u0000${templateId}`

/**
 * "Mark" for a group of rows, in one transaction: lock the rows still claimed by this drain (by primary
 * key), lock the grants they need, spend one grant per row that has one, and mark those rows `sending`
 * (attempts + 1, send lease). Rows whose person has no unused grant are left `claimed` and answered
 * 'no_grant' (the caller records them skipped); rows no longer ours are 'lost'. Two rows of the same
 * person and template in one group: the second waits for the next group, so each spends its own grant.
 */
async function startSends(deps: AppDeps, rows: NotificationOutbox[], token: string, sendLeaseMs: number): Promise<StartResult[]> {
  const results = new Map<NotificationOutbox, StartResult>()
  let pending = rows
  while (pending.length > 0) {
    const seen = new Set<string>()
    const group: NotificationOutbox[] = []
    const later: NotificationOutbox[] = []
    for (const row of pending) {
      const key = pairKey(row.userId, deps.config.wechat.templateIds[row.templateKey as TemplateKey] ?? '')
      if (!row.grantConsumed && seen.has(key)) later.push(row)
      else {
        if (!row.grantConsumed) seen.add(key)
        group.push(row)
      }
    }
    const out = await startGroup(deps, group, token, sendLeaseMs)
    group.forEach((row, i) => results.set(row, out[i] ?? 'lost'))
    pending = later
  }
  return rows.map((row) => results.get(row) ?? 'lost')
}

async function startGroup(deps: AppDeps, rows: NotificationOutbox[], token: string, sendLeaseMs: number): Promise<StartResult[]> {
  const now = deps.now()
  const mariadb = !isSqlite(deps.ds)
  const forUpdate = mariadb ? ' FOR UPDATE' : ''
  const pin = mariadb ? ' FORCE INDEX (PRIMARY)' : ''
  const templateOf = (row: NotificationOutbox) => deps.config.wechat.templateIds[row.templateKey as TemplateKey] ?? ''
  return withTx(deps.ds, async (em) => {
    const ids = rows.map((r) => r.id)
    const mine = (await em.query(`SELECT id FROM notification_outbox${pin} WHERE id IN (${ids.map(() => '?').join(', ')}) AND claimed_by = ? AND dispatch_state = 'claimed'${forUpdate}`, [
      ...ids,
      token
    ])) as Array<{ id: string }>
    const ours = new Set(mine.map((r) => r.id))
    const needing = rows.filter((r) => ours.has(r.id) && !r.grantConsumed)
    const granted = new Set<string>()
    if (needing.length > 0) {
      const where = needing.map(() => '(user_id = ? AND template_id = ?)').join(' OR ')
      const params = needing.flatMap((r) => [r.userId, templateOf(r)])
      const available = (await em.query(`SELECT user_id, template_id FROM subscription_grants WHERE (${where}) AND remaining > 0${forUpdate}`, params)) as Array<{
        user_id: string
        template_id: string
      }>
      for (const g of available) granted.add(pairKey(g.user_id, g.template_id))
      const spend = needing.filter((r) => granted.has(pairKey(r.userId, templateOf(r))))
      if (spend.length > 0) {
        await em
          .createQueryBuilder()
          .update(SubscriptionGrant)
          .set({ remaining: () => 'remaining - 1', updatedAt: now })
          .where(new Brackets((qb) => spend.forEach((r, i) => qb.orWhere(`(user_id = :u${i} AND template_id = :t${i})`, { [`u${i}`]: r.userId, [`t${i}`]: templateOf(r) }))))
          .execute()
      }
    }
    const results = rows.map((r): StartResult => (!ours.has(r.id) ? 'lost' : r.grantConsumed || granted.has(pairKey(r.userId, templateOf(r))) ? 'started' : 'no_grant'))
    const starting = rows.filter((_, i) => results[i] === 'started').map((r) => r.id)
    if (starting.length > 0) {
      await em
        .createQueryBuilder()
        .update(NotificationOutbox)
        .set({ dispatchState: 'sending', grantConsumed: true, attempts: () => 'attempts + 1', claimedUntil: new Date(now.getTime() + sendLeaseMs) })
        .where('id IN (:...starting)', { starting })
        .execute()
    }
    return results
  })
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

/** A row's outcome, as the columns it will get. */
interface Settlement {
  id: string
  /** The states it may be in: `claimed` (skipped before sending) or `sending` / `unknown` (sent). */
  from: DispatchState[]
  set: { dispatchState: DispatchState; lastError: string | null; nextAttemptAt?: Date; sentAt?: Date }
}

/** Turns an outcome into the row's new columns, and counts it. */
function settlement(deps: AppDeps, row: NotificationOutbox, outcome: Outcome, maxAttempts: number, report: RelayReport): Settlement {
  const from: DispatchState[] = row.dispatchState === 'sending' ? ['sending', 'unknown'] : ['claimed']
  const done = (set: Settlement['set']): Settlement => ({ id: row.id, from, set })
  switch (outcome.state) {
    case 'sent':
      report.sent++
      return done({ dispatchState: 'sent', lastError: null, sentAt: deps.now() })
    case 'skipped':
      report.skipped++
      return done({ dispatchState: 'skipped', lastError: outcome.reason })
    case 'failed':
      report.failed++
      return done({ dispatchState: 'failed', lastError: outcome.reason })
    case 'unknown':
      report.unknown++
      return done({ dispatchState: 'unknown', lastError: `${outcome.reason}; outcome unknown, not sent again`.slice(0, 255) })
    case 'retry':
      if (row.attempts >= maxAttempts) {
        report.failed++
        return done({ dispatchState: 'failed', lastError: outcome.reason.slice(0, 255) })
      }
      report.retried++
      return done({ dispatchState: 'pending', lastError: outcome.reason.slice(0, 255), nextAttemptAt: new Date(deps.now().getTime() + backoffMs(row.attempts)) })
  }
}

/**
 * Records outcomes while this drain still holds the rows: one UPDATE by primary key for all the rows
 * sent, one per other row. A `sending` row another relay marked `unknown` (its send outlived its lease)
 * still takes the real outcome: the claim token is kept for that.
 */
async function settleAll(deps: AppDeps, token: string, items: Settlement[]): Promise<void[]> {
  const sent = items.filter((i) => i.set.dispatchState === 'sent')
  const writes: Settlement[][] = [...(sent.length > 0 ? [sent] : []), ...items.filter((i) => i.set.dispatchState !== 'sent').map((i) => [i])]
  for (const group of writes) {
    const first = group[0]
    if (!first) continue
    const ids = group.map((g) => g.id)
    const from = [...new Set(group.flatMap((g) => g.from))]
    await updateByIds(deps.ds, (qb) =>
      qb.set({ ...first.set, claimedBy: null, claimedUntil: null }).where('id IN (:...ids) AND claimed_by = :token AND dispatch_state IN (:...from)', { ids, token, from })
    )
  }
  return items.map(() => undefined)
}

/** 30 s, 1 min, 2 min … capped at an hour, plus up to a quarter more at random so retries spread out. */
export function backoffMs(attempts: number): number {
  const base = Math.min(RELAY_DEFAULTS.backoffMaxMs, RELAY_DEFAULTS.backoffBaseMs * 2 ** Math.max(0, attempts - 1))
  return Math.round(base * (1 + Math.random() * 0.25))
}
