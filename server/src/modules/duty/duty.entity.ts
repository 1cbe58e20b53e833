import { Column, Entity, Index, PrimaryColumn } from 'typeorm'

/**
 * One weekly roster line: the worker is on duty in the grid from `startMinute` to `endMinute`
 * (minutes of the week in China time, Monday 00:00 = 0, end exclusive, within one day).
 */
@Entity('roster_entries')
@Index('IDX_roster_entries_grid_user', ['gridCode', 'userId', 'startMinute'])
export class RosterEntry {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string

  @Column({ name: 'grid_code', type: 'varchar', length: 24 })
  gridCode: string

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string

  @Column({ name: 'start_minute', type: 'integer' })
  startMinute: number

  @Column({ name: 'end_minute', type: 'integer' })
  endMinute: number

  @Column({ name: 'created_at', type: 'datetime' })
  createdAt: Date
}

/** A worker's leave: not on duty anywhere from `startsAt` (inclusive) to `endsAt` (exclusive). */
@Entity('staff_leaves')
@Index('IDX_staff_leaves_user', ['userId', 'endsAt'])
export class StaffLeave {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string

  @Column({ name: 'starts_at', type: 'datetime' })
  startsAt: Date

  @Column({ name: 'ends_at', type: 'datetime' })
  endsAt: Date

  @Column({ type: 'varchar', length: 200, nullable: true })
  reason: string | null

  @Column({ name: 'created_by', type: 'varchar', length: 36 })
  createdBy: string

  @Column({ name: 'created_at', type: 'datetime' })
  createdAt: Date
}
