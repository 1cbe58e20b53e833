import { Column, Entity, Index, PrimaryColumn } from 'typeorm'

/**
 * The claim that one deadline of one ticket has been handled by the overdue job. The primary key
 * (ticket, which deadline, its due time) is the exactly-once guarantee: whichever instance inserts the
 * row first escalates, in the same transaction; every other insert fails on the key (or waits for the
 * first transaction and then fails) and skips. A deadline that moves (a reopened ticket gets new ones)
 * is a new key, so it can be escalated again, once.
 */
@Entity('ticket_overdue_escalations')
@Index('IDX_ticket_overdue_escalations_created', ['createdAt'])
export class OverdueEscalation {
  @PrimaryColumn({ name: 'ticket_id', type: 'varchar', length: 36 })
  ticketId: string

  /** 'accept' | 'resolve'. */
  @PrimaryColumn({ type: 'varchar', length: 16 })
  deadline: string

  @PrimaryColumn({ name: 'due_at', type: 'datetime' })
  dueAt: Date

  /** 'escalated', or 'refused' when the state machine would not move it (already at the district). */
  @Column({ type: 'varchar', length: 16 })
  outcome: string

  @Column({ name: 'created_at', type: 'datetime' })
  createdAt: Date
}
