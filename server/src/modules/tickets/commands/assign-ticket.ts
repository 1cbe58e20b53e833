import type { LatLng, TicketKind } from '@palm/shared'
import { decideRoute } from '../../routing/index'
import type { TransitionCommand } from './transition-context'

/**
 * Dispatches a submitted ticket by the routing module, from what the resident gave (the point, or the
 * community). Creation does this itself; the command exists for the system to re-run routing.
 */
export const assignTicket: TransitionCommand = async ({ em, deps, ticket }) => {
  const location: LatLng | undefined = ticket.lat !== null && ticket.lng !== null ? { lat: ticket.lat, lng: ticket.lng } : undefined
  const decision = await decideRoute(em, deps, {
    category: ticket.category,
    kind: ticket.kind as TicketKind,
    ...(location ? { location } : ticket.communityCode ? { communityCode: ticket.communityCode } : {})
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
    data: { level: decision.level, assigneeId: decision.assigneeId, inputs: decision.inputs },
    note: decision.reason
  }
}
