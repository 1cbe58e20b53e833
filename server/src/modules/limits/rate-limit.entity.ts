import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm'

/**
 * One counter per (bucket, subject): how many hits the subject made in its current window, which
 * starts at the first hit and lasts the bucket's window. Rows are reused window after window (the
 * upsert starts a new window at 1 once the old one is over);
 * `expires_at` lets the prune job delete counters of subjects that stopped coming. The CHECK makes
 * the database refuse a hit past `max_hits`, so the count and the refusal are one statement
 * (docs/operations.md "Limits").
 */
@Entity('rate_limits')
@Check('CHK_rate_limits_hits', 'hits <= max_hits')
export class RateLimitCounter {
  /** A RATE_LIMITS key (sign_in, submission, tip_off, upload, booking, signup). */
  @PrimaryColumn({ type: 'varchar', length: 24 })
  bucket: string

  /** A user id, or `route|address` for sign-in. */
  @PrimaryColumn({ type: 'varchar', length: 128 })
  subject: string

  /** When the current window began, in epoch seconds (bigint: a string in JavaScript). */
  @Column({ name: 'window_start', type: 'bigint' })
  windowStart: string

  @Column({ type: 'integer' })
  hits: number

  @Column({ name: 'max_hits', type: 'integer' })
  maxHits: number

  @Index('IDX_rate_limits_expires')
  @Column({ name: 'expires_at', type: 'datetime' })
  expiresAt: Date
}
