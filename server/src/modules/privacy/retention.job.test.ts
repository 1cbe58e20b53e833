import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestContext, type TestContext } from '../../../test/test-app'
import { MONDAY_MORNING, createTicketWorld, fileTicket, reportBody, type TicketWorld } from '../../../test/tickets-factories'
import { Ticket } from '../tickets/index'
import { RetentionPurge } from './privacy.entity'
import { anonymiseClosedTickets } from './retention.job'

let t: TestContext
let w: TicketWorld
const DAY = 24 * 3600_000

beforeAll(async () => {
  t = await createTestContext()
  w = await createTicketWorld(t.db.ds)
  t.setNow(MONDAY_MORNING)
})
afterAll(async () => {
  await t.close()
})

/** A ticket filed now and marked closed `daysAgo` days before MONDAY_MORNING. */
async function closedTicket(daysAgo: number): Promise<string> {
  const view = await fileTicket(t, w.users.R1, reportBody(w, { description: '我叫李小明，电话13812341234，住永和小区3号楼2单元501，门口垃圾没人清运', address: '永和小区3号楼2单元501' }))
  await t.db.ds.getRepository(Ticket).update({ id: view.id }, { state: 'closed', stateGroup: 'done', closedAt: new Date(MONDAY_MORNING.getTime() - daysAgo * DAY) })
  return view.id
}

describe('the retention job for closed tickets', () => {
  it('anonymises the contact data of a ticket closed longer ago than the setting, keeping grid and community, and leaves a recent one alone', async () => {
    const old = await closedTicket(200)
    const recent = await closedTicket(10)
    const pass = await anonymiseClosedTickets(t.deps)
    expect(pass.anonymised).toContain(old)
    expect(pass.anonymised).not.toContain(recent)
    const row = await t.db.ds.getRepository(Ticket).findOneByOrFail({ id: old })
    expect(row.description).not.toMatch(/李小明|13812341234|501/)
    expect(row).toMatchObject({ address: null, lat: null, lng: null, gridCode: w.g1.code, communityCode: w.ca.code })
    expect((await t.db.ds.getRepository(Ticket).findOneByOrFail({ id: recent })).address).toBe('永和小区3号楼2单元501')
  })

  it('anonymises a ticket once however many passes run', async () => {
    const id = await closedTicket(400)
    const passes = await Promise.all([anonymiseClosedTickets(t.deps), anonymiseClosedTickets(t.deps)])
    expect(passes.filter((p) => p.anonymised.includes(id))).toHaveLength(1)
    expect(await t.db.ds.getRepository(RetentionPurge).countBy({ ticketId: id })).toBe(1)
  })

  it('follows the configured period (RETENTION_CLOSED_TICKET_DAYS)', async () => {
    const id = await closedTicket(40)
    expect((await anonymiseClosedTickets(t.deps)).anonymised).not.toContain(id)
    const shorter = { ...t.deps, config: { ...t.deps.config, retentionClosedTicketDays: 30 } }
    expect((await anonymiseClosedTickets(shorter)).anonymised).toContain(id)
  })
})
