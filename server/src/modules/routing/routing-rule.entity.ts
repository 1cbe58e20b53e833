import { Column, Entity, Index, PrimaryColumn } from 'typeorm'

/**
 * A category rule (data, not code): tickets of `category` go to the queue of `departmentCode`,
 * `instead` of the territory path or `beside` it. At most one rule per category (unique index).
 */
@Entity('routing_rules')
@Index('UQ_routing_rules_category', ['category'], { unique: true })
export class RoutingRule {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string

  @Column({ type: 'varchar', length: 32 })
  category: string

  @Column({ name: 'department_code', type: 'varchar', length: 32 })
  departmentCode: string

  /** 'instead' | 'beside' (varchar + app validation, house style). */
  @Column({ type: 'varchar', length: 16 })
  mode: string

  @Column({ type: 'boolean', default: true })
  active: boolean

  @Column({ name: 'created_at', type: 'datetime' })
  createdAt: Date

  @Column({ name: 'updated_at', type: 'datetime' })
  updatedAt: Date
}
