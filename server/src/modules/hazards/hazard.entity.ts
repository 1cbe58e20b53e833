import type { HazardEvent, HazardKind, HazardStatus, RiskLevel } from '@palm/shared'
import { Column, Entity, Index, PrimaryColumn } from 'typeorm'

/**
 * One line of the hazard ledger (隐患台账). It never holds who tipped it off: an entry made from an
 * anonymous tip carries the ticket id only, and the ticket keeps the reporter apart.
 */
@Entity('hazard_entries')
@Index('UQ_hazard_entries_number', ['number'], { unique: true })
@Index('UQ_hazard_entries_source_ticket', ['sourceTicketId'], { unique: true })
@Index('IDX_hazard_entries_street_status', ['streetCode', 'status', 'createdAt'])
@Index('IDX_hazard_entries_community_status', ['communityCode', 'status'])
export class HazardEntry {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string

  /** Human ledger number, e.g. YH-20261128-4F7K2Q. */
  @Column({ type: 'varchar', length: 32 })
  number: string

  @Column({ name: 'street_code', type: 'varchar', length: 16 })
  streetCode: string

  @Column({ name: 'community_code', type: 'varchar', length: 16, nullable: true })
  communityCode: string | null

  @Column({ name: 'grid_code', type: 'varchar', length: 24, nullable: true })
  gridCode: string | null

  /** The department that must see it too (the housing bureau for self-built houses). */
  @Column({ name: 'department_code', type: 'varchar', length: 32, nullable: true })
  departmentCode: string | null

  @Column({ type: 'varchar', length: 200 })
  place: string

  @Column({ type: 'varchar', length: 100, nullable: true })
  building: string | null

  /** self_built_house | fire | gas | other */
  @Column({ type: 'varchar', length: 24 })
  kind: HazardKind

  /** low | medium | high | critical */
  @Column({ name: 'risk_level', type: 'varchar', length: 16 })
  riskLevel: RiskLevel

  @Column({ type: 'text' })
  description: string

  @Column({ type: 'double', nullable: true })
  lat: number | null

  @Column({ type: 'double', nullable: true })
  lng: number | null

  /** reported | verified | appraised | rectifying | closed */
  @Column({ type: 'varchar', length: 16 })
  status: HazardStatus

  @Column({ type: 'text', nullable: true })
  appraisal: string | null

  @Column({ name: 'appraisal_org', type: 'varchar', length: 100, nullable: true })
  appraisalOrg: string | null

  @Column({ name: 'rectification_plan', type: 'text', nullable: true })
  rectificationPlan: string | null

  @Column({ name: 'rectification_deadline', type: 'datetime', nullable: true })
  rectificationDeadline: Date | null

  @Column({ name: 'source_ticket_id', type: 'varchar', length: 36, nullable: true })
  sourceTicketId: string | null

  @Column({ name: 'created_by', type: 'varchar', length: 36 })
  createdBy: string

  @Column({ name: 'created_at', type: 'datetime' })
  createdAt: Date

  @Column({ name: 'updated_at', type: 'datetime' })
  updatedAt: Date

  @Column({ name: 'closed_at', type: 'datetime', nullable: true })
  closedAt: Date | null
}

/** The append-only history of an entry: who moved it, when, from where to where, and why. */
@Entity('hazard_entry_events')
@Index('UQ_hazard_entry_events_seq', ['entryId', 'seq'], { unique: true })
export class HazardEntryEvent {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string

  @Column({ name: 'entry_id', type: 'varchar', length: 36 })
  entryId: string

  /** 1, 2, 3… per entry: orders the history (events may share a timestamp) and, unique, refuses a lost update. */
  @Column({ type: 'integer' })
  seq: number

  @Column({ type: 'varchar', length: 32 })
  event: HazardEvent

  @Column({ name: 'from_status', type: 'varchar', length: 16, nullable: true })
  fromStatus: HazardStatus | null

  @Column({ name: 'to_status', type: 'varchar', length: 16 })
  toStatus: HazardStatus

  @Column({ name: 'actor_id', type: 'varchar', length: 36 })
  actorId: string

  @Column({ name: 'actor_role', type: 'varchar', length: 32 })
  actorRole: string

  @Column({ name: 'actor_name', type: 'varchar', length: 64 })
  actorName: string

  @Column({ type: 'text', nullable: true })
  note: string | null

  @Column({ type: 'datetime' })
  at: Date
}
