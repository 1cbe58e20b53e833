import { randomUUID } from 'node:crypto'
import { AuthSessionViewSchema, POLICY_VERSION, TicketPageSchema, TicketViewSchema, type TicketView } from '@palm/shared'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FAKE_WECHAT_APP, fakeWeChatConfig } from '../../test/auth-factories'
import { bearer } from '../../test/factories'
import { TEMPLATE_IDS, setGrants, setOpenid } from '../../test/notifications-factories'
import { forbiddenKeysIn, leafValues, memoryLogger, tracesIn } from '../../test/security-factories'
import { createTestContext, type TestContext } from '../../test/test-app'
import { MONDAY_MORNING, createTicketWorld, fileTicket, fireOk, getTicket, type TicketWorld } from '../../test/tickets-factories'
import { User } from '../modules/auth/user.entity'
import { NotificationOutbox, relayOutboxOnce } from '../modules/notifications/index'
import { createWeChatClient, startFakeWeChatServer, type FakeWeChatServer } from '../modules/wechat/index'

/*
 * docs/security.md API1-4 and issue 3 item 7: the reporter of an anonymous tip appears in no staff-facing
 * response, list, export, notification or log line. The reporter signs in through (fake) WeChat, so
 * they have a real openid and unionid, and is given a distinctive name and phone. They file an
 * anonymous fraud tip (anti-fraud centre) and the same anonymous self-built-house tip twice (grid G1
 * and the housing bureau); R2 files that same tip too. Staff handle them (accept, reply, resolve,
 * urge, enter in the hazard ledger), the reporter rates, the WeChat relay sends the pushes, and then
 * every staff role in scope reads every surface it has. The app logs to memory throughout.
 */
const REPORTER_NAME = '甄士隐匿名测试'
const REPORTER_PHONE = '13987654321'
const STAFF = ['W1', 'CSA', 'SA1', 'DA', 'DEP', 'DEPF'] as const
type Staff = (typeof STAFF)[number]

let fake: FakeWeChatServer
let t: TestContext
let w: TicketWorld
let logLines: string[]
let reporter: User
let reporterAuth: string
const tips = {} as { fraud: TicketView; house1: TicketView; house2: TicketView; houseByR2: TicketView }
let ledgerEntryId: string

const houseTip = {
  kind: 'hazard_tip',
  category: 'self_built_house',
  description: '邻居违规加盖三层，墙体开裂，恐有倒塌风险',
  location: { lat: 40.0551, lng: 113.2552 },
  anonymous: true,
  details: { hazardKind: 'self_built_house', place: '永和小区北侧平房', building: '北侧第二排' }
}

/** Every string that would give the reporter away. */
const traces = () => [reporter.id, reporter.displayName, reporter.openid ?? '', reporter.unionid ?? '', REPORTER_PHONE]

beforeAll(async () => {
  fake = await startFakeWeChatServer({ ...FAKE_WECHAT_APP, slowMs: 1500 })
  const memory = memoryLogger('debug')
  logLines = memory.lines
  t = await createTestContext({ wechat: { ...fakeWeChatConfig(fake.url, 1000), templateIds: TEMPLATE_IDS } }, { log: memory.log })
  t.setNow(MONDAY_MORNING)
  w = await createTicketWorld(t.db.ds)
  // One worker on duty in G1, so the three house tips go to the same person and differ only by who filed them.
  await t.db.ds.getRepository(User).update({ id: w.users.W1b.id }, { onDuty: false })

  // The reporter signs in as a resident would: WeChat code → our tokens; openid and unionid stored.
  const signIn = await request(t.server).post('/api/auth/wechat').send({ code: 'unionid-zhenshiyin' })
  expect(signIn.status).toBe(200)
  const session = AuthSessionViewSchema.parse(signIn.body)
  reporterAuth = `Bearer ${session.accessToken}`
  // …and agrees to the privacy notice, as the mini-program's privacy gate does on first launch.
  expect((await request(t.server).post('/api/me/consent').set('Authorization', reporterAuth).send({ policyVersion: POLICY_VERSION })).status).toBe(200)
  await t.db.ds.getRepository(User).update({ id: session.user.id }, { displayName: REPORTER_NAME, phone: REPORTER_PHONE })
  reporter = await t.db.ds.getRepository(User).findOneByOrFail({ id: session.user.id })
  expect(reporter.openid).toMatch(/^o/)
  expect(reporter.unionid).toBeTruthy()

  // Everyone who could be pushed to has an openid and grants, so the relay really sends.
  await setGrants(t.db.ds, reporter.id, 'ticket_update', 20)
  for (const name of ['W1', 'CSA', 'SA1', 'DA', 'DEP', 'DEPF'] as const) {
    await setOpenid(t.db.ds, w.users[name], `ostaff-${name.toLowerCase()}-0000000000000`)
    await setGrants(t.db.ds, w.users[name].id, 'ticket_assigned', 20)
  }

  const file = async (body: object, authHeader: string) => {
    const res = await request(t.server).post('/api/tickets').set('Authorization', authHeader).set('Idempotency-Key', randomUUID()).send(body)
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    return TicketViewSchema.parse(res.body)
  }
  tips.fraud = await file(
    { kind: 'fraud_tip', category: 'telecom_fraud', description: '冒充客服要求转账到安全账户', location: w.g1.center, anonymous: true, details: { phone: '13800138000', amountLost: 0 } },
    reporterAuth
  )
  tips.house1 = await file(houseTip, reporterAuth)
  tips.house2 = await file(houseTip, reporterAuth)
  tips.houseByR2 = await file(houseTip, bearer(t.deps.config, w.users.R2))
  // An ordinary report by the same person, so "the reporter is shown on ordinary tickets" stays true.
  await fileTicket(t, w.users.R1, { kind: 'report', category: 'sanitation', description: '垃圾堆积', location: w.g1.center })

  // Staff handle the tips; the reporter rates; the housing tip enters the ledger.
  const W1 = w.users.W1
  await fireOk(t, W1, tips.house1.id, { event: 'accept' })
  await fireOk(t, W1, tips.house1.id, { event: 'reply', note: '已到现场核实' })
  await fireOk(t, w.users.CSA, tips.house1.id, { event: 'urge', note: '请尽快处置' })
  const ledger = await request(t.server).post(`/api/hazards/from-ticket/${tips.house1.id}`).set('Authorization', bearer(t.deps.config, W1)).send({ riskLevel: 'high' })
  expect(ledger.status).toBe(201)
  ledgerEntryId = String(ledger.body.id)
  await fireOk(t, W1, tips.house1.id, { event: 'resolve', note: '已责令停工' })
  const rated = await request(t.server)
    .post(`/api/tickets/${tips.house1.id}/transitions`)
    .set('Authorization', reporterAuth)
    .send({ event: 'rate', rating: { score: 5, comment: '谢谢' } })
  expect(rated.status).toBe(200)
  await fireOk(t, w.users.DEPF, tips.fraud.id, { event: 'accept' })
  await fireOk(t, w.users.SA1, tips.fraud.id, { event: 'urge', note: '督办反诈线索' })

  const report = await relayOutboxOnce(t.deps, createWeChatClient(t.deps.config, { busyRetries: 0 }), { instanceId: 'anon-test' })
  expect(report.sent).toBeGreaterThan(0)
})
afterAll(async () => {
  await t.close()
  await fake.close()
})

const as = (who: Staff) => bearer(t.deps.config, w.users[who])
const get = (who: Staff, path: string) => request(t.server).get(path).set('Authorization', as(who))

/** Every staff-facing read a role has, as [what, status, body text]. */
async function staffSurfaces(who: Staff): Promise<Array<[string, number, string]>> {
  const statsUnit: Record<Staff, string> = {
    W1: `level=grid&code=${w.g1.code}`,
    CSA: `level=community&code=${w.ca.code}`,
    SA1: `level=street&code=${w.s1.code}`,
    DA: 'level=district',
    DEP: 'level=district',
    DEPF: 'level=district'
  }
  const reads: Array<[string, request.Test]> = [
    ...Object.entries(tips).map(([name, tip]): [string, request.Test] => [`ticket ${name}`, get(who, `/api/tickets/${tip.id}`)]),
    ['inbox (all states)', get(who, '/api/tickets?state=all&limit=50')],
    ['inbox (open)', get(who, '/api/tickets?limit=50')],
    ['inbox (done)', get(who, '/api/tickets?state=done&limit=50')],
    ['nearby (house)', get(who, `/api/tickets/nearby?lat=${houseTip.location.lat}&lng=${houseTip.location.lng}&category=self_built_house`)],
    ['nearby (fraud)', get(who, `/api/tickets/nearby?lat=${w.g1.center.lat}&lng=${w.g1.center.lng}&category=telecom_fraud`)],
    ['stats', get(who, `/api/stats?${statsUnit[who]}`)],
    ['hazard ledger', get(who, '/api/hazards?limit=50')],
    ['hazard entry', get(who, `/api/hazards/${ledgerEntryId}`)],
    ['hazard CSV', get(who, '/api/hazards/export.csv')],
    ['explain (house)', request(t.server).post('/api/routing/explain').set('Authorization', as(who)).send({ location: houseTip.location, category: 'self_built_house' })],
    ['explain (fraud)', request(t.server).post('/api/routing/explain').set('Authorization', as(who)).send({ location: w.g1.center, category: 'telecom_fraud' })],
    ['messages', get(who, '/api/messages?limit=50')],
    ['unread count', get(who, '/api/messages/unread-count')],
    ['me', get(who, '/api/me')],
    ['public board', request(t.server).get('/api/public/tickets')]
  ]
  const out: Array<[string, number, string]> = []
  for (const [what, req] of reads) {
    const res = await req
    out.push([what, res.status, res.type === 'text/csv' ? res.text : JSON.stringify(res.body)])
  }
  return out
}

describe('anonymous tips: the reporter appears nowhere staff can look (API1-4)', () => {
  it('routed the tips where staff look: the fraud tip to the anti-fraud centre, the house tips to G1 and the housing bureau', () => {
    expect(tips.fraud.department?.code).toBe('anti_fraud_centre')
    expect(tips.house1.grid?.code).toBe(w.g1.code)
    expect(tips.house1.department?.code).toBe('housing_bureau')
    expect(tips.house1.assignee?.id).toBe(w.users.W1.id)
  })

  it.each(STAFF)('%s: no reporter id, name, openid, unionid or phone in any response, list, stats, ledger, CSV or message', async (who) => {
    const surfaces = await staffSurfaces(who)
    // Each role reaches at least one tip and its own messages: the scan is not of empty 404s.
    const seen = surfaces.filter(([what, status]) => what.startsWith('ticket ') && status === 200)
    expect(seen.length, `${who} sees none of the tips`).toBeGreaterThan(0)
    for (const [what, status, text] of surfaces) {
      expect(status, `${who} ${what}`).toBeLessThan(500)
      expect(tracesIn(text, traces()), `${who} ${what}`).toEqual([])
      if (text.startsWith('{') || text.startsWith('[')) expect(forbiddenKeysIn(JSON.parse(text)), `${who} ${what}`).toEqual([])
    }
    for (const [name, tip] of Object.entries(tips)) {
      const res = await getTicket(t, w.users[who], tip.id)
      if (res.status !== 200) continue
      const view = TicketViewSchema.parse(res.body)
      expect(view.reporter, `${who} ${name}`).toBeUndefined()
      for (const e of view.timeline.filter((x) => x.actor.role === 'resident')) expect(e.actor.displayName).toBe('匿名举报人')
    }
  })

  it('shows the handlers’ messages and WeChat pushes no trace of the reporter either', async () => {
    const staffIds = new Set(STAFF.map((s) => w.users[s].id))
    const staffRows = (await t.db.ds.getRepository(NotificationOutbox).find()).filter((r) => staffIds.has(r.userId))
    expect(staffRows.length).toBeGreaterThan(0)
    for (const row of staffRows) expect(tracesIn(row.payload, traces()), row.id).toEqual([])
    const toStaff = fake.sentMessages.filter((m) => m.touser.startsWith('ostaff-'))
    expect(toStaff.length).toBeGreaterThan(0)
    expect(tracesIn(JSON.stringify(toStaff), traces())).toEqual([])
    // The reporter's own pushes did go to their openid (the relay is live), and only to them.
    expect(fake.sentMessages.some((m) => m.touser === reporter.openid)).toBe(true)
  })

  it('never publishes an anonymous tip, even resolved and rated', async () => {
    const res = await request(t.server).get('/api/public/tickets')
    expect(res.status).toBe(200)
    expect(JSON.stringify(res.body)).not.toContain(tips.house1.number)
  })

  it('lets the reporter, and only the reporter, find the tips among their own', async () => {
    const mine = await request(t.server).get('/api/tickets?view=mine&state=all&limit=50').set('Authorization', reporterAuth)
    const ids = TicketPageSchema.parse(mine.body).items.map((i) => i.id)
    expect(ids).toEqual(expect.arrayContaining([tips.fraud.id, tips.house1.id, tips.house2.id]))
    expect(ids).not.toContain(tips.houseByR2.id)
    // The scan above can see a name when there is one: the reporter's own view names them.
    const own = await request(t.server).get(`/api/tickets/${tips.house1.id}`).set('Authorization', reporterAuth)
    expect(tracesIn(JSON.stringify(own.body), traces())).toEqual([REPORTER_NAME])
  })
})

describe('two anonymous tips of one resident share nothing that another resident’s same tip does not', () => {
  /*
   * house2 (our reporter's second tip) and houseByR2 (the same tip by another resident, filed at the
   * same moment, routed to the same worker) must look the same to staff in every field but the
   * ticket's own id and number: then nothing in a view can say "same reporter as house1", because
   * nothing in it depends on who the reporter is.
   */
  it.each(['W1', 'CSA', 'SA1', 'DA', 'DEP'] as const)('as %s: detail and list row differ only by the ticket’s own id and number', async (who) => {
    const detail = async (tip: TicketView) => {
      const res = await getTicket(t, w.users[who], tip.id)
      expect(res.status).toBe(200)
      return leafValues(res.body)
    }
    const listRow = async (tip: TicketView) => {
      const res = await get(who, '/api/tickets?state=all&limit=50')
      const row = TicketPageSchema.parse(res.body).items.find((i) => i.id === tip.id)
      expect(row).toBeDefined()
      return leafValues(row)
    }
    // The routing reason states the worker's load when it was routed ("当前 2 件在办"), which the
    // earlier tips changed; that number is about the worker, not the reporter.
    const unloaded = (m: Map<string, string>) => new Map([...m].map(([k, v]) => [k, v.replace(/当前 \d+ 件在办/g, '当前 N 件在办')]))
    for (const read of [detail, listRow]) {
      const [mine, other] = [unloaded(await read(tips.house2)), unloaded(await read(tips.houseByR2))]
      expect([...mine.keys()].sort(), `${who} ${read.name}`).toEqual([...other.keys()].sort())
      const differing = [...mine.keys()].filter((path) => mine.get(path) !== other.get(path))
      expect(differing.sort(), `${who} ${read.name}`).toEqual(['id', 'number'])
    }
  })
})

describe('the logs (LOG-2, issue 3 item 7)', () => {
  it('captured the whole flow (requests, the sign-in and the relay)', () => {
    expect(logLines.length).toBeGreaterThan(20)
    expect(logLines.some((l) => l.includes('"msg":"request"') && l.includes('/api/auth/wechat'))).toBe(true)
  })

  it('hold no line with the reporter’s id, openid, unionid, phone or name', () => {
    const hits = logLines.filter((line) => tracesIn(line, traces()).length > 0)
    expect(hits).toEqual([])
  })
})
