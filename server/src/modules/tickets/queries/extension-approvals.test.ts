import { approverRoleFor, type Role, type TicketSummaryView } from '@palm/shared'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bearer } from '../../../../test/factories'
import { createTestContext, type TestContext } from '../../../../test/test-app'
import { MONDAY_MORNING, createTicketWorld, fileTicket, reportBody, type TicketWorld } from '../../../../test/tickets-factories'
import { Ticket } from '../ticket.entity'

/*
 * 待审批延期 (docs/handling.md): `GET /api/tickets?toApprove=1` lists the pending extensions the caller
 * decides. Its SQL must say what approverRoleFor says, for every queue level and handler role.
 */
let t: TestContext
let w: TicketWorld

beforeAll(async () => {
  t = await createTestContext({ rateLimitScale: 1000 })
  w = await createTicketWorld(t.db.ds)
  t.setNow(MONDAY_MORNING)
})
afterAll(async () => {
  await t.close()
})

type Who = 'W1' | 'CSA' | 'SA1' | 'DA' | 'DEP'
const LEVELS = ['grid', 'community', 'street', 'district', 'department'] as const
const HANDLERS: Array<Who | null> = [null, 'W1', 'CSA', 'SA1', 'DA', 'DEP']

async function inbox(who: Who, query: string): Promise<TicketSummaryView[]> {
  const res = await request(t.server).get(`/api/tickets?view=inbox&state=all&limit=50${query}`).set('Authorization', bearer(t.deps.config, w.users[who]))
  expect(res.status, JSON.stringify(res.body)).toBe(200)
  return (res.body as { items: TicketSummaryView[] }).items
}

describe('待审批延期: the pending extensions the caller decides', () => {
  it('lists for each approver exactly the tickets approverRoleFor gives them, within their scope, for every level × handler', async () => {
    const expectedApprover = new Map<string, Role>()
    for (const level of LEVELS) {
      for (const handler of HANDLERS) {
        const ticket = await fileTicket(t, w.users.R1, reportBody(w))
        const assignee = handler ? w.users[handler] : null
        await t.db.ds.getRepository(Ticket).update(
          { id: ticket.id },
          {
            level,
            assigneeId: assignee?.id ?? null,
            departmentCode: level === 'department' ? 'housing_bureau' : null,
            state: 'accepted',
            extensionState: 'pending',
            extensionDueAt: new Date(MONDAY_MORNING.getTime() + 9 * 86_400_000)
          }
        )
        expectedApprover.set(ticket.id, approverRoleFor(level, (assignee?.role as Role | undefined) ?? null))
      }
    }
    // One more whose extension was already decided: on nobody's list.
    const decided = await fileTicket(t, w.users.R1, reportBody(w))
    await t.db.ds.getRepository(Ticket).update({ id: decided.id }, { state: 'accepted', extensionState: 'approved' })

    let listed = 0
    for (const who of ['CSA', 'SA1', 'DA'] as const) {
      const inScope = new Set((await inbox(who, '')).map((i) => i.id))
      const mine = (await inbox(who, '&toApprove=1')).map((i) => i.id).sort()
      const expected = [...expectedApprover]
        .filter(([id, role]) => role === w.users[who].role && inScope.has(id))
        .map(([id]) => id)
        .sort()
      expect(mine, who).toEqual(expected)
      expect(mine).not.toContain(decided.id)
      listed += mine.length
    }
    // Every combination that the three can see went to one of them (the street's own queue included).
    expect(listed).toBeGreaterThan(LEVELS.length)
  })

  it('gives roles that never decide an extension an empty list', async () => {
    expect(await inbox('W1', '&toApprove=1')).toEqual([])
    expect(await inbox('DEP', '&toApprove=1')).toEqual([])
  })

  it('refuses a flag that is not one', async () => {
    const res = await request(t.server).get('/api/tickets?view=inbox&toApprove=maybe').set('Authorization', bearer(t.deps.config, w.users.DA))
    expect(res.status).toBe(400)
    expect((res.body as { code: string }).code).toBe('validation_failed')
  })
})
