import { randomBytes } from 'node:crypto'
import type { PublicationState } from '@palm/shared'
import { withWrite } from '../../db/tx'
import type { AppDeps } from '../../deps'
import { User } from '../auth/user.entity'
import { Ticket } from '../tickets/index'
import { WeChatError, type ContentSuggestion, type WeChatClient } from '../wechat/index'
import { Publication } from './publication.entity'

export interface ContentCheckOptions {
  instanceId: string
  batch?: number
  /** Retryable failures (WeChat down) before a person has to look at it instead. */
  maxAttempts?: number
}

export interface ContentCheckReport {
  claimed: number
  published: number
  held: number
  rejected: number
  retried: number
}

type Verdict = { state: 'published' | 'held' | 'rejected'; result: string } | { state: 'retry'; reason: string }

/** msgSecCheck takes at most 2,500 characters per call. */
const MSG_SEC_CHECK_MAX_CHARS = 2500
/** msg_sec_check scene 3: forum posts, the nearest to a public board. */
const BOARD_SCENE = 3
const CLAIM_LEASE_MS = 2 * 60_000
const RANK: Record<ContentSuggestion, number> = { pass: 0, review: 1, risky: 2 }

/**
 * One pass of the content check for publications waiting in `pending`: WeChat msgSecCheck on the
 * masked text, as the reporter (msgSecCheck needs the openid of a recent user; the reporter just
 * used the app to allow publication). pass → published; review → held for a person; risky →
 * rejected. WeChat unreachable or busy → stays pending and is tried again later with backoff; an
 * error that will not go away (no openid, openid refused) → held. Unchecked text is never published.
 * Rows are claimed by conditional UPDATE, so two instances never check the same row at once.
 */
export async function checkPendingPublicationsOnce(deps: AppDeps, client: WeChatClient, options: ContentCheckOptions): Promise<ContentCheckReport> {
  const report: ContentCheckReport = { claimed: 0, published: 0, held: 0, rejected: 0, retried: 0 }
  const token = `${options.instanceId.slice(0, 40)}:${randomBytes(6).toString('hex')}`
  const rows = await claimPending(deps, token, options.batch ?? 20)
  report.claimed = rows.length
  for (const row of rows) {
    const verdict = await judge(deps, client, row)
    await settle(deps, row, token, verdict, options.maxAttempts ?? 12, report)
  }
  return report
}

async function claimPending(deps: AppDeps, token: string, batch: number): Promise<Publication[]> {
  const now = deps.now()
  const repo = deps.ds.getRepository(Publication)
  const candidates = await repo
    .createQueryBuilder('p')
    .select('p.ticket_id', 'id')
    .where("p.state = 'pending' AND p.next_check_at <= :now AND (p.claimed_until IS NULL OR p.claimed_until < :now)", { now })
    .orderBy('p.next_check_at', 'ASC')
    .limit(batch)
    .getRawMany<{ id: string }>()
  const ids = candidates.map((c) => c.id)
  if (ids.length === 0) return []
  await withWrite(deps.ds, (em) =>
    em
      .createQueryBuilder()
      .update(Publication)
      .set({ claimedBy: token, claimedUntil: new Date(now.getTime() + CLAIM_LEASE_MS) })
      .where('ticket_id IN (:...ids)', { ids })
      .andWhere("state = 'pending' AND (claimed_until IS NULL OR claimed_until < :now)", { now })
      .execute()
  )
  return repo.createQueryBuilder('p').where('p.ticket_id IN (:...ids) AND p.claimed_by = :token', { ids, token }).getMany()
}

/** The texts one call can check: the report and the reply together when they fit, else apart. */
function textsToCheck(row: Publication): string[] {
  const parts = [row.body, row.reply ?? ''].filter((t) => t.trim().length > 0)
  const joined = parts.join('\n')
  if (Array.from(joined).length <= MSG_SEC_CHECK_MAX_CHARS) return [joined]
  return parts.map((p) => Array.from(p).slice(0, MSG_SEC_CHECK_MAX_CHARS).join(''))
}

async function judge(deps: AppDeps, client: WeChatClient, row: Publication): Promise<Verdict> {
  const reporter = await deps.ds
    .getRepository(Ticket)
    .createQueryBuilder('t')
    .innerJoin(User, 'u', 'u.id = t.reporter_id')
    .select('u.openid', 'openid')
    .where('t.id = :id', { id: row.ticketId })
    .getRawOne<{ openid: string | null }>()
  if (!reporter?.openid) return { state: 'held', result: 'no_openid' }
  let worst: ContentSuggestion = 'pass'
  try {
    for (const text of textsToCheck(row)) {
      const { suggest } = await client.msgSecCheck(reporter.openid, text, BOARD_SCENE)
      if (RANK[suggest] > RANK[worst]) worst = suggest
      if (worst === 'risky') break
    }
  } catch (err) {
    if (err instanceof WeChatError && !err.retryable && err.kind !== 'misconfigured') return { state: 'held', result: `errcode_${err.errcode}` }
    const reason = err instanceof WeChatError ? `${err.errcode} ${err.kind}` : `internal: ${(err as Error).message}`
    return { state: 'retry', reason }
  }
  if (worst === 'risky') return { state: 'rejected', result: 'risky' }
  if (worst === 'review') return { state: 'held', result: 'review' }
  return { state: 'published', result: 'pass' }
}

/** Writes the verdict while this pass still holds the claim and nobody withdrew the copy meanwhile. */
async function settle(deps: AppDeps, row: Publication, token: string, verdict: Verdict, maxAttempts: number, report: ContentCheckReport): Promise<void> {
  const now = deps.now()
  let changes: Partial<Publication>
  if (verdict.state === 'retry') {
    const attempts = row.checkAttempts + 1
    const givingUp = attempts >= maxAttempts
    changes = givingUp
      ? { state: 'held', checkAttempts: attempts, checkResult: 'unavailable', lastError: verdict.reason.slice(0, 255) }
      : { checkAttempts: attempts, nextCheckAt: new Date(now.getTime() + retryDelayMs(attempts)), lastError: verdict.reason.slice(0, 255) }
    if (givingUp) report.held++
    else report.retried++
  } else {
    const state: PublicationState = verdict.state
    changes = { state, checkResult: verdict.result, checkedAt: now, checkAttempts: row.checkAttempts + 1, ...(state === 'published' ? { publishedAt: now } : {}) }
    report[verdict.state]++
  }
  await withWrite(deps.ds, (em) =>
    em
      .createQueryBuilder()
      .update(Publication)
      .set({ ...changes, claimedBy: null, claimedUntil: null, updatedAt: now })
      .where("ticket_id = :id AND claimed_by = :token AND state = 'pending'", { id: row.ticketId, token })
      .execute()
  )
}

/** 1, 2, 4 … minutes, at most an hour. */
function retryDelayMs(attempts: number): number {
  return Math.min(60 * 60_000, 60_000 * 2 ** Math.max(0, attempts - 1))
}
