import { Column, Entity, Index, PrimaryColumn } from 'typeorm'

/**
 * Everyone who signs in: residents and volunteers by WeChat openid, staff by username and password.
 * A staff account's scope is the grid, community, street or department it acts for.
 */
@Entity('users')
@Index('UQ_users_openid', ['openid'], { unique: true })
@Index('UQ_users_username', ['username'], { unique: true })
@Index('UQ_users_demo_key', ['demoKey'], { unique: true })
@Index('IDX_users_grid', ['gridCode', 'role'])
@Index('IDX_users_community', ['communityCode', 'role'])
export class User {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string

  @Column({ type: 'varchar', length: 32 })
  role: string

  @Column({ name: 'display_name', type: 'varchar', length: 64 })
  displayName: string

  @Column({ type: 'varchar', length: 64, nullable: true })
  openid: string | null

  @Column({ type: 'varchar', length: 64, nullable: true })
  unionid: string | null

  /** Which WeChat app the openid belongs to: 'mini' (mini-program) or 'web' (official account H5). */
  @Column({ name: 'openid_source', type: 'varchar', length: 8, nullable: true })
  openidSource: string | null

  @Column({ type: 'varchar', length: 64, nullable: true })
  username: string | null

  @Column({ name: 'password_hash', type: 'varchar', length: 255, nullable: true })
  passwordHash: string | null

  @Column({ name: 'totp_secret', type: 'varchar', length: 64, nullable: true })
  totpSecret: string | null

  /** The last TOTP time step accepted, so a code cannot be used twice. */
  @Column({ name: 'totp_last_step', type: 'bigint', nullable: true })
  totpLastStep: string | null

  @Column({ type: 'varchar', length: 20, nullable: true })
  phone: string | null

  @Column({ name: 'grid_code', type: 'varchar', length: 24, nullable: true })
  gridCode: string | null

  @Column({ name: 'community_code', type: 'varchar', length: 16, nullable: true })
  communityCode: string | null

  @Column({ name: 'street_code', type: 'varchar', length: 16, nullable: true })
  streetCode: string | null

  @Column({ name: 'department_code', type: 'varchar', length: 32, nullable: true })
  departmentCode: string | null

  /** Grid workers only: whether routing may hand them new tickets now. */
  @Column({ name: 'on_duty', type: 'boolean', default: false })
  onDuty: boolean

  @Column({ type: 'boolean', default: false })
  disabled: boolean

  /** The password is a one-time one (new account, admin reset): every route but the change is refused until it is changed. */
  @Column({ name: 'must_change_password', type: 'boolean', default: false })
  mustChangePassword: boolean

  @Column({ name: 'failed_logins', type: 'integer', default: 0 })
  failedLogins: number

  @Column({ name: 'locked_until', type: 'datetime', nullable: true })
  lockedUntil: Date | null

  /** Demo personas only: the stable key that makes "the same resident" each time. */
  @Column({ name: 'demo_key', type: 'varchar', length: 96, nullable: true })
  demoKey: string | null

  @Column({ type: 'boolean', default: false })
  synthetic: boolean

  @Column({ name: 'created_at', type: 'datetime' })
  createdAt: Date

  @Column({ name: 'updated_at', type: 'datetime' })
  updatedAt: Date
}
