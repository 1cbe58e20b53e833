import type { TicketSummaryView } from '@palm/shared'

/** States in which a hazard tip has been checked (签收) and may be entered in the ledger (the server's rule). */
export const LEDGER_READY_STATES: readonly string[] = ['accepted', 'in_progress', 'resolved', 'closed']

/** What the pending list offers for a tip: enter it, accept and enter it, or say who must accept it first. */
export function pendingTipStep(tip: Pick<TicketSummaryView, 'state' | 'actions'>): 'enter' | 'accept-then-enter' | 'needs-handler' {
  if (LEDGER_READY_STATES.includes(tip.state)) return 'enter'
  return tip.actions.includes('accept') ? 'accept-then-enter' : 'needs-handler'
}
