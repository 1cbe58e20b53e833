import { ProblemSchema, type TicketView } from '@palm/shared'
import request from 'supertest'
import type { DataSource } from 'typeorm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bearer } from '../../../test/factories'
import { createTestContext, type TestContext } from '../../../test/test-app'
import { MONDAY_MORNING, createTicketWorld, fileTicket, fire, fireOk, reportBody, type TicketWorld } from '../../../test/tickets-factories'
import { createDataSource } from '../../db/data-source'
import type { AppDeps } from '../../deps'
import { backgroundJobs } from '../lifecycle'
import { Message } from '../notifications/notification.entity'
import { AUTO_CLOSE_NOTE, autoCloseResolvedTickets } from './auto-close.job'
import { Ticket, TicketEventRow } from './ticket.entity'

let t: TestContext
let w: TicketWorld

const MINUTE = 60_000
const DAY = 24 * 60 * MINUTE
const WEEK = 7 * DAY

beforeAll(async () => {
  t = await createTestContext()
  w = await createTicketWorld(t.db.ds)
})
afterAll(async () => {
  t.setNow(null)
  await t.close()
})

const row = (id: string) => t.db.ds.getRepository(Ticket).findOneByOrFail({ id })
const closeEvents = (id: string) => t.db.ds.getRepository(TicketEventRow).find({ where: { ticketId: id, event: 'close' }, order: { seq: 'ASC' } })

/** R1 files a report in G1 at `at` (R2 follows it, when asked); its worker accepts and resolves it at once. */
async function resolvedTicketAt(at: Date, opts: { followedByR2?: boolean } = {}): Promise<TicketView> {
  t.setNow(at)
  const ticket = await fileTicket(t, w.users.R1, reportBody(w))
  if (opts.followedByR2) {
    const followed = await request(t.server).post(`/api/tickets/${ticket.id}/follow`).set('Authorization', bearer(t.deps.config, w.users.R2))
    expect(followed.status).toBe(200)
  }
  const worker = ticket.assignee?.id === w.users.W1.id ? w.users.W1 : w.users.W1b
  await fireOk(t, worker, ticket.id, { event: 'accept' })
  return fireOk(t, worker, ticket.id, { event: 'resolve', note: '垃圾已清运' })
}

async function runAt(at: Date): Promise<string[]> {
  t.setNow(at)
  return (await autoCloseResolvedTickets(t.deps)).closed
}

describe('the auto-close job', () => {
  it('is registered as a background job', () => {
    expect(backgroundJobs().map((j) => j.name)).toContain('ticket-auto-close')
  })

  it('closes a resolved ticket nobody rated or reopened once the 7-day window has passed, once, and tells the reporter and followers', async () => {
    const ticket = await resolvedTicketAt(MONDAY_MORNING, { followedByR2: true })
    const resolvedAt = new Date(ticket.resolvedAt ?? '')
    expect(resolvedAt).toEqual(MONDAY_MORNING)
    const { version } = await row(ticket.id)

    expect(await runAt(new Date(resolvedAt.getTime() + 6 * DAY))).not.toContain(ticket.id)
    // At the deadline itself the resident may still reopen, so it stays open to that.
    expect(await runAt(new Date(resolvedAt.getTime() + WEEK))).not.toContain(ticket.id)
    expect(await row(ticket.id)).toMatchObject({ state: 'resolved', closedAt: null })
    expect(await closeEvents(ticket.id)).toHaveLength(0)

    const closedAt = new Date(resolvedAt.getTime() + WEEK + MINUTE)
    expect(await runAt(closedAt)).toContain(ticket.id)
    expect(await row(ticket.id)).toMatchObject({ state: 'closed', stateGroup: 'done', closedAt, rating: null, version: version + 1 })
    const events = await closeEvents(ticket.id)
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({ fromState: 'resolved', toState: 'closed', actorId: null, actorRole: 'system', note: AUTO_CLOSE_NOTE })

    for (const user of [w.users.R1, w.users.R2]) {
      const notices = await t.db.ds.getRepository(Message).findBy({ userId: user.id, ticketId: ticket.id, title: '工单已结案' })
      expect(notices).toHaveLength(1)
    }

    expect(await runAt(new Date(closedAt.getTime() + 10 * MINUTE))).not.toContain(ticket.id)
    expect(await closeEvents(ticket.id)).toHaveLength(1)

    // Closed for good: the window is over, so the resident cannot reopen it either.
    const reopen = await fire(t, w.users.R1, ticket.id, { event: 'reopen', note: '还是没解决' })
    expect(reopen.status).toBe(409)
    expect(ProblemSchema.parse(reopen.body).code).toBe('reopen_window_closed')
  })

  it('leaves a rated ticket (closed by the rating) as it is', async () => {
    const ticket = await resolvedTicketAt(MONDAY_MORNING)
    const rated = await fireOk(t, w.users.R1, ticket.id, { event: 'rate', rating: { score: 5, comment: '很及时' } })
    expect(rated.state).toBe('closed')
    const before = await row(ticket.id)

    expect(await runAt(new Date(MONDAY_MORNING.getTime() + 30 * DAY))).not.toContain(ticket.id)
    expect(await row(ticket.id)).toEqual(before)
    expect(await closeEvents(ticket.id)).toHaveLength(0)
  })

  it('leaves a reopened ticket alone, and counts the window again from its next resolution', async () => {
    const ticket = await resolvedTicketAt(MONDAY_MORNING)
    t.setNow(new Date(MONDAY_MORNING.getTime() + 6 * DAY))
    const reopened = await fireOk(t, w.users.R1, ticket.id, { event: 'reopen', note: '垃圾又堆起来了' })
    expect(reopened.state).toBe('assigned')
    const before = await row(ticket.id)

    expect(await runAt(new Date(MONDAY_MORNING.getTime() + 10 * DAY))).not.toContain(ticket.id)
    expect(await row(ticket.id)).toEqual(before)

    // Resolved again on day 10: the job waits for the window of this resolution, not of the first.
    const worker = reopened.assignee?.id === w.users.W1.id ? w.users.W1 : w.users.W1b
    await fireOk(t, worker, ticket.id, { event: 'accept' })
    const secondResolution = new Date(MONDAY_MORNING.getTime() + 10 * DAY)
    await fireOk(t, worker, ticket.id, { event: 'resolve', note: '已再次清运' })
    expect(await runAt(new Date(secondResolution.getTime() + 6 * DAY))).not.toContain(ticket.id)
    expect(await closeEvents(ticket.id)).toHaveLength(0)
    expect(await runAt(new Date(secondResolution.getTime() + WEEK + MINUTE))).toContain(ticket.id)
    expect(await closeEvents(ticket.id)).toHaveLength(1)
  })
})

describe('the auto-close job on two instances at once', () => {
  it('closes every ticket exactly once, with one close event each', async () => {
    const start = new Date(MONDAY_MORNING.getTime() + 60 * DAY)
    const tickets: Ticket[] = []
    for (let i = 0; i < 20; i++) tickets.push(await row((await resolvedTicketAt(new Date(start.getTime() + i * MINUTE))).id))
    t.setNow(new Date(start.getTime() + WEEK + DAY))

    // MariaDB: a second DataSource (its own pool) on the same database, as a second server would be.
    // SQLite: one process owns the file, so the second "instance" is a concurrent call in it.
    let second: DataSource = t.db.ds
    if (t.db.kind === 'mariadb' && t.db.url) {
      second = createDataSource({ kind: 'mariadb', url: t.db.url, pool: 10 })
      await second.initialize()
    }
    try {
      const otherDeps: AppDeps = { ...t.deps, ds: second }
      const [a, b] = await Promise.all([autoCloseResolvedTickets(t.deps), autoCloseResolvedTickets(otherDeps)])
      const ids = tickets.map((x) => x.id)
      const byA = a.closed.filter((id) => ids.includes(id))
      const byB = b.closed.filter((id) => ids.includes(id))
      expect(byA.filter((id) => byB.includes(id))).toEqual([])
      expect([...byA, ...byB].sort()).toEqual([...ids].sort())
      for (const ticket of tickets) {
        expect(await closeEvents(ticket.id)).toHaveLength(1)
        expect(await row(ticket.id)).toMatchObject({ state: 'closed', version: ticket.version + 1 })
        expect(await t.db.ds.getRepository(Message).countBy({ userId: w.users.R1.id, ticketId: ticket.id, title: '工单已结案' })).toBe(1)
      }
    } finally {
      if (second !== t.db.ds) await second.destroy()
    }
  })
})
