import { Column, Entity, PrimaryColumn } from 'typeorm'

/**
 * One row per ticket whose contact data the retention job (or an account deletion) anonymised.
 * Inserting it is the claim: the primary key lets only one instance do a ticket, once.
 */
@Entity('retention_purges')
export class RetentionPurge {
  @PrimaryColumn({ name: 'ticket_id', type: 'varchar', length: 36 })
  ticketId: string

  /** 'retention' (closed long enough) or 'deletion' (the reporter deleted the account). */
  @Column({ type: 'varchar', length: 16 })
  reason: string

  @Column({ name: 'purged_at', type: 'datetime' })
  purgedAt: Date
}
