import type { RoutingRuleMode } from '@palm/shared'

export interface DefaultRoutingRule {
  id: string
  category: string
  departmentCode: string
  mode: RoutingRuleMode
}

/**
 * The rules every installation starts with (docs/domain.md "Routing" 2), seeded by the routing migration.
 * - Fraud tips go to the police anti-fraud centre INSTEAD of a grid worker: speed matters, and a tip
 *   may name a neighbour, so it should not sit in the grid's inbox.
 * - A self-built-house hazard goes to the housing bureau BESIDE the grid: the bureau appraises, the
 *   grid worker checks on site.
 * - Legal consultations go to the justice bureau INSTEAD: the booking is served by its legal-aid
 *   stations, not by grid workers.
 * - Testing-point requests and epidemic-prevention reports go to the health commission BESIDE the
 *   territory: the community finds the place and the people, the commission approves and staffs it.
 */
export const DEFAULT_ROUTING_RULES: readonly DefaultRoutingRule[] = [
  ...['telecom_fraud', 'online_fraud', 'investment_fraud', 'pension_fraud', 'other_fraud'].map((category) => ({
    id: `default-${category}`,
    category,
    departmentCode: 'anti_fraud_centre',
    mode: 'instead' as const
  })),
  { id: 'default-self_built_house', category: 'self_built_house', departmentCode: 'housing_bureau', mode: 'beside' },
  { id: 'default-legal_consultation', category: 'legal_consultation', departmentCode: 'justice_bureau', mode: 'instead' },
  { id: 'default-testing_point_request', category: 'testing_point_request', departmentCode: 'health_commission', mode: 'beside' },
  { id: 'default-epidemic_prevention', category: 'epidemic_prevention', departmentCode: 'health_commission', mode: 'beside' }
]
