import { Column, Entity, Index, PrimaryColumn } from 'typeorm'

/**
 * The grids a grid worker covers (one or more, of one community). Exactly one row per worker is the
 * primary grid, which users.grid_code repeats for older readers. Routing finds a grid's workers by
 * IDX_staff_grids_grid; the sign-in check reads a worker's grids by the primary key.
 */
@Entity('staff_grids')
@Index('IDX_staff_grids_grid', ['gridCode', 'userId'])
export class StaffGrid {
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string

  @PrimaryColumn({ name: 'grid_code', type: 'varchar', length: 24 })
  gridCode: string

  @Column({ name: 'is_primary', type: 'boolean', default: false })
  isPrimary: boolean
}
