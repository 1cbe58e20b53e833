import type { TransitionCommand } from './transition-context'

/** Closes a resolved ticket nobody rated (the system after a while, or the district centre). */
export const closeTicket: TransitionCommand = async ({ now }) => ({ patch: { closedAt: now } })
