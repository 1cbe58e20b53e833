import { Column, Entity, Index, PrimaryColumn } from 'typeorm'

/**
 * A ticket category and its time limits: reference data every installation has (seeded by the
 * routing migration), edited by the district admin. Limits are minutes of working time.
 */
@Entity('ticket_categories')
@Index('IDX_ticket_categories_kind', ['kind', 'sort'])
export class TicketCategory {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  code: string

  @Column({ type: 'varchar', length: 32 })
  kind: string

  @Column({ type: 'varchar', length: 32 })
  name: string

  @Column({ name: 'accept_within_minutes', type: 'integer' })
  acceptWithinMinutes: number

  @Column({ name: 'resolve_within_minutes', type: 'integer' })
  resolveWithinMinutes: number

  /** A switched-off category is not offered for new tickets; existing tickets keep it. */
  @Column({ type: 'boolean', default: true })
  active: boolean

  @Column({ type: 'integer', default: 0 })
  sort: number

  /** An emergency category: its limits are clock minutes around the clock (24×7), not working time (docs/handling.md). */
  @Column({ type: 'boolean', default: false })
  emergency: boolean
}
