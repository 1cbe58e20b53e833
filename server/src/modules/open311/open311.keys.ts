import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { type CreateOpen311KeyInput, type Open311KeyView } from '@palm/shared'
import type { DataSource, EntityManager } from 'typeorm'
import { withTx } from '../../db/tx'
import { recordAudit } from '../audit/index'
import type { AppDeps } from '../../deps'
import { NotFoundError, RateLimitedError } from '../../errors'
import { hitLimit, limitOf } from '../limits/index'
import type { Actor } from '../auth/actor'
import { newUserRow } from '../auth/users.repo'
import { User } from '../auth/user.entity'
import { Open311Key, Open311Request } from './open311.entity'
import { Open311HttpError } from './open311.format'

const KEY_PREFIX = 'p311_'
const SHOWN_PREFIX_CHARS = 9

/** sha256 of the key: enough for 32 random bytes (nothing to guess), and one indexed lookup per call. */
export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex')
}

function present(key: Open311Key, ticketCount: number): Open311KeyView {
  return {
    id: key.id,
    name: key.name,
    prefix: key.keyPrefix,
    createdAt: key.createdAt.toISOString(),
    revokedAt: key.revokedAt ? key.revokedAt.toISOString() : null,
    lastUsedAt: key.lastUsedAt ? key.lastUsedAt.toISOString() : null,
    requestCount: Number(key.requestCount),
    ticketCount
  }
}

async function ticketCounts(em: EntityManager): Promise<Map<string, number>> {
  const rows = (await em.getRepository(Open311Request).createQueryBuilder('r').select('r.key_id', 'keyId').addSelect('COUNT(*)', 'n').groupBy('r.key_id').getRawMany()) as {
    keyId: string
    n: number | string
  }[]
  return new Map(rows.map((r) => [r.keyId, Number(r.n)]))
}

/** Every key, newest first, with how often it was used and how many tickets it filed. */
export async function listKeys(em: EntityManager): Promise<Open311KeyView[]> {
  const keys = await em.getRepository(Open311Key).find({ order: { createdAt: 'DESC', id: 'ASC' } })
  const counts = await ticketCounts(em)
  return keys.map((k) => present(k, counts.get(k.id) ?? 0))
}

/**
 * Makes a key and the resident account that files its requests, in one transaction. The key is
 * returned once here and never again (only its hash is kept).
 */
export async function createKey(ds: DataSource, deps: AppDeps, actor: Actor, input: CreateOpen311KeyInput): Promise<{ key: string; item: Open311KeyView }> {
  const key = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`
  const now = deps.now()
  const user = newUserRow('resident', `Open311·${input.name}`.slice(0, 64), now)
  const row: Open311Key = Object.assign(new Open311Key(), {
    id: randomUUID(),
    name: input.name,
    keyHash: hashKey(key),
    keyPrefix: key.slice(0, SHOWN_PREFIX_CHARS),
    userId: user.id,
    createdBy: actor.id,
    createdAt: now,
    revokedAt: null,
    lastUsedAt: null,
    requestCount: 0
  })
  await withTx(ds, async (em) => {
    await em.getRepository(User).insert(user)
    await em.getRepository(Open311Key).insert(row)
    await recordAudit(em, { action: 'open311.key_create', objectType: 'open311_key', objectId: row.id, detail: { name: input.name, prefix: row.keyPrefix } })
  })
  return { key, item: present(row, 0) }
}

/**
 * Revokes a key at once (every later call with it is 403); revoking twice keeps the first time.
 * The key's account is disabled too, so nothing can act in its name.
 * @throws NotFoundError when there is no such key
 */
export async function revokeKey(ds: DataSource, deps: AppDeps, id: string): Promise<Open311KeyView> {
  const now = deps.now()
  await withTx(ds, async (em) => {
    const found = await em.getRepository(Open311Key).findOneBy({ id })
    if (!found) throw new NotFoundError('No such key.')
    if (!found.revokedAt) {
      await em.getRepository(Open311Key).update({ id }, { revokedAt: now })
      await em.getRepository(User).update({ id: found.userId }, { disabled: true, updatedAt: now })
      await recordAudit(em, { action: 'open311.key_revoke', objectType: 'open311_key', objectId: id, detail: { name: found.name } })
    }
  })
  // Read back: the stored time (MariaDB keeps whole seconds) is the one every later answer shows.
  const key = await ds.getRepository(Open311Key).findOneByOrFail({ id })
  const counts = await ticketCounts(ds.manager)
  return present(key, counts.get(key.id) ?? 0)
}

/** A key that passed the check: its row, for the account and the rate limit. */
export interface KeyHolder {
  key: Open311Key
  user: { id: string; displayName: string }
}

/**
 * The key a call presents, or 403 in the spec's format: missing, unknown and revoked keys are
 * refused alike (the answer does not say which).
 */
export async function requireKey(em: EntityManager, raw: string | undefined): Promise<KeyHolder> {
  if (!raw) throw new Open311HttpError(403, 'api_key is required: ask the district administration for a key.')
  const key = await em.getRepository(Open311Key).findOneBy({ keyHash: hashKey(raw) })
  if (!key || key.revokedAt) throw new Open311HttpError(403, 'api_key is not valid or has been revoked.')
  const user = await em.getRepository(User).findOne({ select: { id: true, displayName: true, disabled: true }, where: { id: key.userId } })
  if (!user || user.disabled) throw new Open311HttpError(403, 'api_key is not valid or has been revoked.')
  return { key, user: { id: user.id, displayName: user.displayName } }
}

/**
 * Records one call made with a key: the count and the last use, and the audit row
 * `open311.key_use` (actor: the key's account, object: the key, detail: method and path), in one
 * transaction. This is the one place every keyed Open311 call passes through.
 */
export async function recordKeyUse(ds: DataSource, deps: AppDeps, holder: KeyHolder, call: { method: string; path: string }): Promise<void> {
  const now = deps.now()
  await withTx(ds, async (em) => {
    await em
      .createQueryBuilder()
      .update(Open311Key)
      .set({ requestCount: () => 'request_count + 1', lastUsedAt: now })
      .where('id = :id', { id: holder.key.id })
      .execute()
    await recordAudit(em, {
      action: 'open311.key_use',
      objectType: 'open311_key',
      objectId: holder.key.id,
      detail: { method: call.method, path: call.path },
      actor: { id: holder.user.id, role: 'resident' }
    })
  })
}

/**
 * Takes one call from the key's shared limit (RATE_LIMITS.open311_key: 60 calls a minute, counted in
 * the database, so several instances together allow what one allows; docs/operations.md "Limits").
 * Over the limit: 429 in the spec's error format with Retry-After.
 * @throws Open311HttpError 429
 */
export async function takeKeyRate(deps: AppDeps, keyId: string): Promise<void> {
  try {
    await hitLimit(deps, 'open311_key', keyId)
  } catch (err) {
    if (!(err instanceof RateLimitedError)) throw err
    const retryAfter = err.extra?.headers?.['Retry-After'] ?? '1'
    const { max, windowSeconds } = limitOf(deps.config, 'open311_key')
    throw new Open311HttpError(429, `Too many requests with this api_key (${max} per ${windowSeconds} s); try again in ${retryAfter} s.`, { 'Retry-After': retryAfter })
  }
}
