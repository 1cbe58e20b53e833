import type { EntityManager } from 'typeorm'
import { isUniqueViolation } from '../../db/errors'
import type { AppDeps, BackgroundJob } from '../../deps'
import { withTx } from '../../db/tx'
import { AppError } from '../../errors'
import { transitionTicket } from './commands/transition-ticket'
import { OverdueEscalation } from './overdue-escalation.entity'
import { SYSTEM_ACTOR } from './ticket-actor'

/** How many overdue tickets one pass handles; the rest wait for the next pass (a minute later). */
const BATCH_SIZE = 200
export const OVERDUE_JOB_INTERVAL_MS = 60_000

export interface OverduePassResult {
  /** Escalated one level up by this pass. */
  escalated: string[]
  /** Claimed, but the state machine would not move the ticket (at the district already); logged once. */
  refused: string[]
}

type Deadline = 'accept' | 'resolve'

interface Candidate {
  id: string
  deadline: Deadline
  dueAt: Date
}

interface RawCandidate {
  id: string
  accepted: number | string
  dueAt: Date | string
}

/** A raw datetime: a Date from mysql2, or SQLite's UTC text "YYYY-MM-DD HH:MM:SS.SSS". */
function rawDate(value: Date | string): Date {
  return value instanceof Date ? value : new Date(`${value.replace(' ', 'T')}Z`)
}

/** "2026-11-30 11:00" in Beijing time, for notes people read. */
function beijingMinute(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ')
}

/**
 * Open tickets whose running deadline has passed without a claim. `due_at` is the deadline that
 * runs now (accepting while nobody has accepted, resolving after), kept by the tickets module; the
 * (state_group, due_at, id) index serves the scan.
 */
async function findCandidates(deps: AppDeps, now: Date): Promise<Candidate[]> {
  const deadlineSql = "CASE WHEN t.accepted_at IS NULL THEN 'accept' ELSE 'resolve' END"
  const rows = await deps.ds
    .createQueryBuilder()
    .select('t.id', 'id')
    .addSelect('CASE WHEN t.accepted_at IS NULL THEN 0 ELSE 1 END', 'accepted')
    .addSelect('t.due_at', 'dueAt')
    .from('tickets', 't')
    .where("t.state_group = 'open'")
    .andWhere('t.due_at <= :now', { now })
    // A suspended (挂起) ticket's clock stands: it is never overdue while it waits (docs/handling.md).
    .andWhere("t.state <> 'suspended'")
    .andWhere(`NOT EXISTS (SELECT 1 FROM ticket_overdue_escalations e WHERE e.ticket_id = t.id AND e.deadline = ${deadlineSql} AND e.due_at = t.due_at)`)
    .orderBy('t.due_at', 'ASC')
    .addOrderBy('t.id', 'ASC')
    .limit(BATCH_SIZE)
    .getRawMany<RawCandidate>()
  return rows.map((r) => ({ id: r.id, deadline: Number(r.accepted) === 1 ? 'resolve' : 'accept', dueAt: rawDate(r.dueAt) }))
}

/**
 * Claims one deadline of one ticket by inserting its key; false when another caller holds it. On
 * MariaDB a second instance's insert waits for the first transaction: it fails once that commits,
 * and succeeds (taking over) if that rolled back. The insert is the only claim: no flag in memory.
 */
async function claim(em: EntityManager, c: Candidate, outcome: 'escalated' | 'refused', now: Date): Promise<boolean> {
  try {
    await em.getRepository(OverdueEscalation).insert({ ticketId: c.id, deadline: c.deadline, dueAt: c.dueAt, outcome, createdAt: now })
    return true
  } catch (err) {
    if (isUniqueViolation(err)) return false
    throw err
  }
}

function noteFor(c: Candidate): string {
  const due = beijingMinute(c.dueAt)
  return c.deadline === 'accept' ? `超时未签收（签收时限 ${due}）` : `超时未办结（办结时限 ${due}）`
}

/**
 * One pass of the overdue escalation (docs/domain.md "Routing" 4): every open ticket whose running
 * deadline has passed is escalated one level up, exactly once per deadline, through the tickets
 * module's own `escalate` transition (event row, notifications and re-routing included), in the same
 * transaction as the claim: if the escalation fails, the claim rolls back and the next pass tries
 * again. When the state machine refuses (a 4xx such as 409 at the district level), the claim alone
 * is committed with outcome `refused`, so such a ticket is logged once, not every minute. Safe with
 * any number of instances on one database.
 */
export async function escalateOverdueTickets(deps: AppDeps): Promise<OverduePassResult> {
  const now = deps.now()
  const result: OverduePassResult = { escalated: [], refused: [] }
  for (const candidate of await findCandidates(deps, now)) {
    try {
      const escalated = await withTx(deps.ds, async (em) => {
        if (!(await claim(em, candidate, 'escalated', now))) return false
        await transitionTicket(em, deps, SYSTEM_ACTOR, candidate.id, { event: 'escalate', note: noteFor(candidate) })
        return true
      })
      if (escalated) result.escalated.push(candidate.id)
    } catch (err) {
      if (err instanceof AppError && err.status < 500) {
        if (await withTx(deps.ds, (em) => claim(em, candidate, 'refused', now))) {
          result.refused.push(candidate.id)
          deps.log.warn({ ticketId: candidate.id, deadline: candidate.deadline, code: err.code }, 'overdue ticket cannot move up; recorded as handled')
        }
      } else {
        deps.log.error({ err, ticketId: candidate.id }, 'overdue escalation failed; the next pass retries it')
      }
    }
  }
  if (result.escalated.length || result.refused.length) {
    deps.log.info({ escalated: result.escalated.length, refused: result.refused.length }, 'overdue tickets escalated')
  }
  return result
}

/** The job every instance runs; see escalateOverdueTickets for why that is safe. */
export const overdueEscalationJob: BackgroundJob = {
  name: 'overdue-escalation',
  intervalMs: OVERDUE_JOB_INTERVAL_MS,
  run: async (deps) => {
    await escalateOverdueTickets(deps)
  }
}
