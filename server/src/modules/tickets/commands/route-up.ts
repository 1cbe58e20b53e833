import type { RoutingLevel } from '@palm/shared'
import { routeOneLevelUp } from '../../routing/index'
import type { TransitionContext, TransitionOutcome } from './transition-context'

/**
 * Moves the ticket one level up the ladder through the routing module (grid → community → street →
 * district; a department hands back to the district). Territory codes stay, so the grid and
 * community still see their ticket; the queue, the assignee and the stored reason change. The clock
 * keeps running: a return or an escalation never resets a deadline.
 */
export async function routeUp(ctx: TransitionContext, why: string): Promise<TransitionOutcome> {
  const { ticket } = ctx
  const decision = await routeOneLevelUp(ctx.em, ctx.deps, {
    category: ticket.category,
    level: ticket.level as RoutingLevel,
    gridCode: ticket.gridCode,
    communityCode: ticket.communityCode,
    streetCode: ticket.streetCode,
    reason: why
  })
  return {
    patch: {
      level: decision.level,
      gridCode: decision.gridCode,
      communityCode: decision.communityCode,
      streetCode: decision.streetCode,
      departmentCode: decision.departmentCode,
      assigneeId: decision.assigneeId,
      routingReason: decision.reason,
      routingInputs: JSON.stringify(decision.inputs)
    },
    data: { fromLevel: ticket.level, level: decision.level, departmentCode: decision.departmentCode, reason: decision.reason }
  }
}
