import { MessagePageSchema, ProblemSchema, PublicTicketPageSchema, type PublicTicketView } from '@palm/shared'
import request from 'supertest'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { withWrite } from '../../db/tx'
import { bearer } from '../../../test/factories'
import { createNotifyContext, setOpenid, type NotifyContext } from '../../../test/notifications-factories'
import { MONDAY_MORNING, createTicketWorld, fileTicket, fireOk, reportBody, submitTicket, type TicketWorld } from '../../../test/tickets-factories'
import { createWeChatClient } from '../wechat/index'
import { checkPendingPublicationsOnce } from './content-check'
import { Publication } from './publication.entity'

let n: NotifyContext
let w: TicketWorld
let clock: Date

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
  clock = MONDAY_MORNING
  n.t.setNow(clock)
})

const REPORTER_TEXT = '我是李小明，住永和小区3号楼2单元501，电话13812341234。门口垃圾三天没人清运。'
const REPLY_TEXT = '已联系物业清运，如有问题请拨打网格电话0352-1234567或13900001111。'

const check = () => checkPendingPublicationsOnce(n.t.deps, n.client, { instanceId: 'test' })
const publication = (ticketId: string) => n.t.db.ds.getRepository(Publication).findOneBy({ ticketId })

async function board(query: Record<string, string | number> = {}): Promise<{ items: PublicTicketView[]; nextCursor: string | null }> {
  const res = await request(n.t.server).get('/api/public/tickets').query(query)
  expect(res.status).toBe(200)
  return PublicTicketPageSchema.parse(res.body)
}

/** Files a report as `reporter` and takes it through accept, reply and resolve. */
async function resolvedReport(overrides: Record<string, unknown> = {}, reply = REPLY_TEXT, reporter = w.users.R1) {
  const ticket = await fileTicket(n.t, reporter, reportBody(w, { allowPublication: true, description: REPORTER_TEXT, address: '永和小区3号楼2单元501', ...overrides }))
  const worker = ticket.assignee?.id === w.users.W1b.id ? w.users.W1b : w.users.W1
  await fireOk(n.t, worker, ticket.id, { event: 'accept' })
  await fireOk(n.t, worker, ticket.id, { event: 'reply', note: reply })
  await fireOk(n.t, worker, ticket.id, { event: 'resolve' })
  return { ticket, worker }
}

describe('the whole story (issue 3, “done when”)', () => {
  it('routes a 永和社区 report to the on-duty worker, and after accept, reply, resolve and rating shows it masked on the board and every step in the message centre', async () => {
    const ticket = await fileTicket(n.t, w.users.R1, reportBody(w, { allowPublication: true, description: REPORTER_TEXT }))
    expect(ticket.community?.name).toBe('永和社区')
    expect([w.users.W1.id, w.users.W1b.id]).toContain(ticket.assignee?.id)
    expect(ticket.routing.reason).toMatch(/\S/)
    const worker = ticket.assignee?.id === w.users.W1b.id ? w.users.W1b : w.users.W1
    await fireOk(n.t, worker, ticket.id, { event: 'accept' })
    await fireOk(n.t, worker, ticket.id, { event: 'reply', note: REPLY_TEXT })
    await fireOk(n.t, worker, ticket.id, { event: 'resolve' })
    await fireOk(n.t, w.users.R1, ticket.id, { event: 'rate', rating: { score: 5, comment: '很及时' } })
    await check()

    const item = (await board()).items.find((i) => i.id === ticket.id)
    expect(item).toMatchObject({ reporter: { displayName: '李*' }, community: { name: '永和社区' }, rating: { score: 5 } })
    expect(JSON.stringify(item)).not.toMatch(/李小明|13812341234|永和小区/)

    const inbox = await request(n.t.server).get('/api/messages').query({ limit: 50 }).set('Authorization', bearer(n.t.deps.config, w.users.R1))
    const steps = MessagePageSchema.parse(inbox.body)
      .items.filter((m) => m.ticketId === ticket.id)
      .map((m) => m.title)
    expect(steps).toEqual(['工单已办结', '工单有新回复', '工单已签收', '工单已分派'])
  })
})

describe('the public board', () => {
  it('shows a resolved ticket only after the content check, with personal data masked', async () => {
    const { ticket } = await resolvedReport()
    expect((await publication(ticket.id))?.state).toBe('pending')
    expect((await board()).items.find((i) => i.id === ticket.id)).toBeUndefined()

    const report = await check()
    expect(report.published).toBeGreaterThanOrEqual(1)
    const item = (await board()).items.find((i) => i.id === ticket.id)
    if (!item) throw new Error('not published')
    expect(item).toMatchObject({
      number: ticket.number,
      category: 'sanitation',
      categoryName: '环境卫生',
      reporter: { displayName: '李*' },
      community: { code: w.ca.code, name: '永和社区' },
      rating: null
    })
    expect(item.description).toBe('我是李*，住永和社区，电话138****1234。门口垃圾三天没人清运。')
    expect(item.reply).toBe('已联系物业清运，如有问题请拨打网格电话0352-***4567或139****1111。')
    const raw = JSON.stringify(item)
    for (const secret of ['李小明', '13812341234', '1234567', '13900001111', '3号楼', '永和小区', w.users.R1.id, 'openid-r1']) expect(raw).not.toContain(secret)
    expect(Date.parse(item.resolvedAt)).toBeGreaterThan(0)
    expect(Date.parse(item.publishedAt)).toBeGreaterThan(0)
    expect(n.fake.calls.msg_sec_check).toBeGreaterThan(0)
  })

  it('adds the rating once the resident rates, and withdraws the entry when the ticket is reopened', async () => {
    const { ticket } = await resolvedReport()
    await check()
    await fireOk(n.t, w.users.R1, ticket.id, { event: 'rate', rating: { score: 4, comment: '还行' } })
    const rated = (await board()).items.find((i) => i.id === ticket.id)
    expect(rated?.rating).toEqual({ score: 4 })
    expect(JSON.stringify(rated)).not.toContain('还行')

    await fireOk(n.t, w.users.R1, ticket.id, { event: 'reopen', note: '又堆上了' })
    expect((await board()).items.find((i) => i.id === ticket.id)).toBeUndefined()
    expect((await publication(ticket.id))?.state).toBe('withdrawn')

    const worker = [w.users.W1, w.users.W1b].find((u) => u.id === (ticket.assignee?.id ?? '')) ?? w.users.W1
    await fireOk(n.t, worker, ticket.id, { event: 'accept' })
    await fireOk(n.t, worker, ticket.id, { event: 'resolve', note: '再次清运完毕' })
    expect(await publication(ticket.id)).toMatchObject({ state: 'pending', reply: '再次清运完毕', rating: null, publishedAt: null })
    await check()
    expect((await board()).items.find((i) => i.id === ticket.id)?.reply).toBe('再次清运完毕')
  })

  it('never publishes a ticket whose reporter did not allow it', async () => {
    const { ticket } = await resolvedReport({ allowPublication: false })
    await check()
    expect(await publication(ticket.id)).toBeNull()
    expect((await board({ limit: 50 })).items.find((i) => i.id === ticket.id)).toBeUndefined()
  })

  it('never publishes an anonymous tip, and refuses one that asks to be published', async () => {
    const asked = await submitTicket(n.t, w.users.R1, { kind: 'fraud_tip', category: 'telecom_fraud', description: '冒充客服退款', location: w.g1.center, anonymous: true, allowPublication: true })
    expect(asked.status).toBe(400)
    expect(ProblemSchema.parse(asked.body).errors?.map((e) => e.path)).toContain('allowPublication')

    const tip = await fileTicket(n.t, w.users.R1, { kind: 'hazard_tip', category: 'gas', description: '楼下饭店燃气罐露天堆放', location: w.g1.center, anonymous: true })
    const handler = [w.users.W1, w.users.W1b, w.users.CSA].find((u) => u.id === tip.assignee?.id) ?? w.users.CSA
    await fireOk(n.t, handler, tip.id, { event: 'accept' })
    await fireOk(n.t, handler, tip.id, { event: 'resolve', note: '已督促整改' })
    await check()
    expect(await publication(tip.id)).toBeNull()
    expect((await board({ limit: 50 })).items.find((i) => i.id === tip.id)).toBeUndefined()
  })

  it('rejects risky text and holds text that needs review; neither is shown', async () => {
    const risky = await resolvedReport({ description: '门口有人贴违禁小广告' })
    const review = await resolvedReport({}, '已处理，情况可疑')
    await check()
    expect(await publication(risky.ticket.id)).toMatchObject({ state: 'rejected', checkResult: 'risky' })
    expect(await publication(review.ticket.id)).toMatchObject({ state: 'held', checkResult: 'review' })
    const ids = (await board({ limit: 50 })).items.map((i) => i.id)
    expect(ids).not.toContain(risky.ticket.id)
    expect(ids).not.toContain(review.ticket.id)
  })

  it('keeps the entry pending while WeChat is down, and publishes it on a later pass', async () => {
    const { ticket } = await resolvedReport()
    n.fake.failNext('msg_sec_check', -1)
    await check()
    expect(await publication(ticket.id)).toMatchObject({ state: 'pending', checkAttempts: 1, lastError: '-1 busy', publishedAt: null })
    expect((await board({ limit: 50 })).items.map((i) => i.id)).not.toContain(ticket.id)

    clock = new Date(clock.getTime() + 2 * 60_000)
    n.t.setNow(clock)
    n.fake.failNext('msg_sec_check', 'slow')
    const slowClient = createWeChatClient({ wechat: { ...n.t.deps.config.wechat, timeoutMs: 300 } }, { busyRetries: 0 })
    await checkPendingPublicationsOnce(n.t.deps, slowClient, { instanceId: 'test' })
    expect(await publication(ticket.id)).toMatchObject({ state: 'pending', checkAttempts: 2 })

    clock = new Date(clock.getTime() + 60 * 60_000)
    n.t.setNow(clock)
    await check()
    expect(await publication(ticket.id)).toMatchObject({ state: 'published', checkAttempts: 3 })
  })

  it('holds the entry for a person when the reporter has no WeChat openid to check with', async () => {
    const { ticket } = await resolvedReport({}, REPLY_TEXT, w.users.R3)
    await check()
    expect(await publication(ticket.id)).toMatchObject({ state: 'held', checkResult: 'no_openid' })
  })

  it('pages newest first without repeating or skipping an entry, and refuses a foreign cursor', async () => {
    const base = MONDAY_MORNING.getTime()
    await withWrite(n.t.db.ds, (em) =>
      em.getRepository(Publication).insert(
        Array.from({ length: 7 }, (_, i) => ({
          ticketId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
          state: 'published' as const,
          number: `PCTEST-${i}`,
          category: 'other',
          title: `第${i}条`,
          body: `第${i}条内容`,
          reply: null,
          communityCode: null,
          communityName: null,
          reporterName: '王*',
          rating: null,
          submittedAt: new Date(base - 86_400_000),
          resolvedAt: new Date(base - 3_600_000),
          // A day after the others, so these are the newest; two share each second: the ticket id breaks the tie.
          publishedAt: new Date(base + 86_400_000 + Math.floor(i / 2) * 1000),
          checkedAt: new Date(base),
          checkResult: 'pass',
          checkAttempts: 1,
          nextCheckAt: new Date(base),
          claimedBy: null,
          claimedUntil: null,
          lastError: null,
          updatedAt: new Date(base)
        }))
      )
    )
    const all = (await board({ limit: 50 })).items.map((i) => i.id)
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const page = await board({ limit: 3, ...(cursor ? { cursor } : {}) })
      seen.push(...page.items.map((i) => i.id))
      cursor = page.nextCursor
    } while (cursor)
    expect(seen).toEqual(all)
    expect(seen.slice(0, 2)).toEqual(['00000000-0000-4000-8000-000000000006', '00000000-0000-4000-8000-000000000005'])

    const bad = await request(n.t.server).get('/api/public/tickets').query({ cursor: 'forged' })
    expect(bad.status).toBe(400)
    expect(ProblemSchema.parse(bad.body).code).toBe('validation_failed')
  })
})
