import { RATE_LIMITS, TIP_OFF_KINDS, type RateLimitBucket } from '@palm/shared'
import type { DataSource, EntityManager } from 'typeorm'
import type { Config } from '../../config'
import { withWrite } from '../../db/tx'
import type { AppDeps } from '../../deps'
import { RateLimitedError } from '../../errors'
import { RateLimitCounter } from './rate-limit.entity'

/**
 * One hit on a shared limit, as a single statement: an upsert that adds 1 to the subject's counter
 * (or starts a new window at 1 when the current one is over), and that the table's CHECK
 * (hits <= max_hits) refuses once the maximum is reached. Count and refusal are therefore atomic on
 * every instance and node: no read, no lock held beyond the statement (or the caller's transaction).
 * A window starts at the subject's first hit and lasts the bucket's `windowSeconds`.
 */
export interface LimitHit {
  readonly bucket: RateLimitBucket
  readonly subject: string
  readonly sql: string
  readonly params: unknown[]
  readonly windowSeconds: number
  /** Epoch seconds of the hit. */
  readonly at: number
}

/** MariaDB/MySQL: assignments run left to right, so `window_start` is assigned last and the others see the old one. */
const UPSERT_MYSQL =
  'INSERT INTO rate_limits (bucket, subject, window_start, hits, max_hits, expires_at) VALUES (?, ?, ?, 1, ?, ?) ON DUPLICATE KEY UPDATE ' +
  'hits = IF(VALUES(window_start) >= window_start + ?, 1, hits + 1), expires_at = IF(VALUES(window_start) >= window_start + ?, VALUES(expires_at), expires_at), ' +
  'max_hits = VALUES(max_hits), window_start = IF(VALUES(window_start) >= window_start + ?, VALUES(window_start), window_start)'

/** SQLite: every SET expression sees the old row. */
const UPSERT_SQLITE =
  'INSERT INTO rate_limits (bucket, subject, window_start, hits, max_hits, expires_at) VALUES (?, ?, ?, 1, ?, ?) ON CONFLICT (bucket, subject) DO UPDATE SET ' +
  'hits = CASE WHEN excluded.window_start >= window_start + ? THEN 1 ELSE hits + 1 END, expires_at = CASE WHEN excluded.window_start >= window_start + ? THEN excluded.expires_at ELSE expires_at END, ' +
  'max_hits = excluded.max_hits, window_start = CASE WHEN excluded.window_start >= window_start + ? THEN excluded.window_start ELSE window_start END'

const REFUSALS: Record<RateLimitBucket, string> = {
  sign_in: 'Too many sign-in attempts from this address; try again shortly.',
  submission: 'You have sent many reports in a short time; please try again later.',
  tip_off: 'You have sent the most tip-offs allowed today; please try again tomorrow.',
  upload: 'You have uploaded many photos in a short time; please try again later.',
  booking: 'You have made the most bookings allowed today; please try again tomorrow.',
  signup: 'You have signed up for the most activities allowed today; please try again tomorrow.',
  open311_key: 'Too many requests with this api_key; try again shortly.'
}

/** The effective maximum and window of a bucket (RATE_LIMITS × RATE_LIMIT_SCALE, at least 1). */
export function limitOf(config: Pick<Config, 'rateLimitScale'>, bucket: RateLimitBucket): { max: number; windowSeconds: number } {
  const { max, windowSeconds } = RATE_LIMITS[bucket]
  return { max: Math.max(1, Math.floor(max * config.rateLimitScale)), windowSeconds }
}

/** The statement of one hit for this database (see LimitHit); run it with consumeLimit or inside a batch. */
export function limitHit(ds: DataSource, config: Pick<Config, 'rateLimitScale'>, bucket: RateLimitBucket, subject: string, now: Date): LimitHit {
  const { max, windowSeconds } = limitOf(config, bucket)
  const at = Math.floor(now.getTime() / 1000)
  const column = ds.getMetadata(RateLimitCounter).findColumnWithPropertyName('expiresAt')
  if (!column) throw new Error('rate_limits.expires_at missing')
  const expiresAt: unknown = ds.driver.preparePersistentValue(new Date((at + windowSeconds) * 1000), column)
  const sql = ds.options.type === 'better-sqlite3' ? UPSERT_SQLITE : UPSERT_MYSQL
  const key = subject.slice(0, 128)
  return { bucket, subject: key, sql, params: [bucket, key, at, max, expiresAt, windowSeconds, windowSeconds, windowSeconds], windowSeconds, at }
}

/** True for the CHECK refusal of a hit (MariaDB 4025, MySQL 3819, SQLite CHECK), however it was wrapped. */
export function isLimitRefusal(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false
  const e = err as { message?: unknown; driverError?: { message?: unknown; sqlMessage?: unknown } }
  const texts = [e.message, e.driverError?.message, e.driverError?.sqlMessage]
  return texts.some((t) => typeof t === 'string' && t.includes('CHK_rate_limits_hits'))
}

/**
 * The 429 for refused hits; Retry-After is when the latest of their windows ends (read once, on the
 * refusal path only).
 */
async function refusal(ds: DataSource, hits: readonly LimitHit[]): Promise<RateLimitedError> {
  let retryAfter = 1
  let refused: LimitHit | undefined
  for (const hit of hits) {
    const row = await ds.getRepository(RateLimitCounter).findOneBy({ bucket: hit.bucket, subject: hit.subject })
    if (!row || row.hits < row.maxHits) continue
    const wait = Number(row.windowStart) + hit.windowSeconds - hit.at
    if (!refused || wait > retryAfter) refused = hit
    retryAfter = Math.max(retryAfter, wait)
  }
  if (!refused) retryAfter = Math.max(1, ...hits.map((h) => h.windowSeconds))
  const bucket = (refused ?? hits[0])?.bucket
  return new RateLimitedError(retryAfter, bucket ? REFUSALS[bucket] : 'Too many requests; try again later.')
}

/**
 * Counts one hit with the caller's EntityManager (so inside its transaction: a request that fails
 * later takes its hit back with the rollback).
 * @throws RateLimitedError 429 `rate_limited` with Retry-After when the subject is at the limit
 */
export async function consumeLimit(em: EntityManager, hit: LimitHit): Promise<void> {
  try {
    await em.query(hit.sql, hit.params)
  } catch (err) {
    if (isLimitRefusal(err)) throw await refusal(em.connection, [hit])
    throw err
  }
}

/**
 * Subjects the database refused, per DataSource, until their window ends: a source hammering sign-in
 * is answered 429 from memory after its first refusal instead of costing a database write per attempt.
 * Only refusals are remembered, so this never lets more through than the shared count does.
 */
const refusedUntil = new WeakMap<DataSource, Map<string, number>>()
const MAX_REMEMBERED_REFUSALS = 50_000

function rememberRefusal(ds: DataSource, key: string, untilMs: number, nowMs: number): void {
  let refused = refusedUntil.get(ds)
  if (!refused) refusedUntil.set(ds, (refused = new Map()))
  if (refused.size >= MAX_REMEMBERED_REFUSALS) {
    for (const [k, until] of refused) if (until <= nowMs) refused.delete(k)
    if (refused.size >= MAX_REMEMBERED_REFUSALS) refused.clear()
  }
  refused.set(key, untilMs)
}

/**
 * Counts one hit on its own (one statement, through the SQLite write queue), before the work it
 * limits: used where the work itself is costly (sign-in, photo decoding). A subject already refused
 * is refused again from memory until its window ends (no database write).
 * @throws RateLimitedError 429 `rate_limited` with Retry-After
 */
export async function hitLimit(deps: AppDeps, bucket: RateLimitBucket, subject: string): Promise<void> {
  const now = deps.now()
  const key = `${bucket}|${subject}`
  const until = refusedUntil.get(deps.ds)?.get(key)
  if (until !== undefined && until > now.getTime()) throw new RateLimitedError((until - now.getTime()) / 1000, REFUSALS[bucket])
  const hit = limitHit(deps.ds, deps.config, bucket, subject, now)
  try {
    await withWrite(deps.ds, (em) => consumeLimit(em, hit))
  } catch (err) {
    const retryAfter = (err as { extra?: { headers?: Record<string, string> } }).extra?.headers?.['Retry-After']
    if (err instanceof RateLimitedError && retryAfter) rememberRefusal(deps.ds, key, now.getTime() + Number(retryAfter) * 1000, now.getTime())
    throw err
  }
}

/**
 * Runs `work`, whose writes include `hits` (e.g. in the submission's one-round-trip batch), and turns
 * the database's refusal of any of them into the 429.
 * @throws RateLimitedError when a hit was refused (nothing of `work` was written)
 */
export async function withLimits<T>(ds: DataSource, hits: readonly LimitHit[], work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (err) {
    if (isLimitRefusal(err)) throw await refusal(ds, hits)
    throw err
  }
}

/** Deletes counters whose window ended (subjects that stopped coming); live counters are reused in place. */
export const rateLimitPruneJob = {
  name: 'rate-limit prune',
  intervalMs: 10 * 60 * 1000,
  run: async (deps: AppDeps): Promise<void> => {
    await withWrite(deps.ds, (em) => em.createQueryBuilder().delete().from(RateLimitCounter).where('expires_at < :now', { now: deps.now() }).execute())
  }
}

/** The hits a new report makes: `submission`, and `tip_off` as well for a fraud or hazard tip-off. */
export function submissionHits(deps: AppDeps, userId: string, kind: string): LimitHit[] {
  const now = deps.now()
  const hits = [limitHit(deps.ds, deps.config, 'submission', userId, now)]
  if ((TIP_OFF_KINDS as readonly string[]).includes(kind)) hits.push(limitHit(deps.ds, deps.config, 'tip_off', userId, now))
  return hits
}
