// Zod-free on purpose: the mini-program's H5 entry needs the codes but not zod; with
// "sideEffects": false in shared/package.json the bundler then leaves problem.ts and zod out of it
// (docs/performance.md "Lighthouse").

/**
 * Every stable error code the API can answer with. Clients branch on these, never on message text.
 * Add codes here, never rename one: outside integrations rely on them.
 */
export const ERROR_CODES = [
  'validation_failed',
  'unauthenticated',
  'invalid_token',
  'invalid_credentials',
  'account_locked',
  'account_disabled',
  'totp_required',
  'invalid_totp',
  'weak_password',
  // production staff side (accounts, forced password change, WeChat binding)
  'totp_reused',
  'totp_not_enrolled',
  'password_change_required',
  'username_taken',
  'wechat_already_bound',
  'invalid_code',
  'wechat_risky_user',
  'wechat_unavailable',
  'forbidden',
  'not_found',
  'ticket_not_found',
  'out_of_district',
  'unknown_category',
  'conflict',
  'invalid_transition',
  'reason_required',
  'reply_required',
  'rating_required',
  'already_rated',
  'reopen_window_closed',
  // resident services (testing points, legal consultations, volunteers, hazard ledger)
  'slot_full',
  'slot_in_past',
  'slot_too_soon',
  'already_booked',
  'change_cutoff_passed',
  'booking_not_active',
  'consultation_not_started',
  'already_supported',
  'request_closed',
  'already_registered',
  'volunteer_not_approved',
  'activity_full',
  'activity_cancelled',
  'signup_closed',
  'already_signed_up',
  'not_signed_up',
  'invalid_checkin_code',
  'checkin_window_closed',
  'already_checked_in',
  'not_checked_in',
  'checkout_too_early',
  'capacity_below_signups',
  'idempotency_key_required',
  'idempotency_key_reused',
  'idempotency_in_flight',
  'payload_too_large',
  // territory import
  'territory_invalid',
  'territory_file_invalid',
  'unsupported_coordinate_system',
  'unsupported_media_type',
  'rate_limited',
  'routing_failed',
  // admin console: a change that would leave a category's tickets with nobody to receive them
  'category_without_receiver',
  'content_rejected',
  'service_unavailable',
  // this instance is shutting down (SIGTERM): /readyz says so while in-flight requests drain
  'shutting_down',
  // a path with traversal (..), encoded slashes or NUL bytes: never served, never routed
  'malformed_path',
  // residents' data rights: no current consent on the server (POST /api/me/consent), or another policy version
  'consent_required',
  'policy_version_mismatch',
  'publication_not_held',
  // 12345-grade handling (docs/handling.md): extensions, 催办, 回访, 代报, reply templates
  'extension_already_requested',
  'extension_too_late',
  'extension_due_invalid',
  'extension_not_pending',
  'wrong_approval_level',
  'press_too_early',
  'press_limit_reached',
  'callback_required',
  'already_cohandling',
  'staff_filing_only',
  'unknown_placeholder',
  // place QR codes (一码通, docs/places-and-grids.md): a scene nobody made, one past its date, one whose signature fails
  'qr_scene_unknown',
  'qr_scene_expired',
  'qr_scene_forged',
  // a CSV import whose header is not the documented one, or a line that does not fit it
  'csv_invalid',
  'internal_error',
  'network_error'
] as const
export type ErrorCode = (typeof ERROR_CODES)[number]
