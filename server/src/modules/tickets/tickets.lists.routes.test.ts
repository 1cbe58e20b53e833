import { NearbyTicketsViewSchema, ProblemSchema, TicketListPageSchema, TicketPageSchema, TicketPublicViewSchema, type TicketListItem } from '@palm/shared'
import request from 'supertest'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { bearer } from '../../../test/factories'
import { createTestContext, type TestContext } from '../../../test/test-app'
import { MONDAY_MORNING, createTicketWorld, fileTicket, fire, fireOk, getTicket, reportBody, type TicketWorld } from '../../../test/tickets-factories'
import type { User } from '../auth/user.entity'
import { TicketFollower } from './ticket.entity'

let t: TestContext
let w: TicketWorld

beforeAll(async () => {
  t = await createTestContext()
  w = await createTicketWorld(t.db.ds)
})
afterAll(async () => {
  await t.close()
})
beforeEach(() => {
  t.setNow(MONDAY_MORNING)
})

function list(user: Pick<User, 'id' | 'role'>, query = '') {
  return request(t.server).get(`/api/tickets${query}`).set('Authorization', bearer(t.deps.config, user))
}

async function allPages(user: Pick<User, 'id' | 'role'>, query: string, limit: number): Promise<TicketListItem[]> {
  const items: TicketListItem[] = []
  let cursor: string | null | undefined
  for (let page = 0; page < 50; page++) {
    const res = await list(user, `${query}${query ? '&' : '?'}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`)
    expect(res.status).toBe(200)
    const body = TicketListPageSchema.parse(res.body)
    expect(body.items.length).toBeLessThanOrEqual(limit)
    items.push(...body.items)
    cursor = body.nextCursor
    if (!cursor) return items
  }
  throw new Error('too many pages')
}

/** A point about `metres` north of (lat, lng). */
const north = (p: { lat: number; lng: number }, metres: number) => ({ lat: p.lat + metres / 111_320, lng: p.lng })

describe('GET /api/tickets: inboxes', () => {
  it('sorts the inbox by due time then id and pages it by keyset without gaps or repeats', async () => {
    // Categories with different accept limits give different due times: 30 min, 1 h, 2 h.
    for (const category of ['sanitation', 'safety_hazard', 'epidemic_prevention', 'public_facilities', 'sanitation', 'other']) {
      await fileTicket(t, w.users.R2, reportBody(w, { category, location: w.g2.center }))
    }
    const single = TicketPageSchema.parse((await list(w.users.W2, '?limit=50')).body).items
    const paged = await allPages(w.users.W2, '', 2)
    expect(paged.map((i) => i.id)).toEqual(single.map((i) => i.id))
    expect(new Set(paged.map((i) => i.id)).size).toBe(paged.length)
    const keys = paged.map((i) => [i.dueAt, i.id] as const)
    expect([...keys].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : 1))).toEqual(keys)
    expect(paged.every((i) => 'grid' in i && i.grid?.code === w.g2.code)).toBe(true)
  })

  it('filters by state, category and overdue', async () => {
    const a = await fileTicket(t, w.users.R3, reportBody(w, { location: w.g3.center }))
    await fileTicket(t, w.users.R3, reportBody(w, { location: w.g3.center, category: 'public_facilities' }))
    await fireOk(t, w.users.W3, a.id, { event: 'accept' })
    const accepted = TicketPageSchema.parse((await list(w.users.W3, '?state=accepted')).body).items
    expect(accepted.map((i) => i.id)).toEqual([a.id])
    const facilities = TicketPageSchema.parse((await list(w.users.W3, '?category=public_facilities')).body).items
    expect(facilities.every((i) => i.category === 'public_facilities')).toBe(true)
    expect(TicketPageSchema.parse((await list(w.users.W3, '?overdue=true')).body).items).toEqual([])
    t.setNow(new Date(MONDAY_MORNING.getTime() + 30 * 24 * 3_600_000))
    const overdue = TicketPageSchema.parse((await list(w.users.W3, '?overdue=true')).body).items
    expect(overdue.length).toBe(2)
    expect(overdue.every((i) => i.overdue)).toBe(true)
  })

  it('returns 403 for a resident asking for an inbox, and 400 for a forged cursor or a huge page', async () => {
    expect((await list(w.users.R1, '?view=inbox')).status).toBe(403)
    const bad = await list(w.users.DA, '?cursor=bm90LWEtY3Vyc29y')
    expect(bad.status).toBe(400)
    expect(ProblemSchema.parse(bad.body).errors?.[0]?.path).toBe('cursor')
    expect((await list(w.users.DA, '?limit=100000')).status).toBe(400)
  })

  it('shows a resident their own and followed tickets, newest first', async () => {
    const own = await fileTicket(t, w.users.R1, reportBody(w))
    t.setNow(new Date(MONDAY_MORNING.getTime() + 60_000))
    const theirs = await fileTicket(t, w.users.R2, reportBody(w, { description: '路灯不亮' }))
    expect((await request(t.server).post(`/api/tickets/${theirs.id}/follow`).set('Authorization', bearer(t.deps.config, w.users.R1))).status).toBe(200)
    const items = await allPages(w.users.R1, '?view=mine', 1)
    const ids = items.map((i) => i.id)
    expect(ids.indexOf(theirs.id)).toBeLessThan(ids.indexOf(own.id))
    expect(items.every((i) => i.viewer.isReporter || i.viewer.isFollower)).toBe(true)
  })
})

describe('nearby tickets and following', () => {
  it('finds open tickets of the category within 250 m, nearest first, with no reporter or address', async () => {
    const point = { lat: 40.0512, lng: 113.2512 }
    const near = await fileTicket(t, w.users.R1, reportBody(w, { location: point, category: 'public_facilities', allowPublication: true, description: '小区东门路灯坏了很久' }))
    const far = await fileTicket(t, w.users.R1, reportBody(w, { location: north(point, 400), category: 'public_facilities' }))
    const res = await request(t.server)
      .get(`/api/tickets/nearby?lat=${north(point, 100).lat}&lng=${point.lng}&category=public_facilities`)
      .set('Authorization', bearer(t.deps.config, w.users.R2))
    expect(res.status).toBe(200)
    const { items } = NearbyTicketsViewSchema.parse(res.body)
    const ids = items.map((i) => i.id)
    expect(ids).toContain(near.id)
    expect(ids).not.toContain(far.id)
    const hit = items.find((i) => i.id === near.id)
    expect(hit?.distance).toBeGreaterThan(90)
    expect(hit?.distance).toBeLessThan(110)
    expect(hit?.summary).toBe('小区东门路灯坏了很久')
    expect(JSON.stringify(res.body)).not.toContain(w.users.R1.displayName)
    const other = await request(t.server).get(`/api/tickets/nearby?lat=${point.lat}&lng=${point.lng}&category=sanitation`).set('Authorization', bearer(t.deps.config, w.users.R2))
    expect(NearbyTicketsViewSchema.parse(other.body).items.map((i) => i.id)).not.toContain(near.id)
  })

  it('lets a resident follow once (idempotently), then see, rate and reopen the ticket', async () => {
    const ticket = await fileTicket(t, w.users.R1, reportBody(w))
    expect((await getTicket(t, w.users.R2, ticket.id)).status).toBe(404)
    for (let i = 0; i < 2; i++) {
      const res = await request(t.server).post(`/api/tickets/${ticket.id}/follow`).set('Authorization', bearer(t.deps.config, w.users.R2))
      expect(res.status).toBe(200)
      const view = TicketPublicViewSchema.parse(res.body)
      expect(view.viewer).toEqual({ isReporter: false, isFollower: true })
      expect(res.body).not.toHaveProperty('reporter')
      expect(res.body).not.toHaveProperty('address')
      expect(view.timeline[0]?.actor).toEqual({ role: 'resident' })
    }
    expect(await t.db.ds.getRepository(TicketFollower).countBy({ ticketId: ticket.id })).toBe(1)
    const worker = ticket.assignee?.id === w.users.W1.id ? w.users.W1 : w.users.W1b
    await fireOk(t, worker, ticket.id, { event: 'accept' })
    await fireOk(t, worker, ticket.id, { event: 'resolve', note: '已处理' })
    await expectStatus(fire(t, w.users.R2, ticket.id, { event: 'cancel' }), 409)
    const rated = await fire(t, w.users.R2, ticket.id, { event: 'rate', rating: { score: 2 } })
    // An unsatisfied rating keeps the ticket resolved until its 回访 (docs/handling.md); the rating is recorded.
    expect(TicketPublicViewSchema.parse(rated.body)).toMatchObject({ state: 'resolved', rating: { score: 2 } })
    const reopened = await fire(t, w.users.R2, ticket.id, { event: 'reopen', note: '并没有处理' })
    expect(TicketPublicViewSchema.parse(reopened.body).state).toBe('assigned')
  })

  it('refuses following an anonymous tip (404) and following by staff (403)', async () => {
    const tip = await fileTicket(t, w.users.R1, { kind: 'hazard_tip', category: 'gas', description: '楼下饭店煤气罐露天堆放', location: w.g1.center, anonymous: true })
    expect((await request(t.server).post(`/api/tickets/${tip.id}/follow`).set('Authorization', bearer(t.deps.config, w.users.R2))).status).toBe(404)
    const ticket = await fileTicket(t, w.users.R1, reportBody(w))
    expect((await request(t.server).post(`/api/tickets/${ticket.id}/follow`).set('Authorization', bearer(t.deps.config, w.users.W3))).status).toBe(403)
  })
})

async function expectStatus(res: Promise<request.Response>, status: number) {
  expect((await res).status).toBe(status)
}
