import type { TransitionCommand } from './transition-context'

/** The handler starts work (the visit, the mediation…); only the timeline changes besides the state. */
export const startTicket: TransitionCommand = async () => ({ patch: {} })
