import type { TransitionCommand } from './transition-context'

/** 不予受理: a supervisor declines the request, with the reason (required by the rules) shown to the resident. */
export const rejectTicket: TransitionCommand = async ({ now }) => ({ patch: { closedAt: now } })
