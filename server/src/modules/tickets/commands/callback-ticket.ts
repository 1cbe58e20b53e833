import type { TransitionCommand } from './transition-context'

/**
 * 回访: a supervisor called the resident about the resolution and records what they found (satisfied,
 * unsatisfied, not reached) with a note; the ticket closes. Unsatisfied and complex tickets cannot
 * close without one (needsCallback in @palm/shared).
 */
export const callbackTicket: TransitionCommand = async ({ input, now }) => ({
  patch: { callbackAt: now, closedAt: now },
  data: { result: input.callbackResult }
})
