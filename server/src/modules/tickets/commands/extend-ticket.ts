import { approverRoleFor } from '@palm/shared'
import type { TransitionCommand } from './transition-context'

/**
 * 延期申请: the handler asks, before the resolve deadline, for a later one (once per ticket; the rules
 * in @palm/shared refuse a second request, one after the deadline, and a deadline not later or more
 * than 30 days later). The clock keeps running until the level above decides (docs/handling.md).
 */
export const requestExtension: TransitionCommand = async ({ ticket, input }) => {
  const dueAt = new Date(input.extension?.dueAt ?? '')
  return {
    patch: { extensionState: 'pending', extensionDueAt: dueAt },
    data: { dueAt: dueAt.toISOString(), previousDueAt: ticket.resolveDueAt.toISOString(), approverRole: approverRoleFor(ticket.level) }
  }
}

/** 批准延期: the level above moves the resolve deadline to the one asked for, or to one of its own choosing. */
export const approveExtension: TransitionCommand = async ({ ticket, input }) => {
  const dueAt = input.extension ? new Date(input.extension.dueAt) : (ticket.extensionDueAt ?? ticket.resolveDueAt)
  return {
    patch: { extensionState: 'approved', extensionDueAt: dueAt, resolveDueAt: dueAt },
    data: { dueAt: dueAt.toISOString(), previousDueAt: ticket.resolveDueAt.toISOString() }
  }
}

/** 驳回延期: the deadline stays; the handler reads why in the timeline. */
export const denyExtension: TransitionCommand = async ({ ticket }) => ({
  patch: { extensionState: 'denied' },
  data: { askedDueAt: ticket.extensionDueAt?.toISOString() ?? null }
})
