/** Routing decides where a ticket goes; tickets/ persists the decision (style.md "Module boundaries"). */
export { decideRoute, routeOneLevelUp, RoutingFailedError, maskName, type RoutingDecision, type RoutedDecision, type RoutingFacts, type RouteRequest, type LevelUpRequest } from './routing.service'
export { invalidateRoutingReference } from './reference-data'
export { explainRoute } from './explain'
export { createRoutingRouter } from './routing.routes'
export { RoutingRule } from './routing-rule.entity'
export { DEFAULT_ROUTING_RULES } from './default-rules'
