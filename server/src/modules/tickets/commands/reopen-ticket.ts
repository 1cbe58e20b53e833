import { DEFAULT_CATEGORIES, WORKING_HOUR, WORKING_MINUTES_PER_DAY } from '@palm/shared'
import { deadlineAfter, getCategory } from '../../sla/index'
import type { TransitionCommand } from './transition-context'

/**
 * Not satisfied: the reporter or a follower reopens the ticket within 7 days of its resolution, with
 * a reason. It goes back to the same queue and person as `assigned` and must be accepted again; a
 * reopening is a new dispatch, so both clocks restart now, and the old rating and resolution go.
 */
export const reopenTicket: TransitionCommand = async ({ em, ticket, now }) => {
  const limits = (await getCategory(em, ticket.category)) ??
    DEFAULT_CATEGORIES.find((c) => c.code === ticket.category) ?? { acceptWithinMinutes: 2 * WORKING_HOUR, resolveWithinMinutes: 3 * WORKING_MINUTES_PER_DAY }
  return {
    patch: {
      reopenCount: ticket.reopenCount + 1,
      dispatchedAt: now,
      acceptDueAt: deadlineAfter(now, limits.acceptWithinMinutes, ticket.emergency),
      resolveDueAt: deadlineAfter(now, limits.resolveWithinMinutes, ticket.emergency),
      // A new dispatch: it may be extended once again, and its next resolution gets its own 回访.
      extensionState: null,
      extensionDueAt: null,
      callbackAt: null,
      acceptedAt: null,
      resolvedAt: null,
      closedAt: null,
      lastReplyAt: null,
      resolution: null,
      rating: null,
      ratingComment: null
    },
    data: { previousRating: ticket.rating, reopenCount: ticket.reopenCount + 1 }
  }
}
