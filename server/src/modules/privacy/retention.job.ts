import type { AppDeps, BackgroundJob } from '../../deps'
import { withTx } from '../../db/tx'
import { User } from '../auth/user.entity'
import { maskPublicText } from '../masking/index'
import { Ticket, TicketEventRow } from '../tickets/index'
import { RetentionPurge } from './privacy.entity'
import { maskDetails } from './privacy.service'

const BATCH_SIZE = 200
export const RETENTION_JOB_INTERVAL_MS = 60 * 60_000
const DAY_MS = 24 * 3600_000

export interface RetentionPassResult {
  /** Tickets whose contact data this pass anonymised. */
  anonymised: string[]
}

/** Closed tickets past the retention period that were not anonymised yet (no retention_purges row). */
async function findCandidates(deps: AppDeps, cutoff: Date): Promise<string[]> {
  const rows = await deps.ds
    .createQueryBuilder()
    .select('t.id', 'id')
    .from('tickets', 't')
    .leftJoin('retention_purges', 'r', 'r.ticket_id = t.id')
    .where("t.state = 'closed'")
    .andWhere('t.closed_at < :cutoff', { cutoff })
    .andWhere('r.ticket_id IS NULL')
    .orderBy('t.closed_at', 'ASC')
    .addOrderBy('t.id', 'ASC')
    .limit(BATCH_SIZE)
    .getRawMany<{ id: string }>()
  return rows.map((r) => r.id)
}

/**
 * One pass of the retention schedule (PIPL art. 19; docs/security.md PI-10): closed tickets older than
 * RETENTION_CLOSED_TICKET_DAYS lose their contact data — names and phone numbers typed in the text,
 * details and notes are masked, the exact address and point are erased — while category, dates,
 * grid and community stay for the statistics. Each ticket is claimed by inserting its
 * retention_purges row (primary key) in the same transaction as the change, so with any number of
 * instances a ticket is anonymised once, and a failure rolls the claim back for the next pass.
 */
export async function anonymiseClosedTickets(deps: AppDeps): Promise<RetentionPassResult> {
  const now = deps.now()
  const cutoff = new Date(now.getTime() - deps.config.retentionClosedTicketDays * DAY_MS)
  const result: RetentionPassResult = { anonymised: [] }
  for (const ticketId of await findCandidates(deps, cutoff)) {
    try {
      const done = await withTx(deps.ds, async (em) => {
        // The claim: a second instance's insert waits for this transaction, then fails on the key.
        try {
          await em.getRepository(RetentionPurge).insert({ ticketId, reason: 'retention', purgedAt: now })
        } catch {
          return false
        }
        const ticket = await em.getRepository(Ticket).findOneBy({ id: ticketId })
        if (!ticket || ticket.state !== 'closed') return false
        const reporter = await em.getRepository(User).findOne({ select: { id: true, displayName: true }, where: { id: ticket.reporterId } })
        const names = reporter ? [reporter.displayName] : []
        const ctx = { names, address: ticket.address }
        await em.getRepository(Ticket).update(
          { id: ticketId },
          {
            description: maskPublicText(ticket.description, ctx),
            details: maskDetails(ticket.details, names),
            address: null,
            lat: null,
            lng: null,
            ratingComment: ticket.ratingComment ? maskPublicText(ticket.ratingComment, ctx) : ticket.ratingComment
          }
        )
        for (const e of await em.getRepository(TicketEventRow).find({ where: { ticketId } })) {
          if (e.note) await em.getRepository(TicketEventRow).update({ id: e.id }, { note: maskPublicText(e.note, ctx) })
        }
        return true
      })
      if (done) result.anonymised.push(ticketId)
    } catch (err) {
      deps.log.error({ err, ticketId }, 'retention anonymisation failed; the next pass retries it')
    }
  }
  if (result.anonymised.length) deps.log.info({ anonymised: result.anonymised.length }, 'closed tickets anonymised after the retention period')
  return result
}

/** The job every instance runs; see anonymiseClosedTickets for why that is safe. */
export const retentionJob: BackgroundJob = {
  name: 'closed-ticket-retention',
  intervalMs: RETENTION_JOB_INTERVAL_MS,
  run: async (deps) => {
    await anonymiseClosedTickets(deps)
  }
}
