import { TicketRules } from '@palm/shared'
import type { EntityManager } from 'typeorm'
import type { AppDeps, BackgroundJob } from '../../deps'
import { withTx } from '../../db/tx'
import { transitionTicket } from './commands/transition-ticket'
import { SYSTEM_ACTOR } from './ticket-actor'
import { Ticket } from './ticket.entity'

/** How many tickets one pass closes; the rest wait for the next pass. */
const BATCH_SIZE = 200
export const AUTO_CLOSE_JOB_INTERVAL_MS = 10 * 60_000
/** The note on the `close` event, which the resident reads in the timeline. */
export const AUTO_CLOSE_NOTE = '自动办结：评价期已过'

const WINDOW_MS = TicketRules.reopenWindowDays * 24 * 60 * 60 * 1000

export interface AutoClosePassResult {
  /** Closed by this pass. */
  closed: string[]
}

/**
 * Resolved tickets whose reopen window has passed: resolved more than TicketRules.reopenWindowDays ago
 * and neither rated (a rating closes the ticket) nor reopened (that moves it back to `assigned`).
 * Strictly before the cutoff, because a reopening at exactly the deadline is still allowed.
 */
/** SQL of "no 回访 is due" (the negation of needsCallback), on alias `t`. */
const NO_CALLBACK_DUE_SQL = "(t.callback_at IS NOT NULL OR ((t.rating IS NULL OR t.rating > :unsatisfiedAtMost) AND COALESCE(t.extension_state, '') <> 'approved' AND t.cohandled = 0))"

async function findCandidates(deps: AppDeps, cutoff: Date): Promise<string[]> {
  const rows = await deps.ds
    .createQueryBuilder()
    .select('t.id', 'id')
    .from('tickets', 't')
    .where("t.state_group = 'done'")
    .andWhere("t.state = 'resolved'")
    .andWhere('t.resolved_at < :cutoff', { cutoff })
    // Unsatisfied and complex tickets wait for their 回访 (needsCallback in @palm/shared; docs/handling.md).
    .andWhere(NO_CALLBACK_DUE_SQL, { unsatisfiedAtMost: TicketRules.unsatisfiedAtMost })
    .orderBy('t.resolved_at', 'ASC')
    .addOrderBy('t.id', 'ASC')
    .limit(BATCH_SIZE)
    .getRawMany<{ id: string }>()
  return rows.map((r) => r.id)
}

/**
 * Claims one ticket for closing with a conditional UPDATE that re-checks, against the row as it is now,
 * that it is still resolved and still past its window. On MariaDB the UPDATE takes the row lock, so a
 * second instance's claim waits for the first transaction and then matches nothing (the ticket is
 * closed by then); on SQLite the write queue serialises the transactions with the same result. It
 * also keeps the job from closing a ticket that was reopened and resolved again since the candidates
 * were read. The database is the only arbiter: no flag in memory.
 */
async function claim(em: EntityManager, ticketId: string, cutoff: Date, now: Date): Promise<boolean> {
  const claimed = await em.createQueryBuilder().update(Ticket).set({ updatedAt: now }).where("id = :id AND state = 'resolved' AND resolved_at < :cutoff", { id: ticketId, cutoff }).execute()
  return claimed.affected === 1
}

/**
 * One pass of automatic closing (docs/domain.md "Life cycle"): each resolved ticket the resident
 * neither rated nor reopened within the reopen window gets exactly one `close` event from the system,
 * through the tickets module's own transition (event row and notification hooks included), in the same
 * transaction as its claim: if closing fails, the claim rolls back and the next pass tries again. Safe
 * with any number of instances on one database.
 */
export async function autoCloseResolvedTickets(deps: AppDeps): Promise<AutoClosePassResult> {
  const now = deps.now()
  const cutoff = new Date(now.getTime() - WINDOW_MS)
  const result: AutoClosePassResult = { closed: [] }
  for (const ticketId of await findCandidates(deps, cutoff)) {
    try {
      const closed = await withTx(deps.ds, async (em) => {
        if (!(await claim(em, ticketId, cutoff, now))) return false
        await transitionTicket(em, deps, SYSTEM_ACTOR, ticketId, { event: 'close', note: AUTO_CLOSE_NOTE })
        return true
      })
      if (closed) result.closed.push(ticketId)
    } catch (err) {
      deps.log.error({ err, ticketId }, 'automatic closing failed; the next pass retries it')
    }
  }
  if (result.closed.length) deps.log.info({ closed: result.closed.length }, 'resolved tickets closed after the reopen window')
  return result
}

/** The job every instance runs; see autoCloseResolvedTickets for why that is safe. */
export const autoCloseJob: BackgroundJob = {
  name: 'ticket-auto-close',
  intervalMs: AUTO_CLOSE_JOB_INTERVAL_MS,
  run: async (deps) => {
    await autoCloseResolvedTickets(deps)
  }
}
