import { decodeCursor, encodeCursor, type PageQuery } from '@palm/shared'
import type { EntityManager } from 'typeorm'
import { ValidationError } from '../../errors'
import { Publication } from './publication.entity'

export interface PublicationSlice {
  items: Publication[]
  nextCursor: string | null
}

/**
 * The public board: published copies only, newest publication first, by keyset on
 * (published_at, ticket_id) through the (state, published_at, ticket_id) index.
 * @throws ValidationError for a cursor we did not make
 */
export async function listPublished(em: EntityManager, query: PageQuery): Promise<PublicationSlice> {
  const qb = em
    .getRepository(Publication)
    .createQueryBuilder('p')
    .where("p.state = 'published'")
    .orderBy('p.published_at', 'DESC')
    .addOrderBy('p.ticket_id', 'DESC')
    .limit(query.limit + 1)
  if (query.cursor) {
    const parts = decodeCursor(query.cursor)
    const [at, id] = parts ?? []
    const when = typeof at === 'string' ? new Date(at) : undefined
    if (!when || Number.isNaN(when.getTime()) || typeof id !== 'string' || parts?.length !== 2) {
      throw new ValidationError([{ path: 'cursor', code: 'invalid_cursor', message: 'Use the nextCursor of the previous page.' }])
    }
    qb.andWhere('(p.published_at < :at OR (p.published_at = :at AND p.ticket_id < :id))', { at: when, id })
  }
  const rows = await qb.getMany()
  const items = rows.slice(0, query.limit)
  const last = items.at(-1)
  const nextCursor = rows.length > query.limit && last?.publishedAt ? encodeCursor([last.publishedAt.toISOString(), last.ticketId]) : null
  return { items, nextCursor }
}
