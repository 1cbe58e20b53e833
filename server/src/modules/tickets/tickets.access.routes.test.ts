import { ProblemSchema, TicketDetailViewSchema, TicketListPageSchema, TicketViewSchema, type TicketView } from '@palm/shared'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bearer } from '../../../test/factories'
import { createTestContext, type TestContext } from '../../../test/test-app'
import { MONDAY_MORNING, createScopelessStaff, createTicketWorld, fileTicket, fire, getTicket, reportBody, type TicketWorld } from '../../../test/tickets-factories'
import type { User } from '../auth/user.entity'

/*
 * docs/security.md API1-1, API1-2, API1-4 as one table: role × scope × endpoint. Tickets: T1 (R1, G1),
 * T2 (R2, G2), T3 (R3, G3 in the other street), TA (R1's anonymous self-built-house tip in G1, also in
 * the housing bureau's queue), TF (R1's fraud tip in G1, the anti-fraud centre's queue only: hidden
 * from the grid and the community, seen by the street that oversees departments); R3 follows T1.
 * Deny is 404 for objects out of scope (existence not revealed), 403 for a function the caller's role
 * may not use on a ticket it can see.
 */
type TicketName = 'T1' | 'T2' | 'T3' | 'TA' | 'TF'
type ActorName = keyof TicketWorld['users'] | 'NOSCOPE'

const VISIBLE: Record<ActorName, TicketName[]> = {
  R1: ['T1', 'TA', 'TF'],
  R2: ['T2'],
  R3: ['T3', 'T1'],
  W1: ['T1', 'TA'],
  W1b: ['T1', 'TA'],
  W2: ['T2'],
  W3: ['T3'],
  CSA: ['T1', 'T2', 'TA'],
  CSB: ['T3'],
  SA1: ['T1', 'T2', 'TA', 'TF'],
  SA2: ['T3'],
  DA: ['T1', 'T2', 'T3', 'TA', 'TF'],
  DEP: ['TA'],
  DEPF: ['TF'],
  NOSCOPE: []
}

/** Who may urge (督办) what they can see: supervisors at or above the ticket's level. */
const MAY_URGE: Partial<Record<ActorName, TicketName[]>> = {
  CSA: ['T1', 'T2', 'TA'],
  CSB: ['T3'],
  SA1: ['T1', 'T2', 'TA', 'TF'],
  SA2: ['T3'],
  DA: ['T1', 'T2', 'T3', 'TA', 'TF']
}

let t: TestContext
let w: TicketWorld
const tickets = {} as Record<TicketName, TicketView>
const actors = {} as Record<ActorName, User>

beforeAll(async () => {
  t = await createTestContext()
  t.setNow(MONDAY_MORNING)
  w = await createTicketWorld(t.db.ds)
  Object.assign(actors, w.users, { NOSCOPE: await createScopelessStaff(t.db.ds, 'grid_worker') })
  tickets.T1 = await fileTicket(t, w.users.R1, reportBody(w))
  tickets.T2 = await fileTicket(t, w.users.R2, reportBody(w, { location: w.g2.center }))
  tickets.T3 = await fileTicket(t, w.users.R3, reportBody(w, { location: w.g3.center }))
  tickets.TA = await fileTicket(t, w.users.R1, {
    kind: 'hazard_tip',
    category: 'self_built_house',
    description: '邻居违规加盖三层，墙体开裂',
    location: w.g1.center,
    anonymous: true,
    details: { building: '永和小区北侧平房' }
  })
  tickets.TF = await fileTicket(t, w.users.R1, { kind: 'fraud_tip', category: 'telecom_fraud', description: '冒充客服要求转账', location: w.g1.center, details: { phone: '13800138000' } })
  const follow = await request(t.server).post(`/api/tickets/${tickets.T1.id}/follow`).set('Authorization', bearer(t.deps.config, w.users.R3))
  expect(follow.status).toBe(200)
})
afterAll(async () => {
  await t.close()
})

const ACTOR_NAMES = Object.keys(VISIBLE) as ActorName[]
const TICKET_NAMES: TicketName[] = ['T1', 'T2', 'T3', 'TA', 'TF']
const pairs = ACTOR_NAMES.flatMap((actor) => TICKET_NAMES.map((ticket) => ({ actor, ticket })))

describe('routing of the fixtures', () => {
  it('put the anonymous self-built-house tip in G1 and the housing queue, the fraud tip only in the anti-fraud queue', () => {
    expect(tickets.TA.grid?.code).toBe('066-012')
    expect(tickets.TA.department?.code).toBe('housing_bureau')
    expect(tickets.TF.level).toBe('department')
    expect(tickets.TF.department?.code).toBe('anti_fraud_centre')
  })
})

describe('GET /api/tickets/:id', () => {
  it.each(pairs)('$actor × $ticket', async ({ actor, ticket }) => {
    const res = await getTicket(t, actors[actor], tickets[ticket].id)
    if (VISIBLE[actor].includes(ticket)) {
      expect(res.status).toBe(200)
      expect(TicketDetailViewSchema.parse(res.body).id).toBe(tickets[ticket].id)
    } else {
      expect(res.status).toBe(404)
      expect(ProblemSchema.parse(res.body).code).toBe('ticket_not_found')
      expect(JSON.stringify(res.body)).not.toContain(tickets[ticket].number)
    }
  })
})

describe('a fraud tip’s clues', () => {
  it.each(['R1', 'DEPF'] as const)('reach %s (the reporter, the anti-fraud centre) in the full view', async (actor) => {
    const res = await getTicket(t, actors[actor], tickets.TF.id)
    expect(res.status).toBe(200)
    expect(TicketViewSchema.parse(res.body).details).toEqual({ phone: '13800138000' })
  })
})

describe('GET /api/tickets (inbox for staff, mine for citizens, every state)', () => {
  it.each(ACTOR_NAMES)('%s lists exactly the tickets it may see', async (actor) => {
    const res = await request(t.server).get('/api/tickets?state=all&limit=50').set('Authorization', bearer(t.deps.config, actors[actor]))
    expect(res.status).toBe(200)
    const ids = new Set(TicketListPageSchema.parse(res.body).items.map((i) => i.id))
    expect(TICKET_NAMES.filter((name) => ids.has(tickets[name].id)).sort()).toEqual([...VISIBLE[actor]].sort())
  })
})

describe('POST /api/tickets/:id/transitions (urge, which keeps the state)', () => {
  it.each(pairs)('$actor × $ticket', async ({ actor, ticket }) => {
    const res = await fire(t, actors[actor], tickets[ticket].id, { event: 'urge', note: '督办' })
    const expected = !VISIBLE[actor].includes(ticket) ? 404 : MAY_URGE[actor]?.includes(ticket) ? 200 : 403
    expect(res.status).toBe(expected)
    if (expected === 200) expect(TicketViewSchema.parse(res.body).state).toBe(tickets[ticket].state)
  })
})

describe('anonymous tips (API1-4)', () => {
  const staff: ActorName[] = ['W1', 'CSA', 'SA1', 'DA', 'DEP']
  const reporterTraces = () => [w.users.R1.id, w.users.R1.displayName]

  it.each(staff)('show %s no reporter: not the id, not the name, not a reporter field', async (actor) => {
    const detail = await getTicket(t, actors[actor], tickets.TA.id)
    const view = TicketViewSchema.parse(detail.body)
    expect(view.reporter).toBeUndefined()
    expect(view.timeline[0]).toMatchObject({ event: 'submit', actor: { role: 'resident', displayName: '匿名举报人' } })
    const listed = await request(t.server).get('/api/tickets?state=all&limit=50').set('Authorization', bearer(t.deps.config, actors[actor]))
    const row = TicketListPageSchema.parse(listed.body).items.find((i) => i.id === tickets.TA.id)
    expect(row).toBeDefined()
    for (const body of [JSON.stringify(detail.body), JSON.stringify(row)]) {
      for (const trace of reporterTraces()) expect(body).not.toContain(trace)
      expect(body).not.toMatch(/reporterId|openid|unionid/)
    }
  })

  it('let the reporter see the tip among their own', async () => {
    const res = await request(t.server).get('/api/tickets?view=mine&limit=50').set('Authorization', bearer(t.deps.config, w.users.R1))
    expect(TicketListPageSchema.parse(res.body).items.map((i) => i.id)).toContain(tickets.TA.id)
  })

  it('show staff the reporter’s name on an ordinary ticket, never the id', async () => {
    const view = TicketViewSchema.parse((await getTicket(t, w.users.CSA, tickets.T1.id)).body)
    expect(view.reporter).toEqual({ displayName: w.users.R1.displayName })
    expect(JSON.stringify(view)).not.toContain(w.users.R1.id)
  })
})
