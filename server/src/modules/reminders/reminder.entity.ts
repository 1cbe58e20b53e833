import { Column, Entity, PrimaryColumn } from 'typeorm'

/**
 * One reminder sent (or claimed) for one booking or sign-up: the key is the claim, so every instance
 * may run the job and each reminder goes out once (docs/messages.md "Reminders").
 */
@Entity('service_reminders')
export class ServiceReminder {
  /** 'legal_booking' | 'activity_signup'. */
  @PrimaryColumn({ name: 'subject_type', type: 'varchar', length: 24 })
  subjectType: string

  @PrimaryColumn({ name: 'subject_id', type: 'varchar', length: 36 })
  subjectId: string

  /** 'day_before' | 'hour_before'. */
  @PrimaryColumn({ type: 'varchar', length: 16 })
  kind: string

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string

  @Column({ name: 'starts_at', type: 'datetime' })
  startsAt: Date

  @Column({ name: 'created_at', type: 'datetime' })
  createdAt: Date
}
