import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bearer } from '../../../test/factories'
import { createNotifyContext, setGrants, TEMPLATE_IDS, type NotifyContext } from '../../../test/notifications-factories'
import { createTicketWorld, fileTicket, fireOk, reportBody, type TicketWorld } from '../../../test/tickets-factories'
import { relayOutboxOnce } from '../notifications/relay'
import { User } from './user.entity'

/*
 * A staff member who bound WeChat (POST /api/me/wechat) gets the staff subscribe messages: a new
 * assignment and 督办 reach the bound openid through the outbox relay and the fake WeChat server.
 */

let n: NotifyContext
let w: TicketWorld

beforeAll(async () => {
  n = await createNotifyContext()
  w = await createTicketWorld(n.t.db.ds)
})
afterAll(async () => {
  await n.close()
})

describe('subscribe messages to a staff member with a bound WeChat', () => {
  it('delivers the new assignment and the 督办 to the bound openid', async () => {
    const bind = await request(n.t.server).post('/api/me/wechat').set('Authorization', bearer(n.t.deps.config, w.users.W3)).send({ code: 'w3-phone' })
    expect(bind.status).toBe(200)
    const openid = (await n.t.db.ds.getRepository(User).findOneByOrFail({ id: w.users.W3.id })).openid
    expect(openid).toMatch(/^o/)
    await setGrants(n.t.db.ds, w.users.W3.id, 'ticket_assigned', 5)

    const ticket = await fileTicket(n.t, w.users.R2, reportBody(w, { location: w.g3.center }))
    expect(ticket.assignee?.id).toBe(w.users.W3.id)
    await fireOk(n.t, w.users.SA2, ticket.id, { event: 'urge', note: '请尽快处理' })
    await relayOutboxOnce(n.t.deps, n.client, { instanceId: 'staff-wechat' })

    const toWorker = n.fake.sentMessages.filter((m) => m.touser === openid)
    expect(toWorker.map((m) => m.template_id)).toEqual([TEMPLATE_IDS.ticket_assigned, TEMPLATE_IDS.ticket_assigned])
    expect(toWorker.every((m) => m.page?.includes(ticket.id))).toBe(true)
  })
})
