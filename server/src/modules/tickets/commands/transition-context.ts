import type { TicketEvent, TicketState, TransitionInput } from '@palm/shared'
import type { EntityManager } from 'typeorm'
import type { AppDeps } from '../../../deps'
import type { Ticket } from '../ticket.entity'
import type { TicketActor } from '../ticket-actor'
import type { TicketRelation } from '../tickets.policy'

/** What a command sees: the ticket as read, the checked request, and the state the machine leads to. */
export interface TransitionContext {
  em: EntityManager
  deps: AppDeps
  actor: TicketActor
  ticket: Ticket
  relation: TicketRelation
  input: TransitionInput
  event: TicketEvent
  from: TicketState
  to: TicketState
  now: Date
}

/** The fields to change beyond state, version and updatedAt, plus what to record on the event row. */
export interface TransitionOutcome {
  patch: Partial<Ticket>
  /** Facts for the event's `data` (the new queue, the rating, the target…). */
  data?: Record<string, unknown>
  /** The note to record; defaults to the request's note. */
  note?: string | null
}

/** One verb: checks of its own, then the change it makes. Called after the machine, the policy and the rules passed. */
export type TransitionCommand = (ctx: TransitionContext) => Promise<TransitionOutcome>
