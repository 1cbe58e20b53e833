import { InvalidTransitionError } from '../../../errors'
import { routeUp } from './route-up'
import type { TransitionCommand } from './transition-context'

/**
 * 上报: one level up, by the handler, a supervisor, or the overdue job (the system). At the district
 * there is nowhere higher to go, so escalating there is refused rather than recorded as a move.
 * @throws InvalidTransitionError at the district level
 */
export const escalateTicket: TransitionCommand = async (ctx) => {
  if (ctx.ticket.level === 'district') throw new InvalidTransitionError(ctx.from, ctx.event)
  return routeUp(ctx, ctx.input.note ? `上报：${ctx.input.note}` : '上报')
}
