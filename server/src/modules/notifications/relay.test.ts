import { ProblemSchema, SubscriptionsViewSchema } from '@palm/shared'
import request from 'supertest'
import type { DataSource } from 'typeorm'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createDataSource } from '../../db/data-source'
import { withTx, withWrite } from '../../db/tx'
import type { AppDeps } from '../../deps'
import { bearer, createUser } from '../../../test/factories'
import { TEMPLATE_IDS, createNotifyContext, outboxOf, remainingGrants, setGrants, setOpenid, type NotifyContext } from '../../../test/notifications-factories'
import { MONDAY_MORNING } from '../../../test/tickets-factories'
import type { User } from '../auth/user.entity'
import { WeChatClient, createWeChatClient, type SubscribeMessage } from '../wechat/index'
import { Message, NotificationOutbox } from './notification.entity'
import { enqueueNotification } from './outbox'
import { relayOutboxOnce } from './relay'
import { notifyServiceUsers } from './service-notices'

let n: NotifyContext
let clock: Date
const HOUR = 60 * 60 * 1000

beforeAll(async () => {
  n = await createNotifyContext()
})
afterAll(async () => {
  await n.close()
})
beforeEach(() => {
  clock = MONDAY_MORNING
  n.t.setNow(clock)
})

function advance(ms: number) {
  clock = new Date(clock.getTime() + ms)
  n.t.setNow(clock)
}

let seq = 0
/** A resident with an openid (prefix picks the fake's behaviour: `refuse…` 43101, `busy…` -1) and `grants` unused grants. */
async function resident(openidPrefix = 'ok', grants = 1): Promise<User> {
  seq++
  const user = await createUser(n.t.db.ds, 'resident', { displayName: `居民${seq}` })
  user.openid = `${openidPrefix}-openid-${seq}-${Math.random().toString(36).slice(2, 8)}`
  await setOpenid(n.t.db.ds, user, user.openid)
  if (grants > 0) await setGrants(n.t.db.ds, user.id, 'ticket_update', grants)
  return user
}

/** One ticket_update notification for `user`, committed. */
async function notify(user: Pick<User, 'id'>, deps: AppDeps = n.t.deps) {
  return withTx(deps.ds, (em) =>
    enqueueNotification(em, deps, {
      userId: user.id,
      kind: 'ticket_update',
      title: '工单已签收',
      body: '工单 PC1 已签收',
      push: {
        templateKey: 'ticket_update',
        payload: { page: 'packages/ticket/detail/index?id=x', data: { character_string1: 'PC1', thing2: '环境卫生', phrase3: '已签收', time4: '2026-11-30 10:00', thing5: '点击查看详情' } }
      }
    })
  )
}

const row = (id: string) => n.t.db.ds.getRepository(NotificationOutbox).findOneByOrFail({ id })
const sentTo = (openid: string | null) => n.fake.sentMessages.filter((m) => m.touser === openid)
const relay = (instanceId = 'test-a') => relayOutboxOnce(n.t.deps, n.client, { instanceId })

describe('the relay', () => {
  it('sends a message once to a resident with a grant, and spends the grant', async () => {
    const user = await resident('ok', 2)
    const { outboxIds } = await notify(user)
    await relay()
    const sent = await row(outboxIds[0] ?? '')
    expect(sent).toMatchObject({ dispatchState: 'sent', attempts: 1, grantConsumed: true, claimedBy: null })
    expect(sent.sentAt).not.toBeNull()
    expect(sentTo(user.openid)).toHaveLength(1)
    expect(sentTo(user.openid)[0]).toMatchObject({ template_id: TEMPLATE_IDS.ticket_update, page: 'packages/ticket/detail/index?id=x', data: { phrase3: { value: '已签收' } } })
    expect(await remainingGrants(n.t.db.ds, user.id, 'ticket_update')).toBe(1)
    advance(HOUR)
    await relay()
    expect(sentTo(user.openid)).toHaveLength(1)
  })

  it('skips the WeChat message without a grant, without an openid, or without a configured template; the message centre keeps it', async () => {
    const noGrant = await resident('ok', 0)
    const noOpenid = await resident('ok', 1)
    await setOpenid(n.t.db.ds, noOpenid, null)
    const a = await notify(noGrant)
    const b = await notify(noOpenid)
    await relay()
    expect(await row(a.outboxIds[0] ?? '')).toMatchObject({ dispatchState: 'skipped', lastError: 'no_grant', attempts: 0 })
    expect(await row(b.outboxIds[0] ?? '')).toMatchObject({ dispatchState: 'skipped', lastError: 'no_openid' })
    expect(await remainingGrants(n.t.db.ds, noOpenid.id, 'ticket_update')).toBe(1)
    expect(await n.t.db.ds.getRepository(Message).countBy({ userId: noGrant.id })).toBe(1)

    const unconfigured = { ...n.t.deps, config: { ...n.t.deps.config, wechat: { ...n.t.deps.config.wechat, templateIds: {} } } }
    const c = await notify(noGrant, unconfigured)
    expect(c.outboxIds).toEqual([])
    expect(await n.t.db.ds.getRepository(Message).countBy({ userId: noGrant.id })).toBe(2)
  })

  it('keeps the message while WeChat is busy or down, and sends it on a later pass', async () => {
    const user = await resident('ok', 1)
    const { outboxIds } = await notify(user)
    const id = outboxIds[0] ?? ''
    n.fake.failNext('subscribe', -1)
    await relay()
    const waiting = await row(id)
    expect(waiting).toMatchObject({ dispatchState: 'pending', attempts: 1, lastError: '-1 busy', grantConsumed: true, claimedBy: null })
    expect(waiting.nextAttemptAt.getTime()).toBeGreaterThan(clock.getTime())
    expect(sentTo(user.openid)).toHaveLength(0)

    await relay()
    expect((await row(id)).attempts).toBe(1)

    advance(HOUR)
    await relay()
    expect(await row(id)).toMatchObject({ dispatchState: 'sent', attempts: 2 })
    expect(sentTo(user.openid)).toHaveLength(1)
    expect(await remainingGrants(n.t.db.ds, user.id, 'ticket_update')).toBe(0)
  })

  it('never sends again a message whose send timed out, since WeChat may have delivered it', async () => {
    const user = await resident('ok', 2)
    const { outboxIds } = await notify(user)
    const id = outboxIds[0] ?? ''
    n.fake.failNext('subscribe', 'slow')
    await relay()
    expect(await row(id)).toMatchObject({ dispatchState: 'unknown', attempts: 1, claimedUntil: null })
    expect((await row(id)).lastError).toMatch(/^-9001 timeout; outcome unknown/)
    const calls = n.fake.calls.subscribe
    advance(24 * HOUR)
    await relay()
    expect(n.fake.calls.subscribe).toBe(calls)
    expect(await row(id)).toMatchObject({ dispatchState: 'unknown' })
    expect(await remainingGrants(n.t.db.ds, user.id, 'ticket_update')).toBe(1)
  })

  it('sends after the access token expired, through one token refresh', async () => {
    const user = await resident('ok', 1)
    const { outboxIds } = await notify(user)
    n.fake.expireAccessTokens()
    await relay()
    expect(await row(outboxIds[0] ?? '')).toMatchObject({ dispatchState: 'sent' })
    expect(sentTo(user.openid)).toHaveLength(1)
  })

  it('gives up at once on 43101 (refused subscription) and forgets the stale grants', async () => {
    const user = await resident('refuse', 3)
    const { outboxIds } = await notify(user)
    await relay()
    expect(await row(outboxIds[0] ?? '')).toMatchObject({ dispatchState: 'failed', attempts: 1, lastError: '43101 subscription_refused' })
    expect(await remainingGrants(n.t.db.ds, user.id, 'ticket_update')).toBe(0)
    const calls = n.fake.calls.subscribe
    advance(24 * HOUR)
    await relay()
    expect(n.fake.calls.subscribe).toBe(calls)
  })

  it.each([
    [40003, '40003 invalid_request'],
    [47003, '47003 invalid_request']
  ])('gives up at once on the terminal error %i', async (errcode, lastError) => {
    const user = await resident('ok', 1)
    const { outboxIds } = await notify(user)
    n.fake.failNext('subscribe', errcode)
    await relay()
    expect(await row(outboxIds[0] ?? '')).toMatchObject({ dispatchState: 'failed', attempts: 1, lastError })
    expect(sentTo(user.openid)).toHaveLength(0)
  })

  it('fails a message after the last retryable attempt', async () => {
    const user = await resident('busy', 1)
    const { outboxIds } = await notify(user)
    for (let i = 0; i < 3; i++) {
      await relayOutboxOnce(n.t.deps, n.client, { instanceId: 'test-a', maxAttempts: 3 })
      advance(2 * HOUR)
    }
    expect(await row(outboxIds[0] ?? '')).toMatchObject({ dispatchState: 'failed', attempts: 3, lastError: '-1 busy' })
  })

  it('claims again a row a crashed relay claimed but never started, once its lease ran out', async () => {
    const user = await resident('ok', 1)
    const { outboxIds } = await notify(user)
    const id = outboxIds[0] ?? ''
    await withWrite(n.t.db.ds, (em) => em.getRepository(NotificationOutbox).update({ id }, { dispatchState: 'claimed', claimedBy: 'crashed:1', claimedUntil: new Date(clock.getTime() + 60_000) }))
    await relay()
    expect(await row(id)).toMatchObject({ dispatchState: 'claimed', claimedBy: 'crashed:1' })
    advance(2 * 60_000)
    await relay()
    expect(await row(id)).toMatchObject({ dispatchState: 'sent', claimedBy: null })
    expect(sentTo(user.openid)).toHaveLength(1)
  })

  it('marks unknown, and never sends, a row a crashed relay left mid-send', async () => {
    const user = await resident('ok', 1)
    const { outboxIds } = await notify(user)
    const id = outboxIds[0] ?? ''
    await withWrite(n.t.db.ds, (em) =>
      em.getRepository(NotificationOutbox).update({ id }, { dispatchState: 'sending', attempts: 1, grantConsumed: true, claimedBy: 'crashed:1', claimedUntil: new Date(clock.getTime() + 15_000) })
    )
    await relay()
    expect(await row(id)).toMatchObject({ dispatchState: 'sending' })
    advance(20_000)
    const report = await relay()
    expect(report.recovered).toBe(1)
    expect(await row(id)).toMatchObject({ dispatchState: 'unknown', attempts: 1 })
    advance(24 * HOUR)
    await relay()
    expect(sentTo(user.openid)).toHaveLength(0)
  })

  it('takes back expired claims before any pending row, however long the backlog', async () => {
    const backlog: string[] = []
    for (let i = 0; i < 12; i++) backlog.push(...(await notify(await resident('ok', 1))).outboxIds)
    const stranded = await resident('ok', 1)
    const id = (await notify(stranded)).outboxIds[0] ?? ''
    await withWrite(n.t.db.ds, (em) => em.getRepository(NotificationOutbox).update({ id }, { dispatchState: 'claimed', claimedBy: 'crashed:2', claimedUntil: new Date(clock.getTime() - 1) }))
    const report = await relayOutboxOnce(n.t.deps, n.client, { instanceId: 'test-a', batch: 1, concurrency: 1, drain: false })
    expect(report.sent).toBe(1)
    expect(await row(id)).toMatchObject({ dispatchState: 'sent' })
    expect(sentTo(stranded.openid)).toHaveLength(1)
    await relay()
    for (const b of backlog) expect(await row(b)).toMatchObject({ dispatchState: 'sent' })
  })

  it('keeps claiming while rows are due: one drain sends a backlog many batches long', async () => {
    const ids: string[] = []
    for (let i = 0; i < 40; i++) ids.push(...(await notify(await resident('ok', 1))).outboxIds)
    const report = await relayOutboxOnce(n.t.deps, n.client, { instanceId: 'test-a', batch: 5, concurrency: 4 })
    expect(report).toMatchObject({ claimed: 40, sent: 40, lost: 0 })
    for (const id of ids) expect(await row(id)).toMatchObject({ dispatchState: 'sent' })
  })

  it('at shutdown finishes and records the send in flight, starts no other, and puts its claims back', async () => {
    const ids: string[] = []
    for (let i = 0; i < 5; i++) ids.push(...(await notify(await resident('ok', 1))).outboxIds)
    const shutdown = new AbortController()
    class StopAfterOneSend extends WeChatClient {
      override async sendSubscribeMessage(message: SubscribeMessage): Promise<void> {
        await super.sendSubscribeMessage(message)
        shutdown.abort()
      }
    }
    const client = new StopAfterOneSend(n.t.deps.config.wechat, { busyRetries: 0 })
    const report = await relayOutboxOnce(n.t.deps, client, { instanceId: 'test-a', batch: 5, concurrency: 1, signal: shutdown.signal })
    expect(report).toMatchObject({ claimed: 5, sent: 1 })
    const states = (await Promise.all(ids.map(row))).map((r) => r.dispatchState).sort()
    expect(states).toEqual(['pending', 'pending', 'pending', 'pending', 'sent'])
    await relay()
    expect((await Promise.all(ids.map(row))).map((r) => r.dispatchState)).toEqual(ids.map(() => 'sent'))
  })

  it('stops the drain when WeChat says to slow down, and puts the unsent claims back', async () => {
    const ids: string[] = []
    for (let i = 0; i < 6; i++) ids.push(...(await notify(await resident('ok', 1))).outboxIds)
    n.fake.failNext('subscribe', 45011)
    const report = await relayOutboxOnce(n.t.deps, n.client, { instanceId: 'test-a', batch: 6, concurrency: 1 })
    expect(report).toMatchObject({ claimed: 6, sent: 0, retried: 1 })
    const states = await Promise.all(ids.map(async (id) => (await row(id)).dispatchState))
    expect(states.sort()).toEqual(['pending', 'pending', 'pending', 'pending', 'pending', 'pending'])
    expect((await Promise.all(ids.map(row))).filter((r) => r.lastError === '45011 rate_limited')).toHaveLength(1)
    advance(2 * HOUR)
    await relay()
    expect((await Promise.all(ids.map(row))).map((r) => r.dispatchState)).toEqual(ids.map(() => 'sent'))
  })

  it('sends each message exactly once with two instances relaying at the same time', async () => {
    const users: User[] = []
    for (let i = 0; i < 30; i++) users.push(await resident('ok', 1))
    for (const user of users) await notify(user)
    let second: DataSource | null = null
    let deps2: AppDeps = n.t.deps
    if (n.t.db.kind === 'mariadb' && n.t.db.url) {
      second = createDataSource({ kind: 'mariadb', url: n.t.db.url, pool: 5 })
      await second.initialize()
      deps2 = { ...n.t.deps, ds: second }
    }
    try {
      const clientB = createWeChatClient(n.t.deps.config, { busyRetries: 0 })
      const [a, b] = await Promise.all([relayOutboxOnce(n.t.deps, n.client, { instanceId: 'instance-a', batch: 20 }), relayOutboxOnce(deps2, clientB, { instanceId: 'instance-b', batch: 20 })])
      const again = await Promise.all([relayOutboxOnce(n.t.deps, n.client, { instanceId: 'instance-a', batch: 20 }), relayOutboxOnce(deps2, clientB, { instanceId: 'instance-b', batch: 20 })])
      expect(a.sent + b.sent + again[0].sent + again[1].sent).toBe(30)
      for (const user of users) {
        expect(sentTo(user.openid)).toHaveLength(1)
        expect((await outboxOf(n.t.db.ds, user.id)).map((o) => o.dispatchState)).toEqual(['sent'])
        expect(await remainingGrants(n.t.db.ds, user.id, 'ticket_update')).toBe(0)
      }
    } finally {
      if (second) await second.destroy()
    }
  })
})

describe('subscription grants', () => {
  const post = (user: Pick<User, 'id' | 'role'>, body: unknown) =>
    request(n.t.server)
      .post('/api/messages/subscriptions')
      .set('Authorization', bearer(n.t.deps.config, user))
      .send(body as object)

  it('records one grant per accepted template, by key or by WeChat id', async () => {
    const user = await resident('ok', 0)
    const first = await post(user, { templateKeys: ['ticket_update'] })
    expect(first.status).toBe(200)
    expect(SubscriptionsViewSchema.parse(first.body).grants.find((g) => g.templateKey === 'ticket_update')?.remaining).toBe(1)
    await post(user, { templateIds: [TEMPLATE_IDS.ticket_update, TEMPLATE_IDS.booking_reminder] })
    expect(await remainingGrants(n.t.db.ds, user.id, 'ticket_update')).toBe(2)
    expect(await remainingGrants(n.t.db.ds, user.id, 'booking_reminder')).toBe(1)
    const listed = await request(n.t.server).get('/api/messages/subscriptions').set('Authorization', bearer(n.t.deps.config, user))
    expect(SubscriptionsViewSchema.parse(listed.body).grants).toContainEqual({ templateKey: 'ticket_update', templateId: TEMPLATE_IDS.ticket_update, remaining: 2 })
  })

  it('lets each grant carry exactly one WeChat message', async () => {
    const user = await resident('ok', 0)
    await post(user, { templateKeys: ['ticket_update'] })
    await notify(user)
    await notify(user)
    await relay()
    expect(sentTo(user.openid)).toHaveLength(1)
    expect((await outboxOf(n.t.db.ds, user.id)).map((o) => o.dispatchState).sort()).toEqual(['sent', 'skipped'])
  })

  it('spends one grant per message when one person has several messages in the same drain', async () => {
    const user = await resident('ok', 3)
    await notify(user)
    await notify(user)
    await notify(user)
    await notify(user)
    const report = await relay()
    expect(report).toMatchObject({ sent: 3, skipped: 1 })
    expect(sentTo(user.openid)).toHaveLength(3)
    expect(await remainingGrants(n.t.db.ds, user.id, 'ticket_update')).toBe(0)
    expect((await outboxOf(n.t.db.ds, user.id)).map((o) => o.dispatchState).sort()).toEqual(['sent', 'sent', 'sent', 'skipped'])
  })

  it('refuses templates this deployment does not use, recording nothing', async () => {
    const user = await resident('ok', 0)
    const res = await post(user, { templateIds: [TEMPLATE_IDS.ticket_update, 'someone-elses-template'] })
    expect(res.status).toBe(400)
    const problem = ProblemSchema.parse(res.body)
    expect(problem.code).toBe('validation_failed')
    expect(problem.errors?.map((e) => e.path)).toEqual(['templateIds.1'])
    expect(await remainingGrants(n.t.db.ds, user.id, 'ticket_update')).toBe(0)
  })

  it('refuses an empty or malformed request and an unknown key', async () => {
    const user = await resident('ok', 0)
    for (const [body, path] of [
      [{}, 'templateKeys'],
      [{ templateKeys: [] }, 'templateKeys'],
      [{ templateKeys: ['no_such_key'] }, 'templateKeys.0'],
      [{ templateIds: [''] }, 'templateIds.0']
    ] as const) {
      const res = await post(user, body)
      expect(res.status).toBe(400)
      expect(ProblemSchema.parse(res.body).errors?.map((e) => e.path)).toContain(path)
    }
  })

  it('answers 401 without a sign-in', async () => {
    const res = await request(n.t.server)
      .post('/api/messages/subscriptions')
      .send({ templateKeys: ['ticket_update'] })
    expect(res.status).toBe(401)
  })
})

describe('service notices', () => {
  it("become one message and one outbox row in the change's own transaction, pushed with the kind's template", async () => {
    const user = await resident('ok', 0)
    await setGrants(n.t.db.ds, user.id, 'activity_promoted', 1)
    await withWrite(n.t.db.ds, (em) => notifyServiceUsers(em, n.t.deps, [{ userId: user.id, kind: 'signup_promoted', title: '候补转正', body: '您已从候补转为正式报名：反诈宣传进社区' }]))
    const messages = await n.t.db.ds.getRepository(Message).findBy({ userId: user.id })
    expect(messages.map((m) => [m.kind, m.title])).toEqual([['activity_promoted', '候补转正']])
    expect(await n.t.db.ds.getRepository(NotificationOutbox).countBy({ userId: user.id, templateKey: 'activity_promoted' })).toBe(1)
    await relay()
    expect(sentTo(user.openid)).toHaveLength(1)
    expect(sentTo(user.openid)[0]?.template_id).toBe(TEMPLATE_IDS.activity_promoted)
  })
})
