import { decodeCursor, encodeCursor, type MarkMessagesReadInput, type PageQuery } from '@palm/shared'
import type { EntityManager } from 'typeorm'
import { withWrite } from '../../db/tx'
import type { AppDeps } from '../../deps'
import { ValidationError } from '../../errors'
import type { Actor } from '../auth/actor'
import { Message } from './notification.entity'

export interface MessageSlice {
  items: Message[]
  nextCursor: string | null
}

function readCursor(cursor: string): { at: Date; id: string } {
  const parts = decodeCursor(cursor)
  const [at, id] = parts ?? []
  const when = typeof at === 'string' ? new Date(at) : undefined
  if (!when || Number.isNaN(when.getTime()) || typeof id !== 'string' || parts?.length !== 2) {
    throw new ValidationError([{ path: 'cursor', code: 'invalid_cursor', message: 'Use the nextCursor of the previous page.' }])
  }
  return { at: when, id }
}

/**
 * The caller's messages, newest first, by keyset on (created_at, id) through the
 * (user_id, created_at, id) index: a deep page costs what the first does.
 * @throws ValidationError for a cursor we did not make
 */
export async function listMessages(em: EntityManager, actor: Actor, query: PageQuery): Promise<MessageSlice> {
  const qb = em
    .getRepository(Message)
    .createQueryBuilder('m')
    .where('m.user_id = :userId', { userId: actor.id })
    .orderBy('m.created_at', 'DESC')
    .addOrderBy('m.id', 'DESC')
    .limit(query.limit + 1)
  if (query.cursor) {
    const { at, id } = readCursor(query.cursor)
    qb.andWhere('(m.created_at < :at OR (m.created_at = :at AND m.id < :id))', { at, id })
  }
  const rows = await qb.getMany()
  const items = rows.slice(0, query.limit)
  const last = items.at(-1)
  const nextCursor = rows.length > query.limit && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null
  return { items, nextCursor }
}

/** How many of the caller's messages are unread (the tab badge). */
export async function countUnread(em: EntityManager, actor: Actor): Promise<number> {
  return em.getRepository(Message).createQueryBuilder('m').where('m.user_id = :userId AND m.read_at IS NULL', { userId: actor.id }).getCount()
}

/**
 * Marks the caller's messages read: the given ids, or all. Ids of other people's messages (or of
 * none) are ignored rather than refused, so the answer reveals nothing about them; `updated` counts
 * only the caller's messages that were unread.
 */
export async function markMessagesRead(deps: AppDeps, actor: Actor, input: MarkMessagesReadInput): Promise<number> {
  const result = await withWrite(deps.ds, (em) => {
    const qb = em.createQueryBuilder().update(Message).set({ readAt: deps.now() }).where('user_id = :userId AND read_at IS NULL', { userId: actor.id })
    if (input.ids) qb.andWhere('id IN (:...ids)', { ids: input.ids })
    return qb.execute()
  })
  return result.affected ?? 0
}
