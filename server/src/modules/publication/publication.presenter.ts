import { DEFAULT_CATEGORIES, type PublicTicketPage, type PublicTicketView } from '@palm/shared'
import type { Publication } from './publication.entity'
import type { PublicationSlice } from './publication.service'

/** A published copy as anyone may see it: masked text, the community only, the masked name. */
export function presentPublication(p: Publication): PublicTicketView {
  return {
    id: p.ticketId,
    number: p.number,
    category: p.category,
    categoryName: DEFAULT_CATEGORIES.find((c) => c.code === p.category)?.name ?? p.category,
    title: p.title,
    description: p.body,
    reply: p.reply,
    community: p.communityCode && p.communityName ? { code: p.communityCode, name: p.communityName } : null,
    reporter: { displayName: p.reporterName },
    createdAt: p.submittedAt.toISOString(),
    resolvedAt: p.resolvedAt.toISOString(),
    publishedAt: (p.publishedAt ?? p.updatedAt).toISOString(),
    rating: p.rating === null ? null : { score: p.rating }
  }
}

export function presentPublicPage(slice: PublicationSlice): PublicTicketPage {
  return { items: slice.items.map(presentPublication), nextCursor: slice.nextCursor }
}
