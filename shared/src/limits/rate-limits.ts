/**
 * Per-resident and per-address limits (docs/security.md API2-3, API4-2, API6-1, FILE-1): how many of an
 * action one subject may do in one fixed window. The server counts them in the shared database, so
 * several instances together allow exactly what one allows (docs/operations.md "Limits"). The server
 * setting RATE_LIMIT_SCALE multiplies every `max` (e.g. 0.5 in an incident, a large value in a
 * benchmark); the windows do not change.
 */
export const RATE_LIMITS = {
  /** Sign-in attempts per client address and sign-in route (WeChat, staff password, binding, password change). */
  sign_in: { max: 20, windowSeconds: 60 },
  /** Reports (POST /api/tickets, every kind) per resident per hour. */
  submission: { max: 20, windowSeconds: 3600 },
  /** Tip-offs (fraud_tip, hazard_tip tickets) per resident per day, on top of the submission limit. */
  tip_off: { max: 5, windowSeconds: 86_400 },
  /** Photo uploads per person per hour (9 photos per report, a few reports). */
  upload: { max: 60, windowSeconds: 3600 },
  /** Legal-consultation bookings made per resident per day (cancelled ones count; one pending per service is a rule of its own). */
  booking: { max: 20, windowSeconds: 86_400 },
  /** Volunteer activity sign-ups per person per day. */
  signup: { max: 20, windowSeconds: 86_400 },
  /** Open311 calls per API key per minute (docs/open311.md; the same figure as Open311Limits). */
  open311_key: { max: 60, windowSeconds: 60 }
} as const satisfies Record<string, { max: number; windowSeconds: number }>

export type RateLimitBucket = keyof typeof RATE_LIMITS

/** The ticket kinds that count against the `tip_off` limit. */
export const TIP_OFF_KINDS = ['fraud_tip', 'hazard_tip'] as const
