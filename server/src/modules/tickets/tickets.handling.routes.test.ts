import { ProblemSchema, TicketViewSchema, type TicketView } from '@palm/shared'
import request from 'supertest'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { bearer } from '../../../test/factories'
import { createTestContext, type TestContext } from '../../../test/test-app'
import { MONDAY_MORNING, createTicketWorld, fileTicket, fire, fireOk, getTicket, reportBody, submitTicket, type TicketWorld } from '../../../test/tickets-factories'
import { addWorkingTime, invalidateCategories, workingMinutesBetween } from '../sla/index'
import { escalateOverdueTickets } from './overdue.job'
import { Message } from '../notifications/index'
import { autoCloseResolvedTickets } from './auto-close.job'
import { Ticket, TicketEventRow } from './ticket.entity'

/*
 * 12345-grade handling (issue 11 point 4, docs/handling.md): 延期, 挂起, 协办, 回访, 催办, 代报 and
 * 巡查发现, 常用语, the emergency clock. Every bad input of the issue is refused with its own code and
 * changes nothing.
 */
let t: TestContext
let w: TicketWorld

beforeAll(async () => {
  t = await createTestContext({ rateLimitScale: 1000 })
  w = await createTicketWorld(t.db.ds)
})
afterAll(async () => {
  await t.close()
})
beforeEach(() => {
  t.setNow(MONDAY_MORNING)
})

const HOUR = 60 * 60 * 1000
const DAY = 24 * HOUR
const row = (id: string) => t.db.ds.getRepository(Ticket).findOneByOrFail({ id })
const eventNames = async (id: string) => (await t.db.ds.getRepository(TicketEventRow).find({ where: { ticketId: id }, order: { seq: 'ASC' } })).map((e) => e.event)

async function expectProblem(res: request.Response, status: number, code: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status)
  expect(ProblemSchema.parse(res.body).code).toBe(code)
  return res.body as { errors?: Array<{ path: string; code: string }> }
}

/** A report of R1 in G1, accepted by the G1 worker it was routed to. */
async function acceptedTicket(): Promise<{ ticket: TicketView; worker: typeof w.users.W1 }> {
  const ticket = await fileTicket(t, w.users.R1, reportBody(w))
  const worker = ticket.assignee?.id === w.users.W1.id ? w.users.W1 : w.users.W1b
  return { ticket: await fireOk(t, worker, ticket.id, { event: 'accept' }), worker }
}

describe('延期: an extension asked by the handler, decided by the level above', () => {
  it('moves the resolve deadline once the community (the level above a grid) approves', async () => {
    const { ticket, worker } = await acceptedTicket()
    const asked = new Date(new Date(ticket.resolveDueAt).getTime() + 3 * DAY).toISOString()
    const pending = await fireOk(t, worker, ticket.id, { event: 'extend_request', note: '需要等待配件到货', extension: { dueAt: asked } })
    expect(pending.extension).toEqual({ state: 'pending', dueAt: asked, approverRole: 'community_staff' })
    expect(pending.resolveDueAt).toBe(ticket.resolveDueAt)
    // The timeline says the deadline asked for, in Beijing time, before the reason.
    expect(pending.timeline.at(-1)?.note).toMatch(/^申请延期至 \d+月\d+日 \d\d:\d\d：需要等待配件到货$/)
    // The community's staff hear of it in their message centre.
    const told = await t.db.ds.getRepository(Message).findBy({ userId: w.users.CSA.id, ticketId: ticket.id, title: '延期申请待审批' })
    expect(told).toHaveLength(1)
    const approverView = TicketViewSchema.parse((await getTicket(t, w.users.CSA, ticket.id)).body)
    expect(approverView.actions).toEqual(expect.arrayContaining(['extend_approve', 'extend_deny']))
    const approved = await fireOk(t, w.users.CSA, ticket.id, { event: 'extend_approve', note: '同意' })
    expect(approved.extension?.state).toBe('approved')
    expect(approved.resolveDueAt).toBe(asked)
    expect(approved.dueAt).toBe(asked)
    expect(approved.timeline.map((e) => e.event).slice(-2)).toEqual(['extend_request', 'extend_approve'])
  })

  it('lets the approver set another deadline, and a denial keeps the old one', async () => {
    const { ticket, worker } = await acceptedTicket()
    const resolveDue = new Date(ticket.resolveDueAt).getTime()
    await fireOk(t, worker, ticket.id, { event: 'extend_request', note: '居民外出', extension: { dueAt: new Date(resolveDue + 5 * DAY).toISOString() } })
    const approved = await fireOk(t, w.users.CSA, ticket.id, { event: 'extend_approve', extension: { dueAt: new Date(resolveDue + 2 * DAY).toISOString() } })
    expect(approved.resolveDueAt).toBe(new Date(resolveDue + 2 * DAY).toISOString())

    const other = await acceptedTicket()
    await fireOk(t, other.worker, other.ticket.id, { event: 'extend_request', note: '居民外出', extension: { dueAt: new Date(resolveDue + DAY).toISOString() } })
    await expectProblem(await fire(t, w.users.CSA, other.ticket.id, { event: 'extend_deny' }), 400, 'reason_required')
    const denied = await fireOk(t, w.users.CSA, other.ticket.id, { event: 'extend_deny', note: '时限内可以完成' })
    expect(denied.extension?.state).toBe('denied')
    expect(denied.resolveDueAt).toBe(other.ticket.resolveDueAt)
  })

  it('refuses an extension asked twice, after the deadline, or approved by the wrong level; nothing changes', async () => {
    const { ticket, worker } = await acceptedTicket()
    const asked = new Date(new Date(ticket.resolveDueAt).getTime() + DAY).toISOString()
    await fireOk(t, worker, ticket.id, { event: 'extend_request', note: '等待配件', extension: { dueAt: asked } })
    const before = await row(ticket.id)
    await expectProblem(await fire(t, worker, ticket.id, { event: 'extend_request', note: '再延一次', extension: { dueAt: asked } }), 409, 'extension_already_requested')
    // A street centre is not the level above a grid ticket; the district neither; the worker not at all.
    await expectProblem(await fire(t, w.users.SA1, ticket.id, { event: 'extend_approve' }), 403, 'wrong_approval_level')
    await expectProblem(await fire(t, w.users.DA, ticket.id, { event: 'extend_approve' }), 403, 'wrong_approval_level')
    await expectProblem(await fire(t, worker, ticket.id, { event: 'extend_approve' }), 403, 'forbidden')
    // Another community's staff do not even see it.
    await expectProblem(await fire(t, w.users.CSB, ticket.id, { event: 'extend_approve' }), 404, 'ticket_not_found')
    const after = await row(ticket.id)
    expect(after.version).toBe(before.version)
    expect(after.extensionState).toBe('pending')
    expect(after.resolveDueAt.toISOString()).toBe(before.resolveDueAt.toISOString())

    const late = await acceptedTicket()
    t.setNow(new Date(new Date(late.ticket.resolveDueAt).getTime() + 1000))
    const lateVersion = (await row(late.ticket.id)).version
    await expectProblem(
      await fire(t, late.worker, late.ticket.id, { event: 'extend_request', note: '来不及了', extension: { dueAt: new Date(Date.now() + 40 * DAY).toISOString() } }),
      409,
      'extension_too_late'
    )
    expect((await row(late.ticket.id)).version).toBe(lateVersion)
  })

  it('sends the request of community staff handling a grid ticket to the street, never back to themselves', async () => {
    const ticket = await fileTicket(t, w.users.R1, reportBody(w))
    await fireOk(t, w.users.CSA, ticket.id, { event: 'accept' })
    const asked = new Date(new Date(ticket.resolveDueAt).getTime() + 2 * DAY).toISOString()
    const pending = await fireOk(t, w.users.CSA, ticket.id, { event: 'extend_request', note: '需协调物业', extension: { dueAt: asked } })
    expect(pending.extension?.approverRole).toBe('street_admin')
    expect(pending.actions).not.toContain('extend_approve')
    await expectProblem(await fire(t, w.users.CSA, ticket.id, { event: 'extend_approve' }), 403, 'wrong_approval_level')
    expect((await fireOk(t, w.users.SA1, ticket.id, { event: 'extend_approve' })).resolveDueAt).toBe(asked)
  })

  it('refuses a deadline that is not later, or more than 30 days later, and a request without one', async () => {
    const { ticket, worker } = await acceptedTicket()
    const due = new Date(ticket.resolveDueAt).getTime()
    const body = await expectProblem(await fire(t, worker, ticket.id, { event: 'extend_request', note: 'x', extension: { dueAt: new Date(due).toISOString() } }), 400, 'extension_due_invalid')
    expect(body.errors?.[0]?.path).toBe('extension.dueAt')
    await expectProblem(await fire(t, worker, ticket.id, { event: 'extend_request', note: 'x', extension: { dueAt: new Date(due + 31 * DAY).toISOString() } }), 400, 'extension_due_invalid')
    await expectProblem(await fire(t, worker, ticket.id, { event: 'extend_request', note: 'x' }), 400, 'validation_failed')
    expect((await row(ticket.id)).extensionState).toBeNull()
  })
})

describe('挂起: the clock stands while the ticket waits for the resident', () => {
  it('is never overdue while suspended, and resuming moves the deadlines on by the working time it stood', async () => {
    const { ticket, worker } = await acceptedTicket()
    await expectProblem(await fire(t, worker, ticket.id, { event: 'suspend' }), 400, 'reason_required')
    const suspended = await fireOk(t, worker, ticket.id, { event: 'suspend', note: '居民出差，约定下周上门' })
    expect(suspended.state).toBe('suspended')
    expect(suspended.suspendedAt).toBe(MONDAY_MORNING.toISOString())
    // Far past the deadline: not overdue, not escalated, not in the overdue filter.
    const later = new Date(new Date(ticket.resolveDueAt).getTime() + 3 * DAY)
    t.setNow(later)
    const view = TicketViewSchema.parse((await getTicket(t, worker, ticket.id)).body)
    expect(view.overdue).toBe(false)
    expect(view.actions).toEqual(['reply', 'resume'])
    const result = await escalateOverdueTickets(t.deps)
    expect(result.escalated).not.toContain(ticket.id)
    const overdueList = await request(t.server).get('/api/tickets?view=inbox&overdue=true').set('Authorization', bearer(t.deps.config, worker))
    expect((overdueList.body as { items: Array<{ id: string }> }).items.map((i) => i.id)).not.toContain(ticket.id)
    // Resume: the resolve deadline moves by exactly the working minutes that passed.
    const stood = workingMinutesBetween(MONDAY_MORNING, later)
    const resumed = await fireOk(t, worker, ticket.id, { event: 'resume' })
    expect(resumed.state).toBe('in_progress')
    expect(resumed.suspendedAt).toBeNull()
    expect(resumed.suspendedMinutes).toBe(Math.round(stood))
    expect(resumed.resolveDueAt).toBe(addWorkingTime(new Date(ticket.resolveDueAt), stood).toISOString())
    expect(resumed.overdue).toBe(false)
    expect(resumed.timeline.at(-1)?.note).toMatch(/^恢复办理，挂起 \d+ 个工作小时/)
    expect((await eventNames(ticket.id)).slice(-2)).toEqual(['suspend', 'resume'])
  })

  it('lets only the assignee suspend and resume', async () => {
    const { ticket, worker } = await acceptedTicket()
    const other = worker.id === w.users.W1.id ? w.users.W1b : w.users.W1
    await expectProblem(await fire(t, other, ticket.id, { event: 'suspend', note: 'x' }), 403, 'forbidden')
    await fireOk(t, worker, ticket.id, { event: 'suspend', note: '等居民回电' })
    await expectProblem(await fire(t, other, ticket.id, { event: 'resume' }), 403, 'forbidden')
    await expectProblem(await fire(t, worker, ticket.id, { event: 'resolve', note: 'x' }), 409, 'invalid_transition')
  })
})

describe('协办: a department works beside the assignee', () => {
  it('shows the ticket to the invited department, which adds its opinion; a second invitation is refused', async () => {
    const { ticket, worker } = await acceptedTicket()
    await expectProblem(await getTicket(t, w.users.DEP, ticket.id), 404, 'ticket_not_found')
    const invited = await fireOk(t, worker, ticket.id, { event: 'cohandle', cohandler: { departmentCode: 'housing_bureau' }, note: '涉及楼体结构' })
    expect(invited.cohandlers).toEqual([{ code: 'housing_bureau', name: '区住建局' }])
    expect(invited.assignee?.id).toBe(worker.id)
    const depView = TicketViewSchema.parse((await getTicket(t, w.users.DEP, ticket.id)).body)
    expect(depView.actions).toEqual(['cohandle_reply'])
    await expectProblem(await fire(t, w.users.DEP, ticket.id, { event: 'cohandle_reply' }), 400, 'reason_required')
    const replied = await fireOk(t, w.users.DEP, ticket.id, { event: 'cohandle_reply', note: '已派人查看，墙体无安全隐患' })
    expect(replied.timeline.at(-1)).toMatchObject({ event: 'cohandle_reply', actor: { role: 'department_staff' } })
    await expectProblem(await fire(t, worker, ticket.id, { event: 'cohandle', cohandler: { departmentCode: 'housing_bureau' } }), 409, 'already_cohandling')
    // Another department stays outside.
    await expectProblem(await getTicket(t, w.users.DEPF, ticket.id), 404, 'ticket_not_found')
    await expectProblem(await fire(t, w.users.DEPF, ticket.id, { event: 'cohandle_reply', note: 'x' }), 404, 'ticket_not_found')
    await expectProblem(await fire(t, worker, ticket.id, { event: 'cohandle', cohandler: { departmentCode: 'no_such' } }), 404, 'not_found')
  })
})

describe('回访: unsatisfied and complex tickets are called back before they close', () => {
  async function resolved() {
    const { ticket, worker } = await acceptedTicket()
    await fireOk(t, worker, ticket.id, { event: 'resolve', note: '已清运' })
    return { ticket, worker }
  }

  it('keeps an unsatisfied rating resolved, refuses closing it, and closes it with the callback', async () => {
    const { ticket } = await resolved()
    const rated = await fireOk(t, w.users.R1, ticket.id, { event: 'rate', rating: { score: 2 } })
    expect(rated.state).toBe('resolved')
    expect(rated.needsCallback).toBe(true)
    expect(rated.closedAt).toBeNull()
    await expectProblem(await fire(t, w.users.DA, ticket.id, { event: 'close' }), 409, 'callback_required')
    // The auto-close job leaves it alone too, however long it waits.
    t.setNow(new Date(MONDAY_MORNING.getTime() + 30 * DAY))
    expect((await autoCloseResolvedTickets(t.deps)).closed).not.toContain(ticket.id)
    await expectProblem(await fire(t, w.users.CSA, ticket.id, { event: 'callback', note: '已电话回访' }), 400, 'validation_failed')
    const called = await fireOk(t, w.users.CSA, ticket.id, { event: 'callback', note: '已电话回访，居民表示垃圾已清运但希望加装垃圾桶', callbackResult: 'unsatisfied' })
    expect(called.state).toBe('closed')
    expect(called.timeline.at(-1)).toMatchObject({ event: 'callback', fromState: 'resolved', toState: 'closed' })
  })

  it('closes a satisfied simple ticket with its rating, as before', async () => {
    const { ticket } = await resolved()
    expect((await fireOk(t, w.users.R1, ticket.id, { event: 'rate', rating: { score: 5 } })).state).toBe('closed')
  })

  it('treats an extended ticket as complex: a good rating still waits for the callback', async () => {
    const { ticket, worker } = await acceptedTicket()
    await fireOk(t, worker, ticket.id, { event: 'extend_request', note: '等待配件', extension: { dueAt: new Date(new Date(ticket.resolveDueAt).getTime() + DAY).toISOString() } })
    await fireOk(t, w.users.CSA, ticket.id, { event: 'extend_approve' })
    await fireOk(t, worker, ticket.id, { event: 'resolve', note: '已更换' })
    const rated = await fireOk(t, w.users.R1, ticket.id, { event: 'rate', rating: { score: 5 } })
    expect(rated.state).toBe('resolved')
    expect(rated.needsCallback).toBe(true)
  })
})

describe('催办: the resident presses, after the limit, once a day', () => {
  it('refuses before the limit, takes one after it, refuses a second the same day, takes one the next day', async () => {
    const ticket = await fileTicket(t, w.users.R1, reportBody(w))
    await expectProblem(await fire(t, w.users.R1, ticket.id, { event: 'press' }), 409, 'press_too_early')
    t.setNow(new Date(new Date(ticket.dueAt).getTime() + HOUR))
    const pressed = await fireOk(t, w.users.R1, ticket.id, { event: 'press' })
    expect(pressed.state).toBe('assigned')
    expect(pressed.timeline.at(-1)).toMatchObject({ event: 'press', actor: { role: 'resident' } })
    const version = (await row(ticket.id)).version
    await expectProblem(await fire(t, w.users.R1, ticket.id, { event: 'press' }), 409, 'press_limit_reached')
    expect((await row(ticket.id)).version).toBe(version)
    // Someone else's ticket: not theirs to press (404, as if absent); staff may not press at all.
    await expectProblem(await fire(t, w.users.R2, ticket.id, { event: 'press' }), 404, 'ticket_not_found')
    await expectProblem(await fire(t, w.users.CSA, ticket.id, { event: 'press' }), 403, 'forbidden')
    t.setNow(new Date(new Date(ticket.dueAt).getTime() + DAY + HOUR))
    await fireOk(t, w.users.R1, ticket.id, { event: 'press' })
    expect((await eventNames(ticket.id)).filter((e) => e === 'press')).toHaveLength(2)
  })
})

describe('代报 and 巡查发现: grid workers file for residents and from patrols', () => {
  const count = () => t.db.ds.getRepository(Ticket).count()

  it("files a 代报 with the resident's phone, shown to staff and not counted as the worker's own", async () => {
    const filed = await fileTicket(t, w.users.W1, reportBody(w, { source: 'on_behalf', onBehalf: { phone: '13912345678', name: '王大爷' } }))
    expect(filed.source).toBe('on_behalf')
    expect(filed.onBehalf).toEqual({ phone: '13912345678', name: '王大爷' })
    const staffView = TicketViewSchema.parse((await getTicket(t, w.users.CSA, filed.id)).body)
    expect(staffView.onBehalf?.phone).toBe('13912345678')
    expect((await row(filed.id)).source).toBe('on_behalf')
  })

  it('refuses a 代报 without a phone or with a bad one, and a resident filing for others; nothing is written', async () => {
    const before = await count()
    const missing = await expectProblem(await submitTicket(t, w.users.W1, reportBody(w, { source: 'on_behalf' })), 400, 'validation_failed')
    expect(missing.errors?.map((e) => e.path)).toContain('onBehalf.phone')
    const bad = await expectProblem(await submitTicket(t, w.users.W1, reportBody(w, { source: 'on_behalf', onBehalf: { phone: '12345' } })), 400, 'validation_failed')
    expect(bad.errors?.map((e) => e.path)).toContain('onBehalf.phone')
    await expectProblem(await submitTicket(t, w.users.R1, reportBody(w, { source: 'on_behalf', onBehalf: { phone: '13912345678' } })), 403, 'staff_filing_only')
    await expectProblem(await submitTicket(t, w.users.R1, reportBody(w, { source: 'patrol' })), 403, 'staff_filing_only')
    expect(await count()).toBe(before)
  })

  it('marks a patrol find as such, in the ticket and in its submit event', async () => {
    const filed = await fileTicket(t, w.users.W1, reportBody(w, { source: 'patrol', description: '巡查发现井盖缺失' }))
    expect(filed.source).toBe('patrol')
    const submit = await t.db.ds.getRepository(TicketEventRow).findOneByOrFail({ ticketId: filed.id, event: 'submit' })
    expect(JSON.parse(submit.data ?? '{}')).toEqual({ source: 'patrol' })
  })
})

describe('emergency categories run a 24×7 clock', () => {
  it('counts clock minutes at night and on weekends for an emergency category', async () => {
    const patch = (emergency: boolean) => request(t.server).patch('/api/admin/categories/sanitation').set('Authorization', bearer(t.deps.config, w.users.DA)).send({ emergency })
    expect((await patch(true)).status).toBe(200)
    try {
      // Saturday 2026-11-28 23:00 Beijing: a working-time clock would not start before Monday 09:00.
      const saturdayNight = new Date('2026-11-28T15:00:00Z')
      t.setNow(saturdayNight)
      const filed = await fileTicket(t, w.users.R1, reportBody(w))
      expect(filed.emergency).toBe(true)
      expect(filed.acceptDueAt).toBe(new Date(saturdayNight.getTime() + 2 * HOUR).toISOString())
      expect(filed.resolveDueAt).toBe(new Date(saturdayNight.getTime() + 1350 * 60_000).toISOString())
    } finally {
      expect((await patch(false)).status).toBe(200)
      invalidateCategories(t.db.ds)
    }
    t.setNow(new Date('2026-11-28T15:00:00Z'))
    const ordinary = await fileTicket(t, w.users.R1, reportBody(w))
    expect(ordinary.emergency).toBe(false)
    expect(ordinary.acceptDueAt).toBe(addWorkingTime(new Date('2026-11-28T15:00:00Z'), 120).toISOString())
  })
})
