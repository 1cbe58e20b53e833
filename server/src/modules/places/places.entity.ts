import { Column, Entity, Index, PrimaryColumn } from 'typeorm'

/**
 * A place with a QR code (一码通): a building, shop or public facility, at a WGS-84 point, in the
 * grid that point lies in when the place was made. `code` is the short id the QR scene carries.
 */
@Entity('places')
@Index('UQ_places_code', ['code'], { unique: true })
@Index('IDX_places_grid', ['gridCode', 'createdAt'])
export class Place {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string

  @Column({ type: 'varchar', length: 12 })
  code: string

  @Column({ type: 'varchar', length: 64 })
  name: string

  @Column({ type: 'varchar', length: 16 })
  kind: string

  @Column({ name: 'grid_code', type: 'varchar', length: 24 })
  gridCode: string

  @Column({ name: 'community_code', type: 'varchar', length: 16 })
  communityCode: string

  @Column({ name: 'street_code', type: 'varchar', length: 16 })
  streetCode: string

  @Column({ type: 'double' })
  lat: number

  @Column({ type: 'double' })
  lng: number

  @Column({ type: 'varchar', length: 120, nullable: true })
  address: string | null

  @Column({ name: 'created_by', type: 'varchar', length: 36 })
  createdBy: string

  @Column({ name: 'created_at', type: 'datetime' })
  createdAt: Date
}

/** The 人 block of a grid: counts only (no names), entered by community staff or imported as CSV. */
@Entity('grid_counts')
export class GridCounts {
  @PrimaryColumn({ name: 'grid_code', type: 'varchar', length: 24 })
  gridCode: string

  @Column({ type: 'integer' })
  residents: number

  @Column({ type: 'integer' })
  households: number

  @Column({ name: 'party_members', type: 'integer' })
  partyMembers: number

  @Column({ name: 'special_groups', type: 'integer' })
  specialGroups: number

  /** 低保户: households on the minimum living allowance. */
  @Column({ name: 'low_income', type: 'integer' })
  lowIncome: number

  @Column({ name: 'updated_by', type: 'varchar', length: 36 })
  updatedBy: string

  @Column({ name: 'updated_at', type: 'datetime' })
  updatedAt: Date
}

/** One line of a grid profile's 物 (thing), 情 (situation) or 组织 (organisation) block. */
@Entity('grid_entries')
@Index('IDX_grid_entries_grid', ['gridCode', 'block', 'createdAt'])
export class GridEntry {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string

  @Column({ name: 'grid_code', type: 'varchar', length: 24 })
  gridCode: string

  @Column({ type: 'varchar', length: 16 })
  block: string

  @Column({ type: 'varchar', length: 64 })
  name: string

  @Column({ type: 'varchar', length: 32, nullable: true })
  kind: string | null

  @Column({ type: 'varchar', length: 64, nullable: true })
  contact: string | null

  @Column({ type: 'text', nullable: true })
  note: string | null

  @Column({ name: 'created_by', type: 'varchar', length: 36 })
  createdBy: string

  @Column({ name: 'created_at', type: 'datetime' })
  createdAt: Date
}

/** A community's office as residents may call or visit it: its public number, never a person's. */
@Entity('community_offices')
export class CommunityOffice {
  @PrimaryColumn({ name: 'community_code', type: 'varchar', length: 16 })
  communityCode: string

  @Column({ type: 'varchar', length: 64 })
  name: string

  @Column({ type: 'varchar', length: 120, nullable: true })
  address: string | null

  @Column({ type: 'varchar', length: 20, nullable: true })
  phone: string | null

  @Column({ type: 'varchar', length: 64, nullable: true })
  hours: string | null

  @Column({ name: 'updated_at', type: 'datetime' })
  updatedAt: Date
}

/** What residents see of a staff member besides the display name: a public work number and a photo. */
@Entity('staff_cards')
export class StaffCard {
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string

  @Column({ name: 'work_phone', type: 'varchar', length: 20, nullable: true })
  workPhone: string | null

  @Column({ name: 'photo_url', type: 'varchar', length: 255, nullable: true })
  photoUrl: string | null

  @Column({ name: 'updated_at', type: 'datetime' })
  updatedAt: Date
}
