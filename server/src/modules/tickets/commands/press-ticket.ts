import type { TransitionCommand } from './transition-context'

/**
 * 催办 by the resident (the reporter or a follower): only once the running deadline has passed, at most
 * once a Beijing day per person (the rules in @palm/shared). The state stays; the handlers hear of it.
 */
export const pressTicket: TransitionCommand = async () => ({ patch: {} })
