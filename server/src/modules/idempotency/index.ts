/**
 * Idempotency-Key for every create endpoint (docs/security.md REL-IDEM-2): one claim table for the
 * whole API. runIdempotent takes a claim (a lease) before the work and stores the answer in the
 * work's own transaction; runIdempotentWrites (the submission) claims the key with its answer as the
 * first write of that transaction. Either way a retry with the same key and body gets the first
 * answer, another body 422, a duplicate still in flight 409.
 */
export {
  runIdempotent,
  runIdempotentWrites,
  requireIdempotencyKey,
  canonicalJson,
  requestHash,
  idempotencyPruneJob,
  CLAIM_LEASE_MS,
  CLAIM_HEARTBEAT_MS,
  IDEMPOTENCY_RETENTION_MS,
  type IdempotentResponse
} from './idempotency'
export { respondIdempotently } from './idempotent-route'
export { IdempotencyKey, type IdempotencyKeyStatus } from './idempotency-key.entity'
