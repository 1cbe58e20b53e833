import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DataSource } from 'typeorm'
import { createDataSource } from '../../db/data-source'
import { withTx } from '../../db/tx'
import type { AppDeps } from '../../deps'
import { createTestContext, type TestContext } from '../../../test/test-app'
import { createUser } from '../../../test/factories'
import { createGridWorker, createRoutingTerritory, insertTicketRow, type RoutingTerritory } from '../../../test/routing-factories'
import { actorFromUser, type Actor } from '../auth/actor'
import { backgroundJobs } from '../lifecycle'
import { createTicket, transitionTicket, Ticket, TicketEventRow } from './index'
import { OverdueEscalation } from './overdue-escalation.entity'
import { escalateOverdueTickets } from './overdue.job'

let t: TestContext
let territory: RoutingTerritory
let resident: Actor
let communityStaff: Actor

/** Beijing wall-clock time → Date. */
const bj = (isoLocal: string) => new Date(`${isoLocal}+08:00`)

beforeAll(async () => {
  t = await createTestContext()
  territory = await createRoutingTerritory(t.db.ds)
  await createGridWorker(t.db.ds, territory.g12.code, territory.yonghe.code, territory.street.code)
  resident = actorFromUser(await createUser(t.db.ds, 'resident'))
  communityStaff = actorFromUser(await createUser(t.db.ds, 'community_staff', { communityCode: territory.yonghe.code, streetCode: territory.street.code }))
})
afterAll(async () => {
  t.setNow(null)
  await t.close()
})

/** A real submission (routing, working-time deadlines and all) at the given moment. */
async function submit(at: Date, place: { location?: { lat: number; lng: number }; communityCode?: string } = { location: territory.g12.center }): Promise<Ticket> {
  t.setNow(at)
  return withTx(t.db.ds, (em) => createTicket(em, t.deps, resident, { kind: 'report', category: 'sanitation', description: '垃圾桶满了', ...place }))
}

async function reload(id: string): Promise<Ticket> {
  const ticket = await t.db.ds.getRepository(Ticket).findOneBy({ id })
  if (!ticket) throw new Error(`ticket ${id} is gone`)
  return ticket
}

async function escalations(id: string): Promise<TicketEventRow[]> {
  return t.db.ds.getRepository(TicketEventRow).find({ where: { ticketId: id, event: 'escalate' }, order: { seq: 'ASC' } })
}

describe('the overdue escalation job', () => {
  it('is registered as a background job', () => {
    expect(backgroundJobs().map((j) => j.name)).toContain('overdue-escalation')
  })

  it('escalates a ticket not accepted in time one level up, once', async () => {
    // Monday 10:00 + 2 working hours (sanitation) → due 12:00.
    const ticket = await submit(bj('2026-11-30T10:00'))
    expect(ticket).toMatchObject({ level: 'grid', acceptDueAt: bj('2026-11-30T12:00') })

    t.setNow(bj('2026-11-30T11:59'))
    expect((await escalateOverdueTickets(t.deps)).escalated).not.toContain(ticket.id)

    t.setNow(bj('2026-11-30T12:00'))
    expect((await escalateOverdueTickets(t.deps)).escalated).toContain(ticket.id)
    const after = await reload(ticket.id)
    expect(after).toMatchObject({ level: 'community', communityCode: territory.yonghe.code, assigneeId: null, state: 'assigned' })
    const events = await escalations(ticket.id)
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({ actorRole: 'system', actorId: null, note: '超时未签收（签收时限 2026-11-30 12:00）' })
    expect(await t.db.ds.getRepository(OverdueEscalation).findOneBy({ ticketId: ticket.id })).toMatchObject({ deadline: 'accept', outcome: 'escalated' })

    t.setNow(bj('2026-11-30T15:00'))
    expect((await escalateOverdueTickets(t.deps)).escalated).not.toContain(ticket.id)
    expect(await escalations(ticket.id)).toHaveLength(1)
  })

  it('escalates again, once, when the resolve deadline passes after a late acceptance', async () => {
    const ticket = await submit(bj('2026-11-30T10:00'))
    t.setNow(bj('2026-11-30T12:30'))
    await escalateOverdueTickets(t.deps)
    t.setNow(bj('2026-11-30T14:00'))
    await withTx(t.db.ds, (em) => transitionTicket(em, t.deps, communityStaff, ticket.id, { event: 'accept' }))
    // Resolve within 3 working days of the submission: Thursday 10:00.
    expect((await reload(ticket.id)).dueAt).toEqual(bj('2026-12-03T10:00'))

    t.setNow(bj('2026-12-03T09:59'))
    expect((await escalateOverdueTickets(t.deps)).escalated).not.toContain(ticket.id)
    t.setNow(bj('2026-12-03T10:01'))
    expect((await escalateOverdueTickets(t.deps)).escalated).toContain(ticket.id)
    expect((await escalateOverdueTickets(t.deps)).escalated).not.toContain(ticket.id)

    const events = await escalations(ticket.id)
    expect(events.map((e) => e.note)).toEqual(['超时未签收（签收时限 2026-11-30 12:00）', '超时未办结（办结时限 2026-12-03 10:00）'])
    expect(await reload(ticket.id)).toMatchObject({ level: 'street', streetCode: territory.street.code })
  })

  it('records a ticket at the district, which cannot go higher, once and leaves it as it is', async () => {
    const ticket = await submit(bj('2026-11-30T10:00'), {})
    expect(ticket.level).toBe('district')
    t.setNow(bj('2026-11-30T12:01'))
    const first = await escalateOverdueTickets(t.deps)
    expect(first.refused).toContain(ticket.id)
    expect(first.escalated).not.toContain(ticket.id)
    const second = await escalateOverdueTickets(t.deps)
    expect(second.refused).not.toContain(ticket.id)
    expect(await reload(ticket.id)).toMatchObject({ level: 'district', version: ticket.version })
    expect(await t.db.ds.getRepository(OverdueEscalation).findOneBy({ ticketId: ticket.id })).toMatchObject({ outcome: 'refused' })
  })

  it('leaves done tickets alone, however late', async () => {
    const long = bj('2026-01-05T10:00')
    const closed = await insertTicketRow(t.db.ds, { state: 'closed', createdAt: long, dueAt: long, acceptDueAt: long, resolveDueAt: long })
    t.setNow(bj('2026-11-30T12:01'))
    const result = await escalateOverdueTickets(t.deps)
    expect([...result.escalated, ...result.refused]).not.toContain(closed.id)
  })
})

describe('the overdue job on two instances at once', () => {
  it('escalates every overdue ticket exactly once', async () => {
    const tickets: Ticket[] = []
    for (let i = 0; i < 25; i++) tickets.push(await submit(bj('2026-12-07T10:00')))
    t.setNow(bj('2026-12-07T12:00'))

    // MariaDB: a second DataSource (its own pool) on the same database, as a second server would be.
    // SQLite: one process owns the file, so the second "instance" is a concurrent call in it.
    let second: DataSource = t.db.ds
    if (t.db.kind === 'mariadb' && t.db.url) {
      second = createDataSource({ kind: 'mariadb', url: t.db.url, pool: 10 })
      await second.initialize()
    }
    try {
      const otherDeps: AppDeps = { ...t.deps, ds: second }
      const [a, b] = await Promise.all([escalateOverdueTickets(t.deps), escalateOverdueTickets(otherDeps)])
      const ids = tickets.map((x) => x.id)
      const byA = a.escalated.filter((id) => ids.includes(id))
      const byB = b.escalated.filter((id) => ids.includes(id))
      expect(byA.filter((id) => byB.includes(id))).toEqual([])
      expect([...byA, ...byB].sort()).toEqual([...ids].sort())
      for (const ticket of tickets) {
        expect(await escalations(ticket.id)).toHaveLength(1)
        expect((await reload(ticket.id)).level).toBe('community')
      }
    } finally {
      if (second !== t.db.ds) await second.destroy()
    }
  })
})
