import { Column, Entity, Index, PrimaryColumn } from 'typeorm'

/**
 * A notice to one user from a resident service (a published testing point to its supporters, a
 * waiting-list promotion, a rescheduled consultation), written in the transaction of the change.
 * It is the hand-off to the notifications module: its relay delivers rows with `delivered_at` NULL
 * (in-app message and WeChat subscribe message) and stamps them.
 */
@Entity('service_notices')
@Index('IDX_service_notices_user', ['userId', 'createdAt'])
@Index('IDX_service_notices_pending', ['deliveredAt', 'createdAt'])
export class ServiceNotice {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string

  /** testing_point_published | signup_promoted | booking_cancelled_by_station | … */
  @Column({ type: 'varchar', length: 48 })
  kind: string

  @Column({ type: 'varchar', length: 64 })
  title: string

  @Column({ type: 'varchar', length: 500 })
  body: string

  /** What the notice is about, e.g. `testing_point:<id>` or `activity:<id>`. */
  @Column({ name: 'subject_ref', type: 'varchar', length: 80 })
  subjectRef: string

  @Column({ name: 'created_at', type: 'datetime' })
  createdAt: Date

  @Column({ name: 'delivered_at', type: 'datetime', nullable: true })
  deliveredAt: Date | null
}
