import { ValidationError } from '../../../errors'
import type { TransitionCommand } from './transition-context'

/** A message from the handler to the resident (with photos, if any); it is what makes resolving possible. */
export const replyTicket: TransitionCommand = async ({ input, now }) => {
  if (!input.note) throw new ValidationError([{ path: 'note', code: 'too_small', message: 'A reply has text.' }])
  return { patch: { lastReplyAt: now } }
}
