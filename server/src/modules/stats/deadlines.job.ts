import type { AppDeps, BackgroundJob } from '../../deps'
import { withTx } from '../../db/tx'
import { Ticket } from '../tickets/ticket.entity'
import { loadFacts, refreshFacts, storedDate } from './facts'

const BATCH_SIZE = 500
export const STATS_DEADLINES_INTERVAL_MS = 60_000

interface Due {
  ticket_id: string
}

/**
 * One pass of the stats-deadlines job: tickets whose next deadline has passed with no event (an
 * acceptance or resolution limit run out) get their facts recomputed, so the response and resolution
 * rates and the overdue count move the moment a ticket fails, not at its next event. Each row is
 * claimed in its own transaction (locked and re-read: a row another instance already moved on has a
 * later next_check_at and is skipped). Returns how many tickets changed.
 */
export async function refreshPassedDeadlines(deps: AppDeps): Promise<number> {
  const now = deps.now()
  const due = (await deps.ds.query('SELECT ticket_id FROM stats_ticket_facts WHERE next_check_at <= ? ORDER BY next_check_at LIMIT ?', [storedDate(deps.ds.manager, now), BATCH_SIZE])) as Due[]
  let changed = 0
  for (const { ticket_id: ticketId } of due) {
    const moved = await withTx(deps.ds, async (em) => {
      const facts = await loadFacts(em, ticketId)
      if (!facts?.nextCheckAt || facts.nextCheckAt.getTime() > now.getTime()) return false
      const ticket = await em.getRepository(Ticket).findOneBy({ id: ticketId })
      if (!ticket) return false
      return refreshFacts(em, ticket, now)
    })
    if (moved) changed++
  }
  return changed
}

export const statsDeadlinesJob: BackgroundJob = {
  name: 'stats-deadlines',
  intervalMs: STATS_DEADLINES_INTERVAL_MS,
  run: async (deps) => {
    await refreshPassedDeadlines(deps)
  }
}
