import { Column, Entity, Index, PrimaryColumn } from 'typeorm'

/**
 * The consent record (docs/security.md PI-4): one row per decision, granted or withdrawn, with the
 * policy version, the client and the time. Append-only; a resident's current consent is their
 * latest row, and it counts only when it grants the current policy version.
 */
@Entity('consent_records')
@Index('UQ_consent_records_user_seq', ['userId', 'seq'], { unique: true })
export class ConsentRecord {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string

  /** 1, 2, … per user: the order of the decisions, even when two share a timestamp. */
  @Column({ type: 'integer' })
  seq: number

  /** 'granted' | 'withdrawn' */
  @Column({ type: 'varchar', length: 16 })
  action: string

  @Column({ name: 'policy_version', type: 'varchar', length: 32, nullable: true })
  policyVersion: string | null

  @Column({ type: 'varchar', length: 16, nullable: true })
  client: string | null

  @Column({ name: 'created_at', type: 'datetime' })
  createdAt: Date
}
