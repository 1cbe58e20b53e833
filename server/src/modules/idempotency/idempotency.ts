import { createHash, randomUUID } from 'node:crypto'
import type { EntityManager } from 'typeorm'
import { withTx, withWrite } from '../../db/tx'
import type { AppDeps } from '../../deps'
import { AppError, BadRequestError, ConflictError } from '../../errors'
import { isUniqueViolation } from '../../db/errors'
import { IdempotencyKey } from './idempotency-key.entity'
import { insertRows, persistentValue, type PendingWrites } from '../../db/write-batch'

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

/** Completes a claim that is still ours: one conditional UPDATE (0 rows when another request took it over). */
const COMPLETE_CLAIM_SQL = "UPDATE idempotency_keys SET status = 'done', response_status = ?, response_body = ?, completed_at = ? WHERE id = ? AND status = 'in_flight'"

/**
 * runIdempotent for work that first reads and then writes everything in one go (PendingWrites, the
 * submission): the claim, then `attempt()` (reads; returns the response and the writes), then the
 * writes and the claim's completion with the response, in one transaction (one round trip on
 * MariaDB). The guarantees are runIdempotent's: a retry after success gets the stored response, a
 * duplicate in flight 409, another body 422, and a failure writes nothing and releases the claim.
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
  const claim = await claimKey(deps, userId, key, requestHash(scope, body))
  if (claim.kind === 'replay') return { status: claim.status, body: claim.body as T, replayed: true }
  const heartbeat = keepClaimAlive(deps, claim.id)
  try {
    for (let n = 1; ; n++) {
      const result = await attempt()
      const completedAt = persistentValue(deps.ds, IdempotencyKey, 'completedAt', deps.now())
      result.writes.guard(
        COMPLETE_CLAIM_SQL,
        [result.status, JSON.stringify(result.body), completedAt, claim.id],
        () => new ConflictError('idempotency_in_flight', 'Another request took over this Idempotency-Key.')
      )
      try {
        await result.writes.commit(deps.ds)
        return { status: result.status, body: result.body, replayed: false }
      } catch (err) {
        if (!opts.retry?.(err) || n >= (opts.attempts ?? 1)) throw err
      }
    }
  } catch (err) {
    await withWrite(deps.ds, (em) => em.getRepository(IdempotencyKey).delete({ id: claim.id, status: 'in_flight' })).catch(() => undefined)
    throw err
  } finally {
    heartbeat.stop()
  }
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
