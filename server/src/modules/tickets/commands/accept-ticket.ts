import type { TransitionCommand } from './transition-context'

/**
 * 签收: the handler takes the ticket. They become its assignee; the first acceptance is what the
 * response rate measures, so a later re-acceptance (after a transfer) keeps it.
 */
export const acceptTicket: TransitionCommand = async ({ actor, ticket, now }) => ({
  patch: { assigneeId: actor.id, acceptedAt: ticket.acceptedAt ?? now },
  data: { firstAcceptance: ticket.acceptedAt === null }
})
