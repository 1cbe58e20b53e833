import type { TransitionCommand } from './transition-context'

/** 督办: a supervisor presses for progress; the state stays, the timeline (and whoever listens to it) hears of it. */
export const urgeTicket: TransitionCommand = async () => ({ patch: {} })
