import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HotspotViewSchema } from '@palm/shared'
import { createTestContext, type TestContext } from '../../../test/test-app'
import { bearer } from '../../../test/factories'
import { insertTicketRow } from '../../../test/routing-factories'
import { createTicketWorld, MONDAY_MORNING, type TicketWorld } from '../../../test/tickets-factories'
import { withTx } from '../../db/tx'
import { Message } from '../notifications/index'
import { detectHotspots, HOTSPOT_RULE, isHot } from './hotspots'
import { rebuildStats } from './rebuild'

let t: TestContext
let w: TicketWorld
const DAY = 86_400_000
const daysAgo = (n: number, hour = 3) => new Date(MONDAY_MORNING.getTime() - n * DAY + hour * 3_600_000 - 2 * 3_600_000)

/** Generated history: `perWeek` tickets a week over the baseline weeks, then `recent` in the last days. */
async function generate(grid: { code: string; communityCode: string; streetCode: string }, category: string, perWeek: number, recent: number) {
  const ids: string[] = []
  for (let week = 1; week <= HOTSPOT_RULE.baselineWeeks; week++) {
    for (let i = 0; i < perWeek; i++)
      await insertTicketRow(t.db.ds, { gridCode: grid.code, communityCode: grid.communityCode, streetCode: grid.streetCode, category, state: 'closed', createdAt: daysAgo(week * 7 + i) })
  }
  for (let i = 0; i < recent; i++) {
    const row = await insertTicketRow(t.db.ds, { gridCode: grid.code, communityCode: grid.communityCode, streetCode: grid.streetCode, category, state: 'assigned', createdAt: daysAgo(i % 3, 1 + i) })
    ids.push(row.id)
  }
  return ids
}

beforeAll(async () => {
  t = await createTestContext()
  w = await createTicketWorld(t.db.ds)
  t.setNow(MONDAY_MORNING)
})
afterAll(async () => {
  await t.close()
})

describe('hot spots (未诉先办)', () => {
  it('states the rule: at least 3 in the window and more than twice the usual', () => {
    expect(isHot(3, 0)).toBe(true)
    expect(isHot(2, 0)).toBe(false)
    expect(isHot(5, 2.5)).toBe(false)
    expect(isHot(6, 2.5)).toBe(true)
  })

  it('raises one alert for a grid running hot, lists its tickets and tells the community and the street, not others', async () => {
    const hot = await generate(w.g2, 'road', 1, 5) // usually 1 a week, now 5 in three days
    await generate(w.g3, 'road', 5, 5) // usually 5 a week: 5 is its normal
    await generate(w.g1, 'sanitation', 0, 2) // only 2: below the floor
    await withTx(t.db.ds, (em) => rebuildStats(em, t.deps.now()))

    const raised = await detectHotspots(t.deps)
    expect(raised.map((h) => [h.gridCode, h.category, h.ticketCount, h.baseline])).toEqual([[w.g2.code, 'road', 5, 1]])
    expect((JSON.parse(raised[0]?.tickets ?? '[]') as Array<{ id: string }>).map((x) => x.id).sort()).toEqual([...hot].sort())

    const told = await t.db.ds.getRepository(Message).find({ where: { kind: 'hotspot_alert' } })
    expect(told.map((m) => m.userId).sort()).toEqual([w.users.CSA.id, w.users.SA1.id].sort())
    expect(told[0]?.body).toContain('永和二网格')
    expect(told[0]?.body).toContain('5 件')

    expect(await detectHotspots(t.deps)).toEqual([]) // the same cluster is not raised twice
    t.setNow(new Date(MONDAY_MORNING.getTime() + DAY))
    expect(await detectHotspots(t.deps)).toEqual([]) // nor the next day while its window lasts
    t.setNow(MONDAY_MORNING)
  })

  it('shows the alert on the dashboards of the community, street and district, and not on others', async () => {
    const as = (u: { id: string; role: string }, q: string) =>
      request(t.server)
        .get(`/api/stats/hotspots?${q}`)
        .set('Authorization', bearer(t.deps.config, u as never))
    for (const [user, query] of [
      [w.users.CSA, `level=community&code=${w.ca.code}`],
      [w.users.SA1, `level=street&code=${w.s1.code}`],
      [w.users.DA, 'level=district']
    ] as const) {
      const res = await as(user, query)
      expect(res.status).toBe(200)
      const list = HotspotViewSchema.array().parse(res.body)
      expect(list.map((h) => [h.gridName, h.category, h.ticketCount, h.tickets.length])).toEqual([['永和二网格', 'road', 5, 5]])
    }
    expect(HotspotViewSchema.array().parse((await as(w.users.CSB, `level=community&code=${w.cb.code}`)).body)).toEqual([])
    expect((await as(w.users.CSB, `level=community&code=${w.ca.code}`)).status).toBe(404)
    const dash = await request(t.server).get(`/api/stats/dashboard?level=street&code=${w.s1.code}`).set('Authorization', bearer(t.deps.config, w.users.SA1))
    expect(dash.body.hotspots).toHaveLength(1)
  })
})
