import type { Scope } from '@palm/shared'
import type { Actor } from '../auth/actor'

/** The system as an actor: routing, the overdue job and automatic closing fire events under this name. */
export interface SystemActor {
  id: null
  role: 'system'
  displayName: string
  scope: Scope
}

export const SYSTEM_ACTOR: SystemActor = Object.freeze({ id: null, role: 'system', displayName: '系统', scope: Object.freeze({}) })

/** Whoever fires a ticket event: a signed-in person or the system. */
export type TicketActor = Actor | SystemActor

export function isSystemActor(actor: TicketActor): actor is SystemActor {
  return actor.role === 'system'
}

/** The name shown for the reporter of an anonymous tip, to everyone and in every stored event. */
export const ANONYMOUS_REPORTER_NAME = '匿名举报人'
