import type { ExplainRoutingInput } from '@palm/shared'
import type { EntityManager } from 'typeorm'
import type { AppDeps } from '../../deps'
import { BadRequestError } from '../../errors'
import { getCategory } from '../sla/index'
import { decideRoute, type RoutingDecision } from './routing.service'

/**
 * What would happen to a ticket of this category from this place, now: the same decision submission
 * would make (same code path), read-only. The kind follows from the category.
 * @throws as decideRoute.
 */
export async function explainRoute(em: EntityManager, deps: AppDeps, input: ExplainRoutingInput): Promise<RoutingDecision> {
  const category = await getCategory(em, input.category)
  if (!category) {
    throw new BadRequestError('unknown_category', `“${input.category}” is not a category.`, [{ path: 'category', code: 'unknown_category', message: 'Choose one of GET /api/tickets/categories.' }])
  }
  const decided = await decideRoute(em, deps, {
    category: category.code,
    kind: category.kind,
    ...(input.location ? { location: input.location } : {}),
    ...(input.communityCode ? { communityCode: input.communityCode } : {}),
    ...(input.streetCode ? { streetCode: input.streetCode } : {})
  })
  // The decision only: `facts` (names, the category) serve filing a ticket and are no part of the answer.
  const { level, gridCode, communityCode, streetCode, departmentCode, assigneeId, reason, inputs } = decided
  return { level, gridCode, communityCode, streetCode, departmentCode, assigneeId, reason, inputs }
}
