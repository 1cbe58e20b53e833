import { ValidationError } from '../../../errors'
import type { TransitionCommand } from './transition-context'

/**
 * The reporter (or a follower) rates the resolution 1–5, once; the rating closes the ticket, unless it
 * needs a 回访 first (unsatisfied or complex: then it stays resolved and the callback closes it).
 */
export const rateTicket: TransitionCommand = async ({ input, now, to }) => {
  if (!input.rating) throw new ValidationError([{ path: 'rating', code: 'required', message: 'Give a score from 1 to 5.' }])
  return {
    patch: { rating: input.rating.score, ratingComment: input.rating.comment ? input.rating.comment : null, closedAt: to === 'closed' ? now : null },
    data: { score: input.rating.score },
    note: input.rating.comment ?? input.note ?? null
  }
}
