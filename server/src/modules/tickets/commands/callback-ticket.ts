import type { CallbackResult } from '@palm/shared'
import type { TransitionCommand } from './transition-context'

const RESULT_WORDS: Record<CallbackResult, string> = { satisfied: '居民满意', unsatisfied: '居民仍不满意', unreachable: '未能联系上居民' }

/**
 * 回访: a supervisor called the resident about the resolution and records what they found (satisfied,
 * unsatisfied, not reached) with a note; the ticket closes. Unsatisfied and complex tickets cannot
 * close without one (needsCallback in @palm/shared).
 */
export const callbackTicket: TransitionCommand = async ({ input, now }) => ({
  patch: { callbackAt: now, closedAt: now },
  data: { result: input.callbackResult },
  note: `回访（${input.callbackResult ? RESULT_WORDS[input.callbackResult] : '已回访'}）：${input.note ?? ''}`
})
