export { consumeLimit, hitLimit, isLimitRefusal, limitHit, limitOf, rateLimitPruneJob, submissionHits, withLimits, type LimitHit } from './rate-limits'
