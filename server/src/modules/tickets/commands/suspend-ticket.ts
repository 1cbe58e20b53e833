import { clockMinutesBetween, deadlineAfter } from '../../sla/index'
import { beijingDeadline } from './extend-ticket'
import type { TransitionCommand } from './transition-context'

/** "2 个工作小时 15 分钟" (or clock hours for an emergency): how long the clock stood. */
function formatStood(minutes: number, emergency: boolean): string {
  const whole = Math.round(minutes)
  const hours = Math.floor(whole / 60)
  const unit = emergency ? '小时' : '个工作小时'
  return hours > 0 ? `${hours} ${unit}${whole % 60 ? ` ${whole % 60} 分钟` : ''}` : `${whole} 分钟`
}

/** 挂起: the handler waits for the resident; the clock stands from now until `resume` (the overdue job skips it). */
export const suspendTicket: TransitionCommand = async ({ now }) => ({ patch: { suspendedAt: now } })

/**
 * 恢复办理: the clock runs again. Both deadlines move on by the time it stood, counted on the ticket's
 * own clock (working minutes, or clock minutes for an emergency category), so a suspension over a
 * weekend costs the handler nothing and gives them nothing either.
 */
export const resumeTicket: TransitionCommand = async ({ ticket, input, now }) => {
  const since = ticket.suspendedAt ?? now
  const stood = clockMinutesBetween(since, now, ticket.emergency)
  const moved = {
    acceptDueAt: deadlineAfter(ticket.acceptDueAt, stood, ticket.emergency),
    resolveDueAt: deadlineAfter(ticket.resolveDueAt, stood, ticket.emergency)
  }
  return {
    note: `恢复办理，挂起 ${formatStood(stood, ticket.emergency)}，办结时限顺延至 ${beijingDeadline(moved.resolveDueAt)}${input.note ? `：${input.note}` : ''}`,
    patch: { suspendedAt: null, suspendedMinutes: ticket.suspendedMinutes + Math.round(stood), ...moved },
    data: { stoodMinutes: Math.round(stood), resolveDueAt: moved.resolveDueAt.toISOString() }
  }
}
