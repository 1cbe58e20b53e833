import { Column, Entity, Index, PrimaryColumn } from 'typeorm'
import type { PublicationState } from '@palm/shared'

/**
 * The public copy of a resolved ticket: masked when it is made (in the resolving transaction), shown
 * on the board only once WeChat's content check passed it (`published`). `review` holds it for a
 * person to look at, `risky` rejects it; a reopening withdraws it. Nothing here names the reporter
 * beyond the masked name (张*), and anonymous tips never get a row.
 */
@Entity('publications')
@Index('IDX_publications_board', ['state', 'publishedAt', 'ticketId'])
@Index('IDX_publications_due', ['state', 'nextCheckAt'])
export class Publication {
  @PrimaryColumn({ name: 'ticket_id', type: 'varchar', length: 36 })
  ticketId: string

  @Column({ type: 'varchar', length: 16 })
  state: PublicationState

  @Column({ type: 'varchar', length: 24 })
  number: string

  @Column({ type: 'varchar', length: 32 })
  category: string

  @Column({ type: 'varchar', length: 64 })
  title: string

  @Column({ type: 'text' })
  body: string

  @Column({ type: 'text', nullable: true })
  reply: string | null

  @Column({ name: 'community_code', type: 'varchar', length: 16, nullable: true })
  communityCode: string | null

  @Column({ name: 'community_name', type: 'varchar', length: 64, nullable: true })
  communityName: string | null

  /** Already masked: the first character and a star. */
  @Column({ name: 'reporter_name', type: 'varchar', length: 16 })
  reporterName: string

  @Column({ type: 'integer', nullable: true })
  rating: number | null

  @Column({ name: 'submitted_at', type: 'datetime' })
  submittedAt: Date

  @Column({ name: 'resolved_at', type: 'datetime' })
  resolvedAt: Date

  @Column({ name: 'published_at', type: 'datetime', nullable: true })
  publishedAt: Date | null

  @Column({ name: 'checked_at', type: 'datetime', nullable: true })
  checkedAt: Date | null

  /** The check's verdict ('pass', 'review', 'risky') or why a person must look ('no_openid', an errcode). */
  @Column({ name: 'check_result', type: 'varchar', length: 32, nullable: true })
  checkResult: string | null

  @Column({ name: 'check_attempts', type: 'integer', default: 0 })
  checkAttempts: number

  @Column({ name: 'next_check_at', type: 'datetime' })
  nextCheckAt: Date

  @Column({ name: 'claimed_by', type: 'varchar', length: 64, nullable: true })
  claimedBy: string | null

  @Column({ name: 'claimed_until', type: 'datetime', nullable: true })
  claimedUntil: Date | null

  @Column({ name: 'last_error', type: 'varchar', length: 255, nullable: true })
  lastError: string | null

  /** Who released or withheld it from the review queue, and when. */
  @Column({ name: 'reviewed_by', type: 'varchar', length: 36, nullable: true })
  reviewedBy: string | null

  @Column({ name: 'reviewed_at', type: 'datetime', nullable: true })
  reviewedAt: Date | null

  @Column({ name: 'updated_at', type: 'datetime' })
  updatedAt: Date
}
