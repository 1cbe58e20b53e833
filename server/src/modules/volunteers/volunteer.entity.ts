import type { ALERT_LEVELS, ActivityKind, SignupStatus, VolunteerStatus } from '@palm/shared'
import { Column, Entity, Index, PrimaryColumn } from 'typeorm'

/** A member (or applicant) of the 平城反诈 volunteer alliance; one row per user. */
@Entity('volunteers')
@Index('UQ_volunteers_user', ['userId'], { unique: true })
@Index('UQ_volunteers_number', ['number'], { unique: true })
@Index('IDX_volunteers_community_status', ['communityCode', 'status'])
export class Volunteer {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string

  @Column({ type: 'varchar', length: 32 })
  number: string

  @Column({ type: 'varchar', length: 32 })
  name: string

  @Column({ type: 'varchar', length: 20 })
  phone: string

  @Column({ name: 'community_code', type: 'varchar', length: 16 })
  communityCode: string

  @Column({ name: 'street_code', type: 'varchar', length: 16 })
  streetCode: string

  /** JSON array of skills. */
  @Column({ type: 'text' })
  skills: string

  @Column({ type: 'varchar', length: 16 })
  status: VolunteerStatus

  @Column({ name: 'rejection_reason', type: 'varchar', length: 500, nullable: true })
  rejectionReason: string | null

  @Column({ name: 'decided_by', type: 'varchar', length: 36, nullable: true })
  decidedBy: string | null

  @Column({ name: 'approved_at', type: 'datetime', nullable: true })
  approvedAt: Date | null

  @Column({ type: 'boolean', default: false })
  synthetic: boolean

  @Column({ name: 'created_at', type: 'datetime' })
  createdAt: Date

  @Column({ name: 'updated_at', type: 'datetime' })
  updatedAt: Date
}

/**
 * An alliance activity. `signed_up` counts confirmed seats and moves only by conditional UPDATE;
 * `waitlist_seq` hands out waiting-list places in order (incremented under the row lock).
 */
@Entity('volunteer_activities')
@Index('IDX_volunteer_activities_start', ['startsAt'])
@Index('IDX_volunteer_activities_community', ['communityCode', 'startsAt'])
export class VolunteerActivity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string

  @Column({ type: 'varchar', length: 64 })
  title: string

  @Column({ type: 'text' })
  description: string

  @Column({ type: 'varchar', length: 16 })
  kind: ActivityKind

  @Column({ type: 'varchar', length: 200 })
  place: string

  @Column({ type: 'double', nullable: true })
  lat: number | null

  @Column({ type: 'double', nullable: true })
  lng: number | null

  @Column({ name: 'community_code', type: 'varchar', length: 16, nullable: true })
  communityCode: string | null

  @Column({ name: 'street_code', type: 'varchar', length: 16, nullable: true })
  streetCode: string | null

  @Column({ name: 'department_code', type: 'varchar', length: 32, nullable: true })
  departmentCode: string | null

  @Column({ name: 'starts_at', type: 'datetime' })
  startsAt: Date

  @Column({ name: 'ends_at', type: 'datetime' })
  endsAt: Date

  @Column({ name: 'signup_deadline', type: 'datetime' })
  signupDeadline: Date

  @Column({ type: 'integer' })
  capacity: number

  @Column({ name: 'signed_up', type: 'integer', default: 0 })
  signedUp: number

  @Column({ name: 'waitlist_seq', type: 'integer', default: 0 })
  waitlistSeq: number

  /** The code volunteers type at the venue to check in and out. */
  @Column({ name: 'checkin_code', type: 'varchar', length: 16 })
  checkinCode: string

  @Column({ type: 'boolean', default: false })
  cancelled: boolean

  @Column({ name: 'organiser', type: 'varchar', length: 64 })
  organiser: string

  @Column({ name: 'created_by', type: 'varchar', length: 36 })
  createdBy: string

  @Column({ type: 'boolean', default: false })
  synthetic: boolean

  @Column({ name: 'created_at', type: 'datetime' })
  createdAt: Date

  @Column({ name: 'updated_at', type: 'datetime' })
  updatedAt: Date
}

/**
 * A volunteer's place in an activity. `active_activity_id` is the activity id while the sign-up is
 * live (confirmed or waitlisted) and NULL once cancelled: the unique (user, active activity) is
 * "one sign-up per volunteer per activity" without blocking a sign-up after a cancellation.
 */
@Entity('activity_signups')
@Index('UQ_activity_signups_user_active', ['userId', 'activeActivityId'], { unique: true })
@Index('IDX_activity_signups_activity_status', ['activityId', 'status', 'waitlistPosition'])
@Index('IDX_activity_signups_user', ['userId', 'checkoutAt'])
export class ActivitySignup {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string

  @Column({ name: 'activity_id', type: 'varchar', length: 36 })
  activityId: string

  @Column({ name: 'active_activity_id', type: 'varchar', length: 36, nullable: true })
  activeActivityId: string | null

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string

  @Column({ type: 'varchar', length: 16 })
  status: SignupStatus

  /** The activity's waitlist_seq when this sign-up joined the waiting list; promotion goes lowest first. */
  @Column({ name: 'waitlist_position', type: 'integer', nullable: true })
  waitlistPosition: number | null

  @Column({ name: 'checkin_at', type: 'datetime', nullable: true })
  checkinAt: Date | null

  @Column({ name: 'checkout_at', type: 'datetime', nullable: true })
  checkoutAt: Date | null

  /** Service minutes credited at check-out. */
  @Column({ name: 'service_minutes', type: 'integer', default: 0 })
  serviceMinutes: number

  @Column({ name: 'promoted_at', type: 'datetime', nullable: true })
  promotedAt: Date | null

  @Column({ name: 'created_at', type: 'datetime' })
  createdAt: Date

  @Column({ name: 'cancelled_at', type: 'datetime', nullable: true })
  cancelledAt: Date | null
}

/** An award or commendation in a volunteer's record (表彰奖励信息). */
@Entity('volunteer_awards')
@Index('IDX_volunteer_awards_volunteer', ['volunteerId'])
export class VolunteerAward {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string

  @Column({ name: 'volunteer_id', type: 'varchar', length: 36 })
  volunteerId: string

  @Column({ type: 'varchar', length: 64 })
  title: string

  @Column({ type: 'varchar', length: 64 })
  issuer: string

  @Column({ name: 'awarded_at', type: 'datetime' })
  awardedAt: Date

  @Column({ name: 'created_by', type: 'varchar', length: 36 })
  createdBy: string

  @Column({ name: 'created_at', type: 'datetime' })
  createdAt: Date
}

/** An anti-fraud alert (反诈预警) staff publish and everyone reads. */
@Entity('anti_fraud_alerts')
@Index('IDX_anti_fraud_alerts_published', ['publishedAt', 'id'])
export class AntiFraudAlert {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string

  @Column({ type: 'varchar', length: 64 })
  title: string

  @Column({ type: 'text' })
  body: string

  @Column({ type: 'varchar', length: 16 })
  level: (typeof ALERT_LEVELS)[number]

  @Column({ type: 'varchar', length: 64 })
  publisher: string

  @Column({ name: 'published_by', type: 'varchar', length: 36 })
  publishedBy: string

  @Column({ name: 'published_at', type: 'datetime' })
  publishedAt: Date

  @Column({ type: 'boolean', default: false })
  synthetic: boolean
}
