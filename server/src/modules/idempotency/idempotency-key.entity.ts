import { Column, Entity, Index, PrimaryColumn } from 'typeorm'

/**
 * runIdempotent's claim is taken `in_flight` before the work and becomes `done`, with the answer, in
 * the work's transaction; runIdempotentWrites writes it `done` at once, in the work's transaction.
 */
export type IdempotencyKeyStatus = 'in_flight' | 'done'

/**
 * An Idempotency-Key claim (docs/security.md REL-IDEM-2): unique per user and key, with the response
 * stored in the same transaction as the work (see IdempotencyKeyStatus).
 */
@Entity('idempotency_keys')
@Index('UQ_idempotency_keys_user_key', ['userId', 'key'], { unique: true })
@Index('IDX_idempotency_keys_created', ['createdAt'])
export class IdempotencyKey {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string

  @Column({ name: 'idem_key', type: 'varchar', length: 64 })
  key: string

  /** sha256 of the endpoint and the canonical body. */
  @Column({ name: 'request_hash', type: 'varchar', length: 64 })
  requestHash: string

  @Column({ type: 'varchar', length: 16 })
  status: IdempotencyKeyStatus

  @Column({ name: 'response_status', type: 'integer', nullable: true })
  responseStatus: number | null

  @Column({ name: 'response_body', type: 'text', nullable: true })
  responseBody: string | null

  @Column({ name: 'created_at', type: 'datetime' })
  createdAt: Date

  @Column({ name: 'completed_at', type: 'datetime', nullable: true })
  completedAt: Date | null
}
