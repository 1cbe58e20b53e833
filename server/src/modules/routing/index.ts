/** Routing decides where a ticket goes; tickets/ persists the decision (docs/style.md "Module boundaries"). */
export {
  decideRoute,
  routeOneLevelUp,
  RoutingFailedError,
  maskName,
  type RoutingDecision,
  type RoutedDecision,
  type RoutingFacts,
  type RouteRequest,
  type LevelUpRequest,
  type ReplayOptions,
  type RuleSpec
} from './routing.service'
export { invalidateRoutingReference } from './reference-data'
export { explainRoute } from './explain'
export { previewRuleChange } from './rules-preview'
export { createRoutingRouter } from './routing.routes'
export { createDepartmentsRouter } from './departments.routes'
export { RoutingRule } from './routing-rule.entity'
export { DEFAULT_ROUTING_RULES } from './default-rules'
