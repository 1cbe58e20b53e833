import { randomUUID } from 'node:crypto'
import { MessagePageSchema, MarkMessagesReadResultSchema, ProblemSchema, UnreadCountViewSchema, type MessageView } from '@palm/shared'
import request from 'supertest'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { withTx } from '../../db/tx'
import { bearer } from '../../../test/factories'
import { createNotifyContext, outboxOf, setOpenid, type NotifyContext } from '../../../test/notifications-factories'
import { MONDAY_MORNING, createTicketWorld, fileTicket, fireOk, reportBody, type TicketWorld } from '../../../test/tickets-factories'
import { actorFromUser } from '../auth/actor'
import { SYSTEM_ACTOR, transitionTicket } from '../tickets/index'
import { Message, NotificationOutbox } from './notification.entity'

let n: NotifyContext
let w: TicketWorld

beforeAll(async () => {
  n = await createNotifyContext()
  w = await createTicketWorld(n.t.db.ds)
  await setOpenid(n.t.db.ds, w.users.R1, 'openid-r1')
  await setOpenid(n.t.db.ds, w.users.R2, 'openid-r2')
})
afterAll(async () => {
  await n.close()
})
beforeEach(() => {
  n.t.setNow(MONDAY_MORNING)
})

type Who = { id: string; role: (typeof w.users.R1)['role'] }

async function messagesOf(user: Who, query = ''): Promise<MessageView[]> {
  const res = await request(n.t.server).get(`/api/messages${query}`).set('Authorization', bearer(n.t.deps.config, user))
  expect(res.status).toBe(200)
  return MessagePageSchema.parse(res.body).items
}

const ticketMessages = async (user: Who, ticketId: string) => (await messagesOf(user, '?limit=50')).filter((m) => m.ticketId === ticketId)

async function assigned(body = reportBody(w)) {
  const ticket = await fileTicket(n.t, w.users.R1, body)
  const worker = ticket.assignee?.id === w.users.W1b.id ? w.users.W1b : w.users.W1
  return { ticket, worker }
}

describe('who hears what of a ticket', () => {
  it("fills the resident's message centre with each step, newest first, and nothing of their own steps", async () => {
    const { ticket, worker } = await assigned()
    await fireOk(n.t, worker, ticket.id, { event: 'accept' })
    await fireOk(n.t, worker, ticket.id, { event: 'reply', note: '已联系物业，今天下午清运' })
    await fireOk(n.t, worker, ticket.id, { event: 'resolve' })
    await fireOk(n.t, w.users.R1, ticket.id, { event: 'rate', rating: { score: 5 } })

    const mine = await ticketMessages(w.users.R1, ticket.id)
    expect(mine.map((m) => m.title)).toEqual(['工单已办结', '工单有新回复', '工单已签收', '工单已分派'])
    expect(mine.every((m) => m.kind === 'ticket_update' && !m.read && m.readAt === null)).toBe(true)
    expect(mine[1]?.body).toContain('已联系物业，今天下午清运')
    expect(mine[0]?.body).toContain(ticket.number)

    const workerInbox = await ticketMessages(worker, ticket.id)
    expect(workerInbox.map((m) => [m.kind, m.title])).toEqual([['ticket_assigned', '新工单待签收']])
  })

  it('writes an outbox row beside each message that is pushed, with no personal data in its payload', async () => {
    const { ticket, worker } = await assigned()
    await fireOk(n.t, worker, ticket.id, { event: 'accept' })
    const rows = (await outboxOf(n.t.db.ds, w.users.R1.id)).filter((r) => r.payload.includes(ticket.id))
    expect(rows.map((r) => [r.kind, r.templateKey, r.dispatchState, r.channel])).toEqual([['ticket_update', 'ticket_update', 'pending', 'wechat_subscribe']])
    const payload = JSON.parse(rows[0]?.payload ?? '{}') as { page: string; data: Record<string, string> }
    expect(payload.page).toBe(`packages/ticket/detail/index?id=${ticket.id}`)
    expect(payload.data).toMatchObject({ character_string1: ticket.number, thing2: '环境卫生', phrase3: '已签收' })
    expect(rows[0]?.payload).not.toContain(w.users.R1.displayName)
    expect(rows[0]?.payload).not.toContain('永和小区')
    const message = await n.t.db.ds.getRepository(Message).findOneByOrFail({ id: rows[0]?.messageId ?? '' })
    expect(message.userId).toBe(w.users.R1.id)
  })

  it('masks phone numbers of a reply in the WeChat message, while the message centre keeps the reply as sent', async () => {
    const { ticket, worker } = await assigned()
    await fireOk(n.t, worker, ticket.id, { event: 'accept' })
    await fireOk(n.t, worker, ticket.id, { event: 'reply', note: '请拨打13812341234联系' })
    const push = (await outboxOf(n.t.db.ds, w.users.R1.id)).find((r) => r.payload.includes(ticket.id) && r.payload.includes('已回复'))
    const data = (JSON.parse(push?.payload ?? '{}') as { data: Record<string, string> }).data
    expect(data.thing5).toBe('请拨打138****1234联系')
    expect(push?.payload).not.toContain('13812341234')
    expect((await ticketMessages(w.users.R1, ticket.id))[0]?.body).toContain('13812341234')
  })

  it('leaves no message and no outbox row when the change rolls back', async () => {
    const { ticket, worker } = await assigned()
    const before = await n.t.db.ds.getRepository(NotificationOutbox).count()
    const messagesBefore = await n.t.db.ds.getRepository(Message).count()
    let seenInside = 0
    await expect(
      withTx(n.t.db.ds, async (em) => {
        await transitionTicket(em, n.t.deps, actorFromUser(worker), ticket.id, { event: 'accept' })
        seenInside = await em.getRepository(NotificationOutbox).count()
        throw new Error('failpoint after the change, before commit')
      })
    ).rejects.toThrow('failpoint')
    expect(seenInside).toBe(before + 1)
    expect(await n.t.db.ds.getRepository(NotificationOutbox).count()).toBe(before)
    expect(await n.t.db.ds.getRepository(Message).count()).toBe(messagesBefore)
    expect((await ticketMessages(w.users.R1, ticket.id)).map((m) => m.title)).toEqual(['工单已分派'])
  })

  it('tells followers of each step as well as the reporter', async () => {
    const { ticket, worker } = await assigned()
    const follow = await request(n.t.server).post(`/api/tickets/${ticket.id}/follow`).set('Authorization', bearer(n.t.deps.config, w.users.R2))
    expect(follow.status).toBeLessThan(300)
    await fireOk(n.t, worker, ticket.id, { event: 'accept' })
    expect((await ticketMessages(w.users.R2, ticket.id)).map((m) => m.title)).toEqual(['工单已签收'])
    expect((await ticketMessages(w.users.R1, ticket.id)).map((m) => m.title)).toEqual(['工单已签收', '工单已分派'])
  })

  it('tells the handler when a supervisor urges, and the community staff when the overdue job escalates', async () => {
    const { ticket, worker } = await assigned()
    await fireOk(n.t, w.users.CSA, ticket.id, { event: 'urge', note: '请今天处理' })
    const urged = await ticketMessages(worker, ticket.id)
    expect(urged[0]).toMatchObject({ kind: 'ticket_urged', title: '工单督办' })
    expect(urged[0]?.body).toContain('请今天处理')
    expect(await ticketMessages(w.users.R1, ticket.id).then((ms) => ms.some((m) => m.title === '工单督办'))).toBe(false)

    await withTx(n.t.db.ds, (em) => transitionTicket(em, n.t.deps, SYSTEM_ACTOR, ticket.id, { event: 'escalate', note: '超时未签收' }))
    const staff = await ticketMessages(w.users.CSA, ticket.id)
    expect(staff[0]).toMatchObject({ kind: 'ticket_assigned', title: '超时工单已升级' })
    expect((await ticketMessages(w.users.R1, ticket.id))[0]?.title).toBe('工单已上报上级')
  })

  it('never names the reporter of an anonymous tip in anything staff receive', async () => {
    const tip = await fileTicket(n.t, w.users.R1, {
      kind: 'fraud_tip',
      category: 'telecom_fraud',
      description: '有人冒充公检法打电话要求转账',
      location: w.g1.center,
      anonymous: true,
      details: { phone: '13900001111' }
    })
    const staffIds = [w.users.W1, w.users.W1b, w.users.CSA, w.users.SA1, w.users.DA, w.users.DEPF, w.users.DEP].map((u) => u.id)
    const staffMessages = await n.t.db.ds.getRepository(Message).find({ where: { ticketId: tip.id } })
    const toStaff = staffMessages.filter((m) => staffIds.includes(m.userId))
    expect(toStaff.length).toBeGreaterThan(0)
    const staffOutbox = (await n.t.db.ds.getRepository(NotificationOutbox).find()).filter((o) => staffIds.includes(o.userId) && o.payload.includes(tip.id))
    for (const text of [...toStaff.map((m) => `${m.title} ${m.body}`), ...staffOutbox.map((o) => o.payload)]) {
      expect(text).not.toContain(w.users.R1.displayName)
      expect(text).not.toContain(w.users.R1.id)
      expect(text).not.toContain('openid-r1')
      expect(text).not.toContain('13900001111')
    }
    expect((await ticketMessages(w.users.R1, tip.id)).map((m) => m.title)).toEqual(['工单已分派'])
  })
})

describe('the message centre API', () => {
  it('answers 401 without a sign-in', async () => {
    for (const res of [
      await request(n.t.server).get('/api/messages'),
      await request(n.t.server).get('/api/messages/unread-count'),
      await request(n.t.server).post('/api/messages/read').send({ all: true })
    ]) {
      expect(res.status).toBe(401)
      expect(ProblemSchema.parse(res.body).code).toBe('unauthenticated')
    }
  })

  it('pages newest first by cursor without repeating or skipping a message', async () => {
    const all = await messagesOf(w.users.R1, '?limit=50')
    expect(all.length).toBeGreaterThan(4)
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const res = await request(n.t.server)
        .get('/api/messages')
        .query({ limit: 2, ...(cursor ? { cursor } : {}) })
        .set('Authorization', bearer(n.t.deps.config, w.users.R1))
      const page = MessagePageSchema.parse(res.body)
      expect(page.items.length).toBeLessThanOrEqual(2)
      seen.push(...page.items.map((m) => m.id))
      cursor = page.nextCursor
    } while (cursor)
    expect(seen).toEqual(all.map((m) => m.id))
  })

  it('refuses a cursor it did not make and a page size over 50', async () => {
    for (const query of ['?cursor=not-a-cursor', '?limit=51']) {
      const res = await request(n.t.server).get(`/api/messages${query}`).set('Authorization', bearer(n.t.deps.config, w.users.R1))
      expect(res.status).toBe(400)
      expect(ProblemSchema.parse(res.body).code).toBe('validation_failed')
    }
  })

  it('counts unread messages and marks only the caller’s own as read; others’ ids are ignored', async () => {
    const auth = (u: Who) => bearer(n.t.deps.config, u)
    const unread = async (u: Who) => UnreadCountViewSchema.parse((await request(n.t.server).get('/api/messages/unread-count').set('Authorization', auth(u))).body).count
    const r1Before = await unread(w.users.R1)
    const r2Before = await unread(w.users.R2)
    expect(r1Before).toBeGreaterThan(1)
    expect(r2Before).toBeGreaterThan(0)
    const [first, second] = await messagesOf(w.users.R1)
    const [othersMessage] = await messagesOf(w.users.R2)
    if (!first || !second || !othersMessage) throw new Error('fixtures missing')

    const res = await request(n.t.server)
      .post('/api/messages/read')
      .set('Authorization', auth(w.users.R1))
      .send({ ids: [first.id, othersMessage.id, randomUUID()] })
    expect(res.status).toBe(200)
    expect(MarkMessagesReadResultSchema.parse(res.body).updated).toBe(1)
    expect(await unread(w.users.R1)).toBe(r1Before - 1)
    expect(await unread(w.users.R2)).toBe(r2Before)
    const reread = await messagesOf(w.users.R1)
    expect(reread.find((m) => m.id === first.id)).toMatchObject({ read: true })
    expect(reread.find((m) => m.id === second.id)).toMatchObject({ read: false, readAt: null })

    const again = await request(n.t.server)
      .post('/api/messages/read')
      .set('Authorization', auth(w.users.R1))
      .send({ ids: [first.id] })
    expect(MarkMessagesReadResultSchema.parse(again.body).updated).toBe(0)

    const all = await request(n.t.server).post('/api/messages/read').set('Authorization', auth(w.users.R1)).send({ all: true })
    expect(MarkMessagesReadResultSchema.parse(all.body).updated).toBe(r1Before - 1)
    expect(await unread(w.users.R1)).toBe(0)
    expect(await unread(w.users.R2)).toBe(r2Before)
  })

  it('refuses a bad read request with the field that is wrong', async () => {
    const cases: Array<[unknown, string]> = [
      [{ ids: ['not-a-uuid'] }, 'ids.0'],
      [{ ids: [] }, 'ids'],
      [{}, 'ids'],
      [{ ids: [randomUUID()], all: true }, 'ids'],
      [{ ids: Array.from({ length: 101 }, () => randomUUID()) }, 'ids'],
      [{ all: true, extra: 1 }, 'extra']
    ]
    for (const [body, path] of cases) {
      const res = await request(n.t.server)
        .post('/api/messages/read')
        .set('Authorization', bearer(n.t.deps.config, w.users.R1))
        .send(body as object)
      expect(res.status).toBe(400)
      const problem = ProblemSchema.parse(res.body)
      expect(problem.code).toBe('validation_failed')
      expect(problem.errors?.map((e) => e.path)).toContain(path)
    }
  })
})
