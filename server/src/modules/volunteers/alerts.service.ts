import { randomUUID } from 'node:crypto'
import { decodeCursor, encodeCursor, type CreateAlertInput, type Page } from '@palm/shared'
import type { EntityManager } from 'typeorm'
import type { AppDeps } from '../../deps'
import { BadRequestError } from '../../errors'
import type { Actor } from '../auth/actor'
import { AntiFraudAlert } from './volunteer.entity'
import { assertAlertPublisher } from './volunteers.policy'

/** Publishes an alert everyone can read at once. @throws ForbiddenError */
export async function publishAlert(em: EntityManager, deps: AppDeps, actor: Actor, input: CreateAlertInput): Promise<AntiFraudAlert> {
  assertAlertPublisher(actor)
  const alert = Object.assign(new AntiFraudAlert(), {
    id: randomUUID(),
    title: input.title,
    body: input.body,
    level: input.level,
    publisher: actor.displayName.slice(0, 64),
    publishedBy: actor.id,
    publishedAt: deps.now(),
    synthetic: false
  })
  await em.insert(AntiFraudAlert, alert)
  return alert
}

/** The alerts feed, newest first, keyset-paginated; no sign-in needed. */
export async function listAlerts(em: EntityManager, query: { cursor?: string; limit: number }): Promise<Page<AntiFraudAlert>> {
  const qb = em.getRepository(AntiFraudAlert).createQueryBuilder('a').orderBy('a.publishedAt', 'DESC').addOrderBy('a.id', 'DESC')
  if (query.cursor) {
    const cursor = decodeCursor(query.cursor)
    if (!cursor || cursor.length !== 2) throw new BadRequestError('validation_failed', 'The cursor is not valid.', [{ path: 'cursor', code: 'invalid', message: 'not a cursor' }])
    qb.andWhere('(a.publishedAt < :at OR (a.publishedAt = :at AND a.id < :lastId))', { at: new Date(String(cursor[0])), lastId: String(cursor[1]) })
  }
  const rows = await qb.take(query.limit + 1).getMany()
  const page = rows.slice(0, query.limit)
  const last = page[page.length - 1]
  return { items: page, nextCursor: rows.length > query.limit && last ? encodeCursor([last.publishedAt.toISOString(), last.id]) : null }
}
