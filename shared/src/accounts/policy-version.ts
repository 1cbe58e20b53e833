/**
 * The version of the privacy guideline (用户隐私保护指引) the app currently shows. Bump it when the
 * text changes, so residents are asked to consent again (`POST /api/me/consent {policyVersion}`).
 * Zod-free, like errors/error-codes.ts: the H5 entry bundle reads it without loading zod.
 */
export const POLICY_VERSION = '2026-11-01'
