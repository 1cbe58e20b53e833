import { MessagePageSchema, ProblemSchema, PublicTicketPageSchema, ReviewQueueViewSchema } from '@palm/shared'
import request from 'supertest'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { bearer } from '../../../test/factories'
import { createNotifyContext, setOpenid, type NotifyContext } from '../../../test/notifications-factories'
import { MONDAY_MORNING, createTicketWorld, fileTicket, fireOk, reportBody, type TicketWorld } from '../../../test/tickets-factories'
import type { User } from '../auth/user.entity'
import { checkPendingPublicationsOnce } from './content-check'
import { Publication } from './publication.entity'
import { AuditEvent } from '../audit/index'

let n: NotifyContext
let w: TicketWorld

beforeAll(async () => {
  n = await createNotifyContext()
  w = await createTicketWorld(n.t.db.ds)
  await setOpenid(n.t.db.ds, w.users.R1, 'openid-r1')
})
afterAll(async () => {
  await n.close()
})
beforeEach(() => {
  n.t.setNow(MONDAY_MORNING)
})

const auth = (u: Pick<User, 'id' | 'role'>) => bearer(n.t.deps.config, u)
const publication = (ticketId: string) => n.t.db.ds.getRepository(Publication).findOneByOrFail({ ticketId })
const check = () => checkPendingPublicationsOnce(n.t.deps, n.client, { instanceId: 'test' })
/**
 * The board's free text (title, report, reply, names): where personal data could leak. Not the ids,
 * numbers and times, in which a short secret like a room number turns up by chance (a uuid with
 * "301" in it failed a CI run).
 */
async function boardItems() {
  const res = await request(n.t.server).get('/api/public/tickets').query({ limit: 50 })
  return PublicTicketPageSchema.parse(res.body).items
}
async function boardText(): Promise<string> {
  return JSON.stringify((await boardItems()).map((i) => [i.title, i.description, i.reply, i.reporter.displayName, i.community?.name]))
}
const boardTicketIds = async () => (await boardItems()).map((i) => i.id)

/** Files `description` as R1 with publication allowed, and takes it to resolved with `reply`. */
async function resolved(description: string, reply = '已处理完毕。') {
  const ticket = await fileTicket(n.t, w.users.R1, reportBody(w, { allowPublication: true, description, address: '御东小区' }))
  const worker = ticket.assignee?.id === w.users.W1b.id ? w.users.W1b : w.users.W1
  await fireOk(n.t, worker, ticket.id, { event: 'accept' })
  await fireOk(n.t, worker, ticket.id, { event: 'reply', note: reply })
  await fireOk(n.t, worker, ticket.id, { event: 'resolve' })
  return { ticket, worker }
}

describe('free text with personal data never reaches the board raw', () => {
  it.each([
    ['a name after 我叫', '我叫王小明，门口垃圾没人清运', '王小明'],
    ['a mobile number', '请打13912345678联系我，楼道灯坏了', '13912345678'],
    ['an ID number', '身份证11010519491231002X的老人需要帮助', '11010519491231002X'],
    ['a licence plate', '晋B·A1234天天堵消防通道', 'A1234'],
    ['an exact address', '平城路12号院5号楼2单元301室下水道堵了', '301']
  ])('masks or holds %s', async (_what, description, secret) => {
    const { ticket } = await resolved(description)
    await check()
    const row = await publication(ticket.id)
    expect(row.body).not.toContain(secret)
    expect(['published', 'held']).toContain(row.state)
    expect(await boardText()).not.toContain(secret)
  })
})

describe('the review queue of held items', () => {
  it('holds an unsure text for the community, which another community does not see or release (404, nothing changed)', async () => {
    const { ticket } = await resolved('隔壁小芳女士天天半夜唱歌，编号7788990')
    expect(await publication(ticket.id)).toMatchObject({ state: 'held', checkResult: 'pii_unsure' })
    expect(await boardTicketIds()).not.toContain(ticket.id)

    const mine = await request(n.t.server).get('/api/publication/review').query({ communityCode: w.ca.code }).set('Authorization', auth(w.users.CSA))
    expect(mine.status).toBe(200)
    expect(ReviewQueueViewSchema.parse(mine.body).items.map((i) => i.ticketId)).toContain(ticket.id)

    const other = await request(n.t.server).get('/api/publication/review').set('Authorization', auth(w.users.CSB))
    expect(ReviewQueueViewSchema.parse(other.body).items.map((i) => i.ticketId)).not.toContain(ticket.id)
    const release = await request(n.t.server).post(`/api/publication/review/${ticket.id}/release`).set('Authorization', auth(w.users.CSB)).send({})
    expect(release.status).toBe(404)
    expect(ProblemSchema.parse(release.body).code).toBe('not_found')
    expect((await publication(ticket.id)).state).toBe('held')
  })

  it('refuses the queue to residents (403) and changes nothing', async () => {
    const res = await request(n.t.server).get('/api/publication/review').set('Authorization', auth(w.users.R1))
    expect(res.status).toBe(403)
    const { ticket } = await resolved('隔壁小丽女士家漏水，编号5566778')
    const release = await request(n.t.server).post(`/api/publication/review/${ticket.id}/release`).set('Authorization', auth(w.users.R1)).send({})
    expect(release.status).toBe(403)
    expect((await publication(ticket.id)).state).toBe('held')
  })

  it('publishes a released item with the text the reviewer masked, and answers 409 publication_not_held to a second decision', async () => {
    const { ticket } = await resolved('隔壁小芳女士天天半夜唱歌，编号7788991')
    const res = await request(n.t.server).post(`/api/publication/review/${ticket.id}/release`).set('Authorization', auth(w.users.CSA)).send({ maskedText: '邻居天天半夜唱歌，电话13912345678' })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ ticketId: ticket.id, state: 'published' })
    const text = await boardText()
    expect(text).toContain('邻居天天半夜唱歌')
    expect(text).not.toContain('13912345678')
    expect(text).not.toContain('小芳')
    const again = await request(n.t.server).post(`/api/publication/review/${ticket.id}/withhold`).set('Authorization', auth(w.users.CSA))
    expect(again.status).toBe(409)
    expect(ProblemSchema.parse(again.body).code).toBe('publication_not_held')
    expect((await publication(ticket.id)).state).toBe('published')
  })

  it('keeps a withheld item off the board', async () => {
    const { ticket } = await resolved('隔壁小芳女士天天半夜唱歌，编号7788992')
    const res = await request(n.t.server).post(`/api/publication/review/${ticket.id}/withhold`).set('Authorization', auth(w.users.SA1))
    expect(res.status).toBe(200)
    expect((await publication(ticket.id)).state).toBe('rejected')
    expect(await boardTicketIds()).not.toContain(ticket.id)
  })
})

describe('the audit trail of review decisions', () => {
  const rows = (objectId: string) => n.t.db.ds.getRepository(AuditEvent).find({ where: { objectType: 'ticket', objectId }, order: { seq: 'ASC' } })
  const decisions = async (objectId: string) => (await rows(objectId)).filter((r) => r.action.startsWith('publication.'))

  it('a release and a withhold each leave one row naming the reviewer; a refused one (404, 409) none', async () => {
    const { ticket } = await resolved('隔壁小芳女士天天半夜唱歌，编号7788993')
    const other = await request(n.t.server).post(`/api/publication/review/${ticket.id}/release`).set('Authorization', auth(w.users.CSB)).send({})
    expect(other.status).toBe(404)
    expect(await decisions(ticket.id)).toEqual([])
    const res = await request(n.t.server).post(`/api/publication/review/${ticket.id}/release`).set('Authorization', auth(w.users.CSA)).send({ maskedText: '邻居天天半夜唱歌' })
    expect(res.status).toBe(200)
    expect(await decisions(ticket.id)).toMatchObject([{ action: 'publication.release', actorId: w.users.CSA.id, actorRole: 'community_staff' }])
    const again = await request(n.t.server).post(`/api/publication/review/${ticket.id}/withhold`).set('Authorization', auth(w.users.CSA))
    expect(again.status).toBe(409)
    expect(await decisions(ticket.id)).toHaveLength(1)

    const held = await resolved('隔壁小芳女士天天半夜唱歌，编号7788994')
    expect((await request(n.t.server).post(`/api/publication/review/${held.ticket.id}/withhold`).set('Authorization', auth(w.users.SA1))).status).toBe(200)
    expect(await decisions(held.ticket.id)).toMatchObject([{ action: 'publication.withhold', actorId: w.users.SA1.id }])
  })
})

describe('messages to followers', () => {
  it("carry the staff's note masked, while the reporter reads it as written", async () => {
    const ticket = await fileTicket(n.t, w.users.R1, reportBody(w, { description: '路灯不亮' }))
    const follow = await request(n.t.server).post(`/api/tickets/${ticket.id}/follow`).set('Authorization', auth(w.users.R2))
    expect(follow.status).toBe(200)
    const worker = ticket.assignee?.id === w.users.W1b.id ? w.users.W1b : w.users.W1
    await fireOk(n.t, worker, ticket.id, { event: 'accept' })
    await fireOk(n.t, worker, ticket.id, { event: 'reply', note: '已联系电工王建国先生，电话13912345678' })
    const inbox = async (u: User) => {
      const res = await request(n.t.server).get('/api/messages').query({ limit: 50 }).set('Authorization', auth(u))
      return MessagePageSchema.parse(res.body)
        .items.filter((m) => m.ticketId === ticket.id && m.title === '工单有新回复')
        .map((m) => m.body)
        .join('\n')
    }
    const follower = await inbox(w.users.R2)
    expect(follower).toContain('139****5678')
    expect(follower).not.toMatch(/13912345678|王建国/)
    expect(await inbox(w.users.R1)).toContain('13912345678')
  })
})
