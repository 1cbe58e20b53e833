import type { Figures } from '@palm/shared'

/** Sums of the daily flags of some rows, split by source (巡查 and 代报 counted apart). */
export interface Sums {
  received: number
  patrol: number
  onBehalf: number
  acceptedOnTime: number
  acceptMissed: number
  resolved: number
  openPastResolve: number
  overdue: number
  rated: number
  satisfied: number
}

export const emptySums = (): Sums => ({ received: 0, patrol: 0, onBehalf: 0, acceptedOnTime: 0, acceptMissed: 0, resolved: 0, openPastResolve: 0, overdue: 0, rated: 0, satisfied: 0 })

/** The SELECT list that sums the flag columns of stats_daily (d). */
export const SUM_COLUMNS =
  'SUM(d.received) AS received, SUM(d.accepted_on_time) AS acceptedOnTime, SUM(d.accept_missed) AS acceptMissed, SUM(d.resolved) AS resolved, ' +
  'SUM(d.open_past_resolve) AS openPastResolve, SUM(d.overdue) AS overdue, SUM(d.rated) AS rated, SUM(d.satisfied) AS satisfied'

export type RawSums = Record<'received' | 'acceptedOnTime' | 'acceptMissed' | 'resolved' | 'openPastResolve' | 'overdue' | 'rated' | 'satisfied', number | string | null> & {
  source: string
}

/** Adds one raw grouped row (one source) into `into`. */
export function addRaw(into: Sums, raw: RawSums): Sums {
  const n = (v: number | string | null) => Number(v ?? 0)
  const received = n(raw.received)
  into.received += received
  if (raw.source === 'patrol') into.patrol += received
  if (raw.source === 'on_behalf') into.onBehalf += received
  into.acceptedOnTime += n(raw.acceptedOnTime)
  into.acceptMissed += n(raw.acceptMissed)
  into.resolved += n(raw.resolved)
  into.openPastResolve += n(raw.openPastResolve)
  into.overdue += n(raw.overdue)
  into.rated += n(raw.rated)
  into.satisfied += n(raw.satisfied)
  return into
}

const rate = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole)

/**
 * The three rates of 接诉即办 (docs/dashboards.md "Rates"). Only tickets whose limit has come count
 * in the response and resolution rates: one still inside its accept limit is not yet a failure.
 */
export function figuresOf(s: Sums): Figures {
  return {
    ...s,
    responseRate: rate(s.acceptedOnTime, s.acceptedOnTime + s.acceptMissed),
    resolutionRate: rate(s.resolved, s.resolved + s.openPastResolve),
    satisfactionRate: rate(s.satisfied, s.rated)
  }
}
