import type { TestingPointStatus } from '@palm/shared'
import { Column, Entity, Index, PrimaryColumn } from 'typeorm'

/** A testing point (核酸检测点) residents can find on the map; `opening_hours` is OpeningHours JSON. */
@Entity('testing_points')
@Index('IDX_testing_points_community', ['communityCode'])
@Index('IDX_testing_points_street', ['streetCode'])
@Index('UQ_testing_points_request', ['requestTicketId'], { unique: true })
export class TestingPoint {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string

  @Column({ type: 'varchar', length: 64 })
  name: string

  @Column({ type: 'varchar', length: 200 })
  address: string

  @Column({ type: 'double' })
  lat: number

  @Column({ type: 'double' })
  lng: number

  @Column({ name: 'community_code', type: 'varchar', length: 16 })
  communityCode: string

  @Column({ name: 'street_code', type: 'varchar', length: 16 })
  streetCode: string

  @Column({ name: 'opening_hours', type: 'text' })
  openingHours: string

  @Column({ type: 'varchar', length: 16 })
  status: TestingPointStatus

  /** none | short | long, as staff on site report it. */
  @Column({ name: 'queue_level', type: 'varchar', length: 16 })
  queueLevel: string

  /** The `testing_point_request` ticket this point answered (one point per request). */
  @Column({ name: 'request_ticket_id', type: 'varchar', length: 36, nullable: true })
  requestTicketId: string | null

  @Column({ name: 'created_by', type: 'varchar', length: 36, nullable: true })
  createdBy: string | null

  @Column({ type: 'boolean', default: false })
  synthetic: boolean

  @Column({ name: 'created_at', type: 'datetime' })
  createdAt: Date

  @Column({ name: 'updated_at', type: 'datetime' })
  updatedAt: Date
}

/**
 * One resident's support (+1, 附议) of a testing-point request. The unique index is what makes
 * "once each" true under concurrency; `notified_at` records that the supporter was told of the outcome.
 */
@Entity('testing_point_supports')
@Index('UQ_testing_point_supports_ticket_user', ['ticketId', 'userId'], { unique: true })
@Index('IDX_testing_point_supports_user', ['userId'])
export class TestingPointSupport {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string

  @Column({ name: 'ticket_id', type: 'varchar', length: 36 })
  ticketId: string

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string

  @Column({ name: 'created_at', type: 'datetime' })
  createdAt: Date

  @Column({ name: 'notified_at', type: 'datetime', nullable: true })
  notifiedAt: Date | null
}
