import { Column, Entity, Index, PrimaryColumn } from 'typeorm'

/**
 * The flags one ticket adds to the figures (docs/dashboards.md "Rates"), as they stand now: each 0
 * or 1. The daily rows are the sums of these; a ticket event recomputes its row and moves the
 * difference into the daily row of its day, place, category and source. `next_check_at` is the next
 * deadline at which the flags would change with no event (the stats-deadlines job claims those rows).
 */
@Entity('stats_ticket_facts')
@Index('IDX_stats_ticket_facts_next_check', ['nextCheckAt'])
export class StatsTicketFacts {
  @PrimaryColumn({ name: 'ticket_id', type: 'varchar', length: 36 })
  ticketId: string

  /** The Beijing date the ticket was received, YYYY-MM-DD. */
  @Column({ type: 'varchar', length: 10 })
  day: string

  @Column({ name: 'street_code', type: 'varchar', length: 16 })
  streetCode: string

  @Column({ name: 'community_code', type: 'varchar', length: 16 })
  communityCode: string

  @Column({ name: 'grid_code', type: 'varchar', length: 24 })
  gridCode: string

  @Column({ type: 'varchar', length: 32 })
  category: string

  /** resident | on_behalf (代报) | patrol (巡查发现). */
  @Column({ type: 'varchar', length: 16 })
  source: string

  @Column({ type: 'integer' })
  received: number

  @Column({ name: 'accepted_on_time', type: 'integer' })
  acceptedOnTime: number

  @Column({ name: 'accept_missed', type: 'integer' })
  acceptMissed: number

  @Column({ type: 'integer' })
  resolved: number

  @Column({ name: 'open_past_resolve', type: 'integer' })
  openPastResolve: number

  @Column({ type: 'integer' })
  overdue: number

  @Column({ type: 'integer' })
  rated: number

  @Column({ type: 'integer' })
  satisfied: number

  @Column({ name: 'next_check_at', type: 'datetime', nullable: true })
  nextCheckAt: Date | null

  @Column({ name: 'updated_at', type: 'datetime' })
  updatedAt: Date
}

/** One day × grid × category × source: the sums of the facts of the tickets received that day. */
@Entity('stats_daily')
@Index('IDX_stats_daily_street', ['streetCode', 'day'])
@Index('IDX_stats_daily_community', ['communityCode', 'day'])
@Index('IDX_stats_daily_grid', ['gridCode', 'day'])
export class StatsDaily {
  @PrimaryColumn({ type: 'varchar', length: 10 })
  day: string

  @PrimaryColumn({ name: 'street_code', type: 'varchar', length: 16 })
  streetCode: string

  @PrimaryColumn({ name: 'community_code', type: 'varchar', length: 16 })
  communityCode: string

  @PrimaryColumn({ name: 'grid_code', type: 'varchar', length: 24 })
  gridCode: string

  @PrimaryColumn({ type: 'varchar', length: 32 })
  category: string

  @PrimaryColumn({ type: 'varchar', length: 16 })
  source: string

  @Column({ type: 'integer', default: 0 })
  received: number

  @Column({ name: 'accepted_on_time', type: 'integer', default: 0 })
  acceptedOnTime: number

  @Column({ name: 'accept_missed', type: 'integer', default: 0 })
  acceptMissed: number

  @Column({ type: 'integer', default: 0 })
  resolved: number

  @Column({ name: 'open_past_resolve', type: 'integer', default: 0 })
  openPastResolve: number

  @Column({ type: 'integer', default: 0 })
  overdue: number

  @Column({ type: 'integer', default: 0 })
  rated: number

  @Column({ type: 'integer', default: 0 })
  satisfied: number
}

/**
 * The daily rows rolled up for the district and street views, so their cost follows the number of
 * streets, communities and categories, not of tickets (docs/dashboards.md "At scale"). One row per
 * dim × scope × day × item × source: dim 'street' (scope '', item a street), 'category' (scope '',
 * item a category), 'community' (scope a street, item a community), 'street_category' (scope a
 * street, item a category). Kept with stats_daily by the same deltas.
 */
@Entity('stats_rollup')
@Index('IDX_stats_rollup_dim_day', ['dim', 'day'])
export class StatsRollup {
  @PrimaryColumn({ type: 'varchar', length: 16 })
  dim: string

  @PrimaryColumn({ type: 'varchar', length: 16 })
  scope: string

  @PrimaryColumn({ type: 'varchar', length: 10 })
  day: string

  @PrimaryColumn({ type: 'varchar', length: 32 })
  item: string

  @PrimaryColumn({ type: 'varchar', length: 16 })
  source: string

  @Column({ type: 'integer', default: 0 })
  received: number

  @Column({ name: 'accepted_on_time', type: 'integer', default: 0 })
  acceptedOnTime: number

  @Column({ name: 'accept_missed', type: 'integer', default: 0 })
  acceptMissed: number

  @Column({ type: 'integer', default: 0 })
  resolved: number

  @Column({ name: 'open_past_resolve', type: 'integer', default: 0 })
  openPastResolve: number

  @Column({ type: 'integer', default: 0 })
  overdue: number

  @Column({ type: 'integer', default: 0 })
  rated: number

  @Column({ type: 'integer', default: 0 })
  satisfied: number
}

/** The weighting of the monthly ranking (考评), in percent; one row ('current'), changed by the district admin (audited). */
@Entity('stats_ranking_weights')
export class StatsRankingWeights {
  @PrimaryColumn({ type: 'varchar', length: 16 })
  id: string

  @Column({ type: 'integer' })
  response: number

  @Column({ type: 'integer' })
  resolution: number

  @Column({ type: 'integer' })
  satisfaction: number

  @Column({ name: 'updated_by', type: 'varchar', length: 36, nullable: true })
  updatedBy: string | null

  @Column({ name: 'updated_at', type: 'datetime' })
  updatedAt: Date
}

/**
 * A hot spot (未诉先办): same-category tickets clustering in one grid over a window, above that
 * grid's usual level. `claim_key` (grid, category, window end day) is unique, so several instances
 * raise one alert. `tickets` lists the tickets as JSON [{id, number}].
 */
@Entity('stats_hotspots')
@Index('UQ_stats_hotspots_claim', ['claimKey'], { unique: true })
@Index('IDX_stats_hotspots_street', ['streetCode', 'createdAt'])
@Index('IDX_stats_hotspots_community', ['communityCode', 'createdAt'])
@Index('IDX_stats_hotspots_created', ['createdAt'])
@Index('IDX_stats_hotspots_grid_category', ['gridCode', 'category', 'windowTo'])
export class StatsHotspot {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string

  @Column({ name: 'claim_key', type: 'varchar', length: 96 })
  claimKey: string

  @Column({ name: 'street_code', type: 'varchar', length: 16 })
  streetCode: string

  @Column({ name: 'community_code', type: 'varchar', length: 16 })
  communityCode: string

  @Column({ name: 'grid_code', type: 'varchar', length: 24 })
  gridCode: string

  @Column({ type: 'varchar', length: 32 })
  category: string

  /** First and last day of the window (Beijing dates). */
  @Column({ name: 'window_from', type: 'varchar', length: 10 })
  windowFrom: string

  @Column({ name: 'window_to', type: 'varchar', length: 10 })
  windowTo: string

  @Column({ name: 'ticket_count', type: 'integer' })
  ticketCount: number

  /** The grid's usual count for a window of that length (mean of the weeks before). */
  @Column({ type: 'double' })
  baseline: number

  @Column({ type: 'text' })
  tickets: string

  @Column({ name: 'created_at', type: 'datetime' })
  createdAt: Date
}
