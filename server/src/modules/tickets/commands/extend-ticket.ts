import { approverRoleFor, chinaClock } from '@palm/shared'
import { handlerRoleOf } from './handling-facts'
import type { TransitionCommand } from './transition-context'

/** "12月4日 18:00" in Beijing time, for the timeline's note (people read the deadline there). */
export function beijingDeadline(at: Date): string {
  const clock = chinaClock(at)
  const [, month, day] = clock.dateKey.split('-').map(Number)
  const hh = String(Math.floor(clock.minuteOfDay / 60)).padStart(2, '0')
  const mm = String(clock.minuteOfDay % 60).padStart(2, '0')
  return `${month}月${day}日 ${hh}:${mm}`
}

const withNote = (head: string, note: string | undefined) => (note ? `${head}：${note}` : head)

/**
 * 延期申请: the handler asks, before the resolve deadline, for a later one (once per ticket; the rules
 * in @palm/shared refuse a second request, one after the deadline, and a deadline not later or more
 * than 30 days later). The clock keeps running until the level above decides (docs/handling.md).
 * The approvers (`approverRole` in the ticket's territory) hear of it through the notifications
 * hook, which reads the event's data.
 */
export const requestExtension: TransitionCommand = async ({ em, ticket, input }) => {
  const dueAt = new Date(input.extension?.dueAt ?? '')
  const approverRole = approverRoleFor(ticket.level, await handlerRoleOf(em, ticket))
  return {
    note: withNote(`申请延期至 ${beijingDeadline(dueAt)}`, input.note),
    patch: { extensionState: 'pending', extensionDueAt: dueAt },
    data: { dueAt: dueAt.toISOString(), previousDueAt: ticket.resolveDueAt.toISOString(), approverRole, reason: input.note ?? null }
  }
}

/** 批准延期: the level above moves the resolve deadline to the one asked for, or to one of its own choosing. */
export const approveExtension: TransitionCommand = async ({ ticket, input }) => {
  const dueAt = input.extension ? new Date(input.extension.dueAt) : (ticket.extensionDueAt ?? ticket.resolveDueAt)
  return {
    note: withNote(`批准延期，办结时限改为 ${beijingDeadline(dueAt)}`, input.note),
    patch: { extensionState: 'approved', extensionDueAt: dueAt, resolveDueAt: dueAt },
    data: { dueAt: dueAt.toISOString(), previousDueAt: ticket.resolveDueAt.toISOString() }
  }
}

/** 驳回延期: the deadline stays; the handler reads why in the timeline. */
export const denyExtension: TransitionCommand = async ({ ticket, input }) => ({
  patch: { extensionState: 'denied' },
  note: withNote(`驳回延期，办结时限仍为 ${beijingDeadline(ticket.resolveDueAt)}`, input.note),
  data: { askedDueAt: ticket.extensionDueAt?.toISOString() ?? null }
})
