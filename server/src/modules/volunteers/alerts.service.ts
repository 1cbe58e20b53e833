import { randomUUID } from 'node:crypto'
import { decodeCursor, encodeCursor, type AlertView, type CreateAlertInput, type Page } from '@palm/shared'
import type { EntityManager } from 'typeorm'
import type { AppDeps } from '../../deps'
import { BadRequestError, ForbiddenError } from '../../errors'
import type { Actor } from '../auth/actor'
import { AntiFraudAlert } from './volunteer.entity'

/** Who publishes anti-fraud alerts: the anti-fraud centre (department staff) and community, street and district staff. */
export const ALERT_PUBLISHERS = ['department_staff', 'community_staff', 'street_admin', 'district_admin'] as const

function presentAlert(a: AntiFraudAlert): AlertView {
  return { id: a.id, title: a.title, body: a.body, level: a.level as AlertView['level'], publisher: a.publisher, publishedAt: a.publishedAt.toISOString() }
}

/** Publishes an alert everyone can read at once. @throws ForbiddenError */
export async function publishAlert(em: EntityManager, deps: AppDeps, actor: Actor, input: CreateAlertInput): Promise<AlertView> {
  if (!(ALERT_PUBLISHERS as readonly string[]).includes(actor.role)) throw new ForbiddenError('Alerts are published by staff.')
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
  return presentAlert(alert)
}

/** The alerts feed, newest first, keyset-paginated; no sign-in needed. */
export async function listAlerts(em: EntityManager, query: { cursor?: string; limit: number }): Promise<Page<AlertView>> {
  const qb = em.getRepository(AntiFraudAlert).createQueryBuilder('a').orderBy('a.publishedAt', 'DESC').addOrderBy('a.id', 'DESC')
  if (query.cursor) {
    const cursor = decodeCursor(query.cursor)
    if (!cursor || cursor.length !== 2) throw new BadRequestError('validation_failed', 'The cursor is not valid.', [{ path: 'cursor', code: 'invalid', message: 'not a cursor' }])
    qb.andWhere('(a.publishedAt < :at OR (a.publishedAt = :at AND a.id < :lastId))', { at: new Date(String(cursor[0])), lastId: String(cursor[1]) })
  }
  const rows = await qb.take(query.limit + 1).getMany()
  const page = rows.slice(0, query.limit)
  const last = page[page.length - 1]
  return { items: page.map(presentAlert), nextCursor: rows.length > query.limit && last ? encodeCursor([last.publishedAt.toISOString(), last.id]) : null }
}
