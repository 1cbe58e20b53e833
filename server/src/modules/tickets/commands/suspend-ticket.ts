import { clockMinutesBetween, deadlineAfter } from '../../sla/index'
import type { TransitionCommand } from './transition-context'

/** 挂起: the handler waits for the resident; the clock stands from now until `resume` (the overdue job skips it). */
export const suspendTicket: TransitionCommand = async ({ now }) => ({ patch: { suspendedAt: now } })

/**
 * 恢复办理: the clock runs again. Both deadlines move on by the time it stood, counted on the ticket's
 * own clock (working minutes, or clock minutes for an emergency category), so a suspension over a
 * weekend costs the handler nothing and gives them nothing either.
 */
export const resumeTicket: TransitionCommand = async ({ ticket, now }) => {
  const since = ticket.suspendedAt ?? now
  const stood = clockMinutesBetween(since, now, ticket.emergency)
  const moved = {
    acceptDueAt: deadlineAfter(ticket.acceptDueAt, stood, ticket.emergency),
    resolveDueAt: deadlineAfter(ticket.resolveDueAt, stood, ticket.emergency)
  }
  return {
    patch: { suspendedAt: null, suspendedMinutes: ticket.suspendedMinutes + Math.round(stood), ...moved },
    data: { stoodMinutes: Math.round(stood), resolveDueAt: moved.resolveDueAt.toISOString() }
  }
}
