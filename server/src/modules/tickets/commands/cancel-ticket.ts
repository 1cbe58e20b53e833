import type { TransitionCommand } from './transition-context'

/** The reporter withdraws the request; the machine allows it only before anyone accepted it. */
export const cancelTicket: TransitionCommand = async ({ now }) => ({ patch: { closedAt: now } })
