import type { Context } from 'koa'
import type { EntityManager } from 'typeorm'
import type { AppDeps } from '../../deps'
import type { Actor } from '../auth/actor'
import { requireIdempotencyKey, runIdempotent } from './idempotency'

/**
 * Answers a create endpoint (a booking, a sign-up) through the Idempotency-Key mechanism (one claim
 * table for the whole API): the same key and body replay the
 * first response, another body is 422, a duplicate in flight is 409; `work` runs in one transaction.
 * @throws BadRequestError `idempotency_key_required`, and whatever `work` throws
 */
export async function respondIdempotently(ctx: Context, deps: AppDeps, actor: Actor, endpoint: string, work: (em: EntityManager) => Promise<{ status: number; body: unknown }>): Promise<void> {
  const key = requireIdempotencyKey(ctx.get('Idempotency-Key') || undefined)
  const result = await runIdempotent(deps, actor.id, key, endpoint, (ctx.request as { body?: unknown }).body ?? {}, work)
  ctx.status = result.status
  if (result.replayed) ctx.set('Idempotent-Replayed', 'true')
  ctx.body = result.body
}
