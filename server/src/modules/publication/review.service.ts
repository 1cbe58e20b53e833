import { CITIZEN_ROLES, SUPERVISOR_ROLES, type HeldPublicationView, type ReleasePublicationInput, type ReviewDecisionView, type ReviewQueueQuery } from '@palm/shared'
import type { EntityManager } from 'typeorm'
import type { AppDeps } from '../../deps'
import { withTx } from '../../db/tx'
import { recordAudit } from '../audit/index'
import { ConflictError, ForbiddenError, NotFoundError } from '../../errors'
import type { Actor } from '../auth/actor'
import { Community } from '../territory/territory.entity'
import { maskContactData } from '../masking/index'
import { titleOf } from './publication.hook'
import { Publication } from './publication.entity'

/** Who may release or withhold a held board item: community staff for their community, street and district admins above. */
const REVIEWERS: readonly string[] = SUPERVISOR_ROLES
const QUEUE_LIMIT = 100

/** The community codes the reviewer covers; null means every community (district). */
async function reviewerCommunities(em: EntityManager, actor: Actor): Promise<string[] | null> {
  if (!REVIEWERS.includes(actor.role) || (CITIZEN_ROLES as readonly string[]).includes(actor.role)) throw new ForbiddenError()
  if (actor.role === 'district_admin') return null
  if (actor.role === 'community_staff') return actor.scope.communityCode ? [actor.scope.communityCode] : []
  if (!actor.scope.streetCode) return []
  const rows = await em.getRepository(Community).find({ select: { code: true }, where: { streetCode: actor.scope.streetCode } })
  return rows.map((c) => c.code)
}

function present(p: Publication): HeldPublicationView {
  return {
    ticketId: p.ticketId,
    number: p.number,
    category: p.category,
    title: p.title,
    description: p.body,
    reply: p.reply,
    community: p.communityCode && p.communityName ? { code: p.communityCode, name: p.communityName } : null,
    reason: p.checkResult,
    resolvedAt: p.resolvedAt.toISOString()
  }
}

/**
 * The review queue (docs/residents-data.md): board copies held because the masking was unsure or
 * WeChat's check asked for a person, in the reviewer's communities, oldest first. Another
 * community's code simply finds nothing.
 */
export async function listHeld(em: EntityManager, actor: Actor, query: ReviewQueueQuery): Promise<HeldPublicationView[]> {
  const communities = await reviewerCommunities(em, actor)
  const qb = em.getRepository(Publication).createQueryBuilder('p').where("p.state = 'held'").orderBy('p.resolved_at', 'ASC').addOrderBy('p.ticket_id', 'ASC').limit(QUEUE_LIMIT)
  if (communities) {
    if (communities.length === 0) return []
    qb.andWhere('p.community_code IN (:...communities)', { communities })
  }
  if (query.communityCode) qb.andWhere('p.community_code = :code', { code: query.communityCode })
  return (await qb.getMany()).map(present)
}

/** The held copy, when the reviewer covers its community. @throws NotFoundError otherwise (or when there is none) */
async function requireReviewable(em: EntityManager, actor: Actor, ticketId: string): Promise<Publication> {
  const communities = await reviewerCommunities(em, actor)
  const row = await em.getRepository(Publication).findOneBy({ ticketId })
  if (!row || (communities && (!row.communityCode || !communities.includes(row.communityCode)))) throw new NotFoundError('No such item in your review queue.')
  return row
}

/**
 * Publishes a held copy, optionally with the text the reviewer masked by hand (masked again for
 * phones, IDs, plates and door numbers, in case one slipped through).
 * @throws NotFoundError out of scope; ConflictError 409 `publication_not_held`
 */
export async function releaseHeld(deps: AppDeps, actor: Actor, ticketId: string, input: ReleasePublicationInput): Promise<ReviewDecisionView> {
  return decide(deps, actor, ticketId, 'published', input.maskedText ? maskContactData(input.maskedText) : null)
}

/** Keeps a held copy off the board for good (until the ticket is resolved again). */
export async function withholdHeld(deps: AppDeps, actor: Actor, ticketId: string): Promise<ReviewDecisionView> {
  return decide(deps, actor, ticketId, 'rejected', null)
}

async function decide(deps: AppDeps, actor: Actor, ticketId: string, state: 'published' | 'rejected', body: string | null): Promise<ReviewDecisionView> {
  const row = await requireReviewable(deps.ds.manager, actor, ticketId)
  const now = deps.now()
  const set: Partial<Publication> = { state, reviewedBy: actor.id, reviewedAt: now, checkResult: state === 'published' ? 'released' : 'withheld', updatedAt: now }
  if (state === 'published') set.publishedAt = now
  if (body) Object.assign(set, { body, title: titleOf(body, row.title) })
  await withTx(deps.ds, async (em) => {
    const done = await em.createQueryBuilder().update(Publication).set(set).where("ticket_id = :id AND state = 'held'", { id: ticketId }).execute()
    if (done.affected !== 1) throw new ConflictError('publication_not_held', 'This item is not waiting for review.')
    await recordAudit(em, { action: state === 'published' ? 'publication.release' : 'publication.withhold', objectType: 'ticket', objectId: ticketId, detail: { edited: Boolean(body) } })
  })
  return { ticketId, state }
}
