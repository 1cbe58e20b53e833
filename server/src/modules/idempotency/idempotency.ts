import { createHash, randomUUID } from 'node:crypto'
import type { EntityManager } from 'typeorm'
import { withTx, withWrite } from '../../db/tx'
import type { AppDeps } from '../../deps'
import { AppError, BadRequestError, ConflictError } from '../../errors'
import { isUniqueViolation } from '../../db/errors'
import { IdempotencyKey } from './idempotency-key.entity'
import { insertRows, type PendingWrites } from '../../db/write-batch'

const KEY_PATTERN = /^[A-Za-z0-9_-]{8,64}$/
/**
 * An in-flight claim is a lease: its request renews it every CLAIM_HEARTBEAT_MS while it runs (the
 * row's `created_at` is the last renewal). One not renewed for CLAIM_LEASE_MS belongs to a request
 * that died (a crash, a kill); a retry takes it over, so a phone retrying after a crash succeeds
 * within seconds instead of meeting 409 for minutes.
 */
export const CLAIM_LEASE_MS = 10_000
export const CLAIM_HEARTBEAT_MS = 3_000
/** Keys are kept well past the usual 24 hours of idempotency keys (docs/security.md REL-IDEM-2): a phone may retry a draft saved days ago. */
export const IDEMPOTENCY_RETENTION_MS = 7 * 24 * 60 * 60 * 1000

export interface IdempotentResponse<T> {
  status: number
  body: T
  /** True when the response is the stored one of an earlier request with the same key. */
  replayed: boolean
}

/** JSON with object keys sorted at every depth, so the same body always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}

/** The header's key, checked. @throws BadRequestError idempotency_key_required */
export function requireIdempotencyKey(header: string | undefined): string {
  if (!header) throw new BadRequestError('idempotency_key_required', 'Send an Idempotency-Key header (a UUID made when the user taps Submit).')
  if (!KEY_PATTERN.test(header)) {
    throw new BadRequestError('idempotency_key_required', 'The Idempotency-Key must be 8–64 letters, digits, “-” or “_” (a UUID is best).', [
      { path: 'Idempotency-Key', code: 'invalid_format', message: 'use a UUID' }
    ])
  }
  return header
}

/**
 * Runs a create at most once per (user, key) (docs/security.md REL-IDEM-2, IETF idempotency-key draft):
 * the key is claimed by INSERT under a unique index before the work, so a duplicate arriving
 * meanwhile gets 409 idempotency_in_flight (while the claim's lease is renewed: see CLAIM_LEASE_MS); the response is stored in the same transaction as the
 * work, so a retry after success gets the first response back and nothing new is created; the same
 * key with another body is 422 idempotency_key_reused. If the work fails the claim is released and
 * the key may be used again (nothing was created).
 */
/** The fingerprint of a request: the endpoint and its canonical body. */
export function requestHash(scope: string, body: unknown): string {
  return createHash('sha256')
    .update(`${scope}\n${canonicalJson(body)}`)
    .digest('hex')
}

export async function runIdempotent<T>(
  deps: AppDeps,
  userId: string,
  key: string,
  scope: string,
  body: unknown,
  work: (em: EntityManager) => Promise<{ status: number; body: T }>
): Promise<IdempotentResponse<T>> {
  const claim = await claimKey(deps, userId, key, requestHash(scope, body))
  if (claim.kind === 'replay') return { status: claim.status, body: claim.body as T, replayed: true }
  const heartbeat = keepClaimAlive(deps, claim.id)
  try {
    return await withTx(deps.ds, async (em) => {
      const result = await work(em)
      const done = await em
        .createQueryBuilder()
        .update(IdempotencyKey)
        .set({ status: 'done', responseStatus: result.status, responseBody: JSON.stringify(result.body), completedAt: deps.now() })
        .where('id = :id AND status = :status', { id: claim.id, status: 'in_flight' })
        .execute()
      if (done.affected !== 1) throw new ConflictError('idempotency_in_flight', 'Another request took over this Idempotency-Key.')
      return { ...result, replayed: false }
    })
  } catch (err) {
    await withWrite(deps.ds, (em) => em.getRepository(IdempotencyKey).delete({ id: claim.id, status: 'in_flight' })).catch(() => undefined)
    throw err
  } finally {
    heartbeat.stop()
  }
}

/**
 * Renews the claim's lease every CLAIM_HEARTBEAT_MS until stopped (a conditional UPDATE by id: once
 * the claim is done, released or taken over, it changes nothing). Errors are ignored: a missed
 * renewal at worst lets a retry take over, and then this request's completion fails with 409.
 */
function keepClaimAlive(deps: AppDeps, id: string): { stop: () => void } {
  const timer = setInterval(() => {
    void withWrite(deps.ds, (em) => em.createQueryBuilder().update(IdempotencyKey).set({ createdAt: deps.now() }).where('id = :id AND status = :status', { id, status: 'in_flight' }).execute()).catch(
      () => undefined
    )
  }, CLAIM_HEARTBEAT_MS)
  timer.unref()
  return { stop: () => clearInterval(timer) }
}

/**
 * runIdempotent for work that first reads and then writes everything in one go (PendingWrites, the
 * submission). `attempt()` reads and returns the response and the writes; the key is then claimed
 * *with* its answer by the first statement of the writes' transaction (one round trip on MariaDB, no
 * claim committed on its own). The unique index on (user, key) keeps runIdempotent's guarantees:
 * - a retry after success meets the stored row: its transaction rolls back and the stored answer is
 *   replayed (another body: 422). A failing attempt (a photo now on the first ticket, a category
 *   switched off since) also looks for a stored answer first, so a replay never depends on reads;
 * - a duplicate whose write meets ours uncommitted gets 409 at once (claimFirst); two duplicates
 *   still preparing both read, and whichever writes first is the answer the other replays: nothing is
 *   made twice, and nothing of a failed request stays behind (there is no claim to release);
 * - an `in_flight` claim (runIdempotent's, by another endpoint or a request that died) is 409 while
 *   its lease runs and is taken over once it ran out.
 * `retry(err)` lets a failed commit run the attempt again (a ticket number clash), `attempts` times
 * at most.
 */
export async function runIdempotentWrites<T>(
  deps: AppDeps,
  userId: string,
  key: string,
  scope: string,
  body: unknown,
  attempt: () => Promise<{ status: number; body: T; writes: PendingWrites }>,
  opts: { retry?: (err: unknown) => boolean; attempts?: number } = {}
): Promise<IdempotentResponse<T>> {
  const hash = requestHash(scope, body)
  let takeovers = 0
  for (let n = 1; ; n++) {
    let result: { status: number; body: T; writes: PendingWrites }
    try {
      result = await attempt()
    } catch (err) {
      const earlier = await storedAnswer<T>(deps, userId, key, hash, false)
      if (earlier) return earlier
      throw err
    }
    result.writes.claimFirst(IdempotencyKey, answeredClaim(deps, userId, key, hash, result), inFlight)
    try {
      await result.writes.commit(deps.ds)
      return { status: result.status, body: result.body, replayed: false }
    } catch (err) {
      if (isKeyTaken(err)) {
        const earlier = await storedAnswer<T>(deps, userId, key, hash, true)
        if (earlier) return earlier
        // The row was a dead request's claim, now removed (or it went meanwhile): write again, once.
        if (takeovers++ === 0) continue
        throw new ConflictError('idempotency_in_flight', 'This Idempotency-Key is being released; retry in a moment.')
      }
      if (!opts.retry?.(err) || n >= (opts.attempts ?? 1)) throw err
    }
  }
}

const inFlight = () => new ConflictError('idempotency_in_flight', 'The first request with this Idempotency-Key is still being processed; retry shortly.')

/** The key's row as runIdempotentWrites claims it: done, with the answer. */
function answeredClaim(deps: AppDeps, userId: string, key: string, hash: string, answer: { status: number; body: unknown }): IdempotencyKey {
  const now = deps.now()
  return Object.assign(new IdempotencyKey(), {
    id: randomUUID(),
    userId,
    key,
    requestHash: hash,
    status: 'done',
    responseStatus: answer.status,
    responseBody: JSON.stringify(answer.body),
    createdAt: now,
    completedAt: now
  })
}

/** True when a write failed because the (user, key) row exists already. */
function isKeyTaken(err: unknown): boolean {
  if (!isUniqueViolation(err)) return false
  const message = err instanceof Error ? err.message : ''
  return /UQ_idempotency_keys_user_key|idempotency_keys\.user_id/.test(message)
}

/**
 * What an earlier request with this key settles: its stored answer (a replay), 422 for another body,
 * 409 while its claim is in flight. Null when there is no such row, or only a claim whose lease ran
 * out; `takeOver` then removes that claim (by its id and last renewal, so a live renewal keeps it).
 */
async function storedAnswer<T>(deps: AppDeps, userId: string, key: string, hash: string, takeOver: boolean): Promise<IdempotentResponse<T> | null> {
  const existing = await deps.ds.getRepository(IdempotencyKey).findOneBy({ userId, key })
  if (!existing) return null
  if (existing.requestHash !== hash) {
    throw new AppError(422, 'idempotency_key_reused', 'This Idempotency-Key was used for a different request; make a new key for a new request.')
  }
  if (existing.status === 'done' && existing.responseStatus !== null && existing.responseBody !== null) {
    return { status: existing.responseStatus, body: JSON.parse(existing.responseBody) as T, replayed: true }
  }
  if (existing.createdAt.getTime() >= deps.now().getTime() - CLAIM_LEASE_MS) throw inFlight()
  if (takeOver) {
    await withWrite(deps.ds, (em) =>
      em
        .createQueryBuilder()
        .delete()
        .from(IdempotencyKey)
        .where('id = :id AND status = :status AND created_at = :createdAt', { id: existing.id, status: 'in_flight', createdAt: existing.createdAt })
        .execute()
    )
  }
  return null
}

type Claim = { kind: 'claimed'; id: string } | { kind: 'replay'; status: number; body: unknown }

async function claimKey(deps: AppDeps, userId: string, key: string, hash: string): Promise<Claim> {
  const id = randomUUID()
  const row = Object.assign(new IdempotencyKey(), {
    id,
    userId,
    key,
    requestHash: hash,
    status: 'in_flight',
    responseStatus: null,
    responseBody: null,
    createdAt: deps.now(),
    completedAt: null
  })
  try {
    await withWrite(deps.ds, (em) => insertRows(em, IdempotencyKey, [row]))
    return { kind: 'claimed', id }
  } catch (err) {
    if (!isUniqueViolation(err)) throw err
  }
  const existing = await deps.ds.getRepository(IdempotencyKey).findOneBy({ userId, key })
  if (!existing) throw new ConflictError('idempotency_in_flight', 'This Idempotency-Key is being released; retry in a moment.')
  if (existing.requestHash !== hash) {
    throw new AppError(422, 'idempotency_key_reused', 'This Idempotency-Key was used for a different request; make a new key for a new request.')
  }
  if (existing.status === 'done' && existing.responseStatus !== null && existing.responseBody !== null) {
    return { kind: 'replay', status: existing.responseStatus, body: JSON.parse(existing.responseBody) as unknown }
  }
  if (existing.createdAt.getTime() < deps.now().getTime() - CLAIM_LEASE_MS) {
    // The takeover gives the claim a new id: the dead request's heartbeat and completion (by the old
    // id) then match nothing, so only this request can complete the key.
    const takeover = await withWrite(deps.ds, (em) =>
      em
        .createQueryBuilder()
        .update(IdempotencyKey)
        .set({ id, createdAt: deps.now() })
        .where('id = :old AND status = :status AND created_at = :createdAt', { old: existing.id, status: 'in_flight', createdAt: existing.createdAt })
        .execute()
    )
    if (takeover.affected === 1) return { kind: 'claimed', id }
  }
  throw new ConflictError('idempotency_in_flight', 'The first request with this Idempotency-Key is still being processed; retry shortly.')
}

/**
 * Deletes Idempotency-Key rows past the retention period, a bounded batch per pass. A plain DELETE by
 * age is safe with several instances running it at once.
 */
export const idempotencyPruneJob = {
  name: 'idempotency-prune',
  intervalMs: 60 * 60 * 1000,
  run: async (deps: AppDeps): Promise<void> => {
    const cutoff = new Date(deps.now().getTime() - IDEMPOTENCY_RETENTION_MS)
    await withWrite(deps.ds, (em) => em.createQueryBuilder().delete().from(IdempotencyKey).where('created_at < :cutoff', { cutoff }).execute())
  }
}
