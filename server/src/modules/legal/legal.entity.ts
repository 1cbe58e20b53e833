import type { BookingStatus, ProviderKind, StationKind, StationLevel } from '@palm/shared'
import { Column, Entity, Index, PrimaryColumn } from 'typeorm'

/**
 * A legal service station: the district legal aid centre, a sub-district station, a community room,
 * the 1826 marriage and family station or the mediation centre. Booking lead time and the
 * cancel/reschedule cut-off are settings of each station.
 */
@Entity('legal_stations')
@Index('IDX_legal_stations_street', ['streetCode'])
@Index('IDX_legal_stations_community', ['communityCode'])
export class LegalStation {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string

  @Column({ type: 'varchar', length: 64 })
  name: string

  @Column({ type: 'varchar', length: 16 })
  level: StationLevel

  @Column({ type: 'varchar', length: 32 })
  kind: StationKind

  @Column({ name: 'street_code', type: 'varchar', length: 16, nullable: true })
  streetCode: string | null

  @Column({ name: 'community_code', type: 'varchar', length: 16, nullable: true })
  communityCode: string | null

  /** The department whose staff run it (the justice bureau for most), for department-scoped staff. */
  @Column({ name: 'department_code', type: 'varchar', length: 32, nullable: true })
  departmentCode: string | null

  @Column({ type: 'varchar', length: 200 })
  address: string

  @Column({ type: 'double', nullable: true })
  lat: number | null

  @Column({ type: 'double', nullable: true })
  lng: number | null

  @Column({ type: 'varchar', length: 32, nullable: true })
  phone: string | null

  /** JSON array of topic names. */
  @Column({ type: 'text' })
  topics: string

  @Column({ name: 'min_lead_minutes', type: 'integer' })
  minLeadMinutes: number

  @Column({ name: 'cancel_cutoff_minutes', type: 'integer' })
  cancelCutoffMinutes: number

  @Column({ type: 'boolean', default: true })
  active: boolean

  @Column({ type: 'boolean', default: false })
  synthetic: boolean

  @Column({ name: 'created_at', type: 'datetime' })
  createdAt: Date

  @Column({ name: 'updated_at', type: 'datetime' })
  updatedAt: Date
}

/** A lawyer, mediator or counsellor serving at one station. */
@Entity('legal_providers')
@Index('IDX_legal_providers_station', ['stationId'])
@Index('IDX_legal_providers_user', ['userId'])
export class LegalProvider {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string

  @Column({ name: 'station_id', type: 'varchar', length: 36 })
  stationId: string

  @Column({ type: 'varchar', length: 64 })
  name: string

  @Column({ type: 'varchar', length: 16 })
  kind: ProviderKind

  /** JSON array of topic names. */
  @Column({ type: 'text' })
  topics: string

  @Column({ type: 'varchar', length: 500 })
  bio: string

  /** The staff account that writes this provider's consultation records, when there is one. */
  @Column({ name: 'user_id', type: 'varchar', length: 36, nullable: true })
  userId: string | null

  @Column({ type: 'boolean', default: true })
  active: boolean

  @Column({ type: 'boolean', default: false })
  synthetic: boolean

  @Column({ name: 'created_at', type: 'datetime' })
  createdAt: Date
}

/** A provider's weekly rule; slots are generated from it (local Beijing time). */
@Entity('legal_schedules')
@Index('IDX_legal_schedules_provider', ['providerId'])
export class LegalSchedule {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string

  @Column({ name: 'provider_id', type: 'varchar', length: 36 })
  providerId: string

  /** ISO weekday, 1 = Monday. */
  @Column({ type: 'integer' })
  weekday: number

  @Column({ name: 'start_time', type: 'varchar', length: 5 })
  startTime: string

  @Column({ name: 'end_time', type: 'varchar', length: 5 })
  endTime: string

  @Column({ name: 'slot_minutes', type: 'integer' })
  slotMinutes: number

  @Column({ type: 'integer' })
  capacity: number

  @Column({ type: 'boolean', default: true })
  active: boolean

  @Column({ name: 'created_at', type: 'datetime' })
  createdAt: Date
}

/**
 * A bookable time slot. `booked` moves only by conditional UPDATE (`booked < capacity`), which is what
 * keeps it from ever passing `capacity`; the unique (provider, start) makes generation idempotent.
 */
@Entity('legal_slots')
@Index('UQ_legal_slots_provider_start', ['providerId', 'startsAt'], { unique: true })
@Index('IDX_legal_slots_station_start', ['stationId', 'startsAt'])
export class LegalSlot {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string

  @Column({ name: 'station_id', type: 'varchar', length: 36 })
  stationId: string

  @Column({ name: 'provider_id', type: 'varchar', length: 36 })
  providerId: string

  @Column({ name: 'starts_at', type: 'datetime' })
  startsAt: Date

  @Column({ name: 'ends_at', type: 'datetime' })
  endsAt: Date

  @Column({ type: 'integer' })
  capacity: number

  @Column({ type: 'integer', default: 0 })
  booked: number

  @Column({ name: 'created_at', type: 'datetime' })
  createdAt: Date
}

/**
 * A resident's booking. `active_slot_id` equals `slot_id` while the booking holds a seat and is NULL
 * otherwise, so the unique (user, active slot) allows one live booking per resident per slot while
 * letting a cancelled one be booked again.
 */
@Entity('legal_bookings')
@Index('UQ_legal_bookings_user_active_slot', ['userId', 'activeSlotId'], { unique: true })
@Index('IDX_legal_bookings_slot', ['slotId'])
@Index('IDX_legal_bookings_station', ['stationId', 'startsAt'])
@Index('IDX_legal_bookings_user', ['userId', 'createdAt'])
export class LegalBooking {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string

  @Column({ name: 'slot_id', type: 'varchar', length: 36 })
  slotId: string

  @Column({ name: 'active_slot_id', type: 'varchar', length: 36, nullable: true })
  activeSlotId: string | null

  @Column({ name: 'station_id', type: 'varchar', length: 36 })
  stationId: string

  @Column({ name: 'provider_id', type: 'varchar', length: 36 })
  providerId: string

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string

  /** Copied from the slot so lists sort without a join. */
  @Column({ name: 'starts_at', type: 'datetime' })
  startsAt: Date

  @Column({ type: 'varchar', length: 50 })
  topic: string

  @Column({ type: 'varchar', length: 500 })
  description: string

  @Column({ type: 'varchar', length: 16 })
  status: BookingStatus

  /** The `legal_consultation` ticket this booking created. */
  @Column({ name: 'ticket_id', type: 'varchar', length: 36, nullable: true })
  ticketId: string | null

  @Column({ name: 'record_summary', type: 'text', nullable: true })
  recordSummary: string | null

  @Column({ name: 'record_advice', type: 'text', nullable: true })
  recordAdvice: string | null

  @Column({ name: 'record_by', type: 'varchar', length: 64, nullable: true })
  recordBy: string | null

  @Column({ name: 'record_at', type: 'datetime', nullable: true })
  recordAt: Date | null

  @Column({ name: 'created_at', type: 'datetime' })
  createdAt: Date

  @Column({ name: 'cancelled_at', type: 'datetime', nullable: true })
  cancelledAt: Date | null

  @Column({ name: 'updated_at', type: 'datetime' })
  updatedAt: Date
}
