import { NearbyTicketsViewSchema, ProblemSchema, TicketListPageSchema, TicketPublicSummaryViewSchema, TicketPublicViewSchema, TicketViewSchema, type TicketView } from '@palm/shared'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bearer } from '../../../test/factories'
import { createTestContext, type TestContext } from '../../../test/test-app'
import { MONDAY_MORNING, createTicketWorld, fileTicket, fireOk, getTicket, reportBody, uploadPhoto, type TicketWorld } from '../../../test/tickets-factories'
import type { User } from '../auth/user.entity'
import { TicketFollower } from './ticket.entity'

/*
 * Issue 14.1: a resident who follows another resident's ticket sees only what the public board would
 * show of it (docs/privacy-of-tickets.md). R1 reports with a phone and an ID number in the text, an
 * exact address and a photo; R3 follows. PRIVATE is published-not-allowed, PUBLISHABLE allows it.
 */
const PHONE = '13812345678'
const ID_NUMBER = '140202199001011234'
const ADDRESS = '永和小区3号楼2单元501室'
const TEXT = `楼道垃圾三天没人清运，我是李小明，电话${PHONE}，身份证${ID_NUMBER}，住${ADDRESS}`

let t: TestContext
let w: TicketWorld
let privateTicket: TicketView
let publishable: TicketView
let photoId: string

const as = (user: Pick<User, 'id' | 'role'>) => bearer(t.deps.config, user)
const follow = (id: string) => request(t.server).post(`/api/tickets/${id}/follow`).set('Authorization', as(w.users.R3))

/** Every trace of the reporter's own words, place and photos that must not reach a follower. */
function expectNoPrivateTraces(body: unknown) {
  const text = JSON.stringify(body)
  for (const trace of [PHONE, ID_NUMBER, ADDRESS, '李小明', photoId, '/api/uploads/', String(w.g1.center.lat), w.users.R1.id]) {
    expect(text).not.toContain(trace)
  }
  expect(text).not.toMatch(/"address"|"location"|"details"|"attachments"|"reporter"/)
}

beforeAll(async () => {
  t = await createTestContext()
  t.setNow(MONDAY_MORNING)
  w = await createTicketWorld(t.db.ds)
  photoId = await uploadPhoto(t, w.users.R1)
  privateTicket = await fileTicket(t, w.users.R1, reportBody(w, { description: TEXT, address: ADDRESS, attachmentIds: [photoId], allowPublication: false }))
  publishable = await fileTicket(t, w.users.R1, reportBody(w, { description: TEXT, address: ADDRESS, allowPublication: true }))
  for (const ticket of [privateTicket, publishable]) expect((await follow(ticket.id)).status).toBe(200)
})
afterAll(async () => {
  await t.close()
})

describe('a follower of a ticket whose reporter allowed no publication', () => {
  it('gets the public view from GET /api/tickets/:id: state and community, no text, place, photo or reporter', async () => {
    const res = await getTicket(t, w.users.R3, privateTicket.id)
    expect(res.status).toBe(200)
    const view = TicketPublicViewSchema.parse(res.body)
    expect(view).toMatchObject({ visibility: 'public', id: privateTicket.id, state: privateTicket.state, description: null, community: { code: w.ca.code } })
    expect(view.viewer).toEqual({ isReporter: false, isFollower: true })
    expectNoPrivateTraces(res.body)
  })

  it('gets the public view back from POST /follow', async () => {
    const res = await follow(privateTicket.id)
    expect(res.status).toBe(200)
    expect(TicketPublicViewSchema.parse(res.body).description).toBeNull()
    expectNoPrivateTraces(res.body)
  })

  it('sees the public summary in GET /api/tickets (view=mine)', async () => {
    const res = await request(t.server).get('/api/tickets?view=mine&limit=50').set('Authorization', as(w.users.R3))
    expect(res.status).toBe(200)
    const page = TicketListPageSchema.parse(res.body)
    const rows = page.items.filter((i) => i.id === privateTicket.id || i.id === publishable.id)
    expect(rows).toHaveLength(2)
    for (const row of rows) {
      expect(TicketPublicSummaryViewSchema.parse(row).visibility).toBe('public')
      expectNoPrivateTraces(row)
    }
  })
})

describe('a follower of a ticket whose reporter allowed publication', () => {
  it('sees the text masked as the public board masks it, the address cut to the community', async () => {
    const view = TicketPublicViewSchema.parse((await getTicket(t, w.users.R3, publishable.id)).body)
    expect(view.description).toContain('138****5678')
    expect(view.description).toContain('1402**********1234')
    expect(view.description).toContain('李*')
    expect(view.description).toContain('永和社区')
    expectNoPrivateTraces(view)
  })

  it('sees staff replies masked, and no rating comment nor the reporter’s notes', async () => {
    const worker = publishable.assignee?.id === w.users.W1.id ? w.users.W1 : w.users.W1b
    await fireOk(t, worker, publishable.id, { event: 'accept' })
    await fireOk(t, worker, publishable.id, { event: 'reply', note: `已联系李小明（${PHONE}），明早清运` })
    await fireOk(t, worker, publishable.id, { event: 'resolve', note: '已清运完毕' })
    await fireOk(t, w.users.R1, publishable.id, { event: 'rate', rating: { score: 2, comment: `还是脏，打我电话${PHONE}` } })
    const res = await getTicket(t, w.users.R3, publishable.id)
    const view = TicketPublicViewSchema.parse(res.body)
    expect(view.timeline.find((e) => e.event === 'reply')?.note).toBe('已联系李*（138****5678），明早清运')
    expect(view.timeline.find((e) => e.event === 'resolve')?.note).toBe('已清运完毕')
    expect(view.timeline.find((e) => e.event === 'rate')?.note).toBeNull()
    expect(view.rating).toEqual({ score: 2 })
    expect(JSON.stringify(res.body)).not.toContain('还是脏')
    expect(JSON.stringify(res.body)).not.toContain(worker.displayName)
    expectNoPrivateTraces(res.body)
  })

  it('still lets the follower rate and reopen (the actions stay), answered with the public view', async () => {
    const view = TicketPublicViewSchema.parse((await getTicket(t, w.users.R3, publishable.id)).body)
    expect(view.actions).toContain('reopen')
    const reopened = await request(t.server).post(`/api/tickets/${publishable.id}/transitions`).set('Authorization', as(w.users.R3)).send({ event: 'reopen', note: '还没有清理干净' })
    expect(reopened.status).toBe(200)
    expect(TicketPublicViewSchema.parse(reopened.body).state).toBe('assigned')
    expectNoPrivateTraces(reopened.body)
  })
})

describe('the reporter and the staff in scope', () => {
  it('still see the whole ticket: text, address, location and photo', async () => {
    for (const user of [w.users.R1, w.users.W1]) {
      const view = TicketViewSchema.parse((await getTicket(t, user, privateTicket.id)).body)
      expect(view.description).toBe(TEXT)
      expect(view.address).toBe(ADDRESS)
      expect(view.location).toEqual({ ...w.g1.center, coordSystem: 'wgs84' })
      expect(view.attachments.map((a) => a.id)).toEqual([photoId])
    }
  })
})

describe('nearby', () => {
  it('shows the summary of a publishable ticket masked, and none of a private one', async () => {
    const res = await request(t.server).get('/api/tickets/nearby').query({ lat: w.g1.center.lat, lng: w.g1.center.lng, category: 'sanitation' }).set('Authorization', as(w.users.R2))
    expect(res.status).toBe(200)
    const items = NearbyTicketsViewSchema.parse(res.body).items
    expect(items.find((i) => i.id === privateTicket.id)?.summary).toBeUndefined()
    const summary = items.find((i) => i.id === publishable.id)?.summary ?? ''
    expect(summary).toContain('李*')
    expect(summary).toContain('138****5678')
    expect(JSON.stringify(res.body)).not.toContain(PHONE)
    expect(JSON.stringify(res.body)).not.toContain(ID_NUMBER)
  })
})

describe('fraud and hazard tips', () => {
  it('are not offered nearby and cannot be followed (404, no follower row)', async () => {
    const tip = await fileTicket(t, w.users.R1, { kind: 'fraud_tip', category: 'telecom_fraud', description: `冒充客服，对方电话${PHONE}`, location: w.g1.center })
    const nearby = await request(t.server).get('/api/tickets/nearby').query({ lat: w.g1.center.lat, lng: w.g1.center.lng, category: 'telecom_fraud' }).set('Authorization', as(w.users.R2))
    expect(NearbyTicketsViewSchema.parse(nearby.body).items.map((i) => i.id)).not.toContain(tip.id)
    const res = await follow(tip.id)
    expect(res.status).toBe(404)
    expect(ProblemSchema.parse(res.body).code).toBe('ticket_not_found')
    expect(await t.db.ds.getRepository(TicketFollower).countBy({ ticketId: tip.id })).toBe(0)
    expect((await getTicket(t, w.users.R3, tip.id)).status).toBe(404)
  })

  it('show a follower from before (a row already there) their state only', async () => {
    const tip = await fileTicket(t, w.users.R1, { kind: 'hazard_tip', category: 'self_built_house', description: `隔壁加盖三层，房主电话${PHONE}`, location: w.g1.center, allowPublication: true })
    await t.db.ds.getRepository(TicketFollower).insert({ ticketId: tip.id, userId: w.users.R3.id, createdAt: MONDAY_MORNING })
    const res = await getTicket(t, w.users.R3, tip.id)
    const view = TicketPublicViewSchema.parse(res.body)
    expect(view.description).toBeNull()
    expect(view.community).toBeUndefined()
    expect(view.state).toBe(tip.state)
    expect(JSON.stringify(res.body)).not.toContain(PHONE)
  })
})
