import { DEFAULT_CATEGORIES } from '@palm/shared'
import type { EntityManager } from 'typeorm'
import type { AppDeps } from '../../deps'
import { User } from '../auth/user.entity'
import { Community } from '../territory/territory.entity'
import type { Ticket, TicketEventRow } from '../tickets/index'
import { assessPublicText, maskPersonName } from '../masking/index'
import { Publication } from './publication.entity'

const TITLE_CHARS = 30
/** `check_result` of a copy held because the masking rules were not sure of it. */
export const PII_UNSURE = 'pii_unsure'

/** The first line of the masked report, cut for a headline. */
export function titleOf(body: string, fallback: string): string {
  const line = Array.from(body.split('\n')[0]?.trim() ?? '')
  if (line.length === 0) return fallback
  return line.length <= TITLE_CHARS ? line.join('') : `${line.slice(0, TITLE_CHARS - 1).join('')}…`
}

/**
 * The ticket event hook of the public board, in the transaction of the event:
 * - resolve: when the reporter allowed publication and the ticket is not anonymous, a masked copy
 *   is stored as `pending`; the content check (publication job) publishes, holds or rejects it. The
 *   WeChat call is never made inside the transaction.
 * - reopen: the copy is withdrawn until the ticket is resolved again (then it is replaced).
 * - rate: the score joins the published copy (the comment does not: it was never checked).
 */
export async function publicationHook(em: EntityManager, deps: AppDeps, ticket: Ticket, event: TicketEventRow): Promise<void> {
  switch (event.event) {
    case 'resolve':
      if (ticket.allowPublication && !ticket.anonymous) await preparePublication(em, deps, ticket, event)
      return
    case 'reopen':
      await em.createQueryBuilder().update(Publication).set({ state: 'withdrawn', updatedAt: deps.now() }).where('ticket_id = :id', { id: ticket.id }).execute()
      return
    case 'rate':
      await em.createQueryBuilder().update(Publication).set({ rating: ticket.rating, updatedAt: deps.now() }).where('ticket_id = :id', { id: ticket.id }).execute()
      return
    default:
      return
  }
}

async function preparePublication(em: EntityManager, deps: AppDeps, ticket: Ticket, event: TicketEventRow): Promise<void> {
  const reporter = await em.getRepository(User).findOne({ select: { id: true, displayName: true }, where: { id: ticket.reporterId } })
  const community = ticket.communityCode ? await em.getRepository(Community).findOneBy({ code: ticket.communityCode }) : null
  const names = reporter ? [reporter.displayName] : []
  const ctx = { names, address: ticket.address, communityName: community?.name ?? null }
  const categoryName = DEFAULT_CATEGORIES.find((c) => c.code === ticket.category)?.name ?? ticket.category
  const report = assessPublicText(ticket.description, ctx)
  const reply = ticket.resolution ? assessPublicText(ticket.resolution, ctx) : null
  const body = report.text
  // When the masking rules are not sure (digits left, a name they could not place, 身份证/车牌 written
  // some other way), the copy waits for community staff in the review queue instead of the check.
  const unsure = report.doubts.length > 0 || (reply?.doubts.length ?? 0) > 0
  const now = deps.now()
  const row: Publication = Object.assign(new Publication(), {
    ticketId: ticket.id,
    state: unsure ? 'held' : 'pending',
    number: ticket.number,
    category: ticket.category,
    title: titleOf(body, categoryName),
    body,
    reply: reply?.text ?? null,
    communityCode: community?.code ?? null,
    communityName: community?.name ?? null,
    reporterName: maskPersonName(reporter?.displayName ?? ''),
    rating: null,
    submittedAt: ticket.createdAt,
    resolvedAt: ticket.resolvedAt ?? event.createdAt,
    publishedAt: null,
    checkedAt: null,
    checkResult: unsure ? PII_UNSURE : null,
    checkAttempts: 0,
    nextCheckAt: now,
    claimedBy: null,
    claimedUntil: null,
    lastError: null,
    updatedAt: now
  })
  // A second resolution (after a reopening) replaces the earlier copy, which must be checked afresh.
  // Read first rather than DELETE + INSERT: deleting a missing row takes a gap lock on MariaDB, and
  // two resolutions at once would then deadlock on each other's inserts.
  const repo = em.getRepository(Publication)
  const earlier = await repo.findOne({ select: { ticketId: true }, where: { ticketId: ticket.id } })
  if (earlier) {
    const { ticketId, ...fields } = row
    await repo.update({ ticketId }, fields)
  } else {
    await em.createQueryBuilder().insert().into(Publication).values(row).updateEntity(false).execute()
  }
}
