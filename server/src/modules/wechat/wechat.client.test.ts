import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { fakeWeChatConfig, FAKE_WECHAT_APP } from '../../../test/auth-factories'
import { createWeChatClient, startFakeWeChatServer, WeChatClient, WeChatError, type FakeWeChatServer } from './index'

let fake: FakeWeChatServer
let client: WeChatClient

beforeAll(async () => {
  fake = await startFakeWeChatServer({ ...FAKE_WECHAT_APP, slowMs: 1500 })
})
afterAll(async () => {
  await fake.close()
})
beforeEach(() => {
  client = createWeChatClient({ wechat: fakeWeChatConfig(fake.url, 300) }, { busyBackoffMs: 5 })
})

async function failure(promise: Promise<unknown>): Promise<WeChatError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e
  )
  if (!(err instanceof WeChatError)) throw new Error(`expected a WeChatError, got ${String(err)}`)
  return err
}

describe('code2Session and the web OAuth exchange', () => {
  it('returns a stable openid and nothing else (no session_key)', async () => {
    const first = await client.code2Session('ok-alice')
    const again = await client.code2Session('ok-alice')
    expect(first).toEqual(again)
    expect(Object.keys(first)).toEqual(['openid'])
    expect(first.openid).toMatch(/^o[\w-]{27}$/)
  })

  it('returns the same unionid from the mini-program and the official account, with different openids', async () => {
    const mini = await client.code2Session('unionid-bob')
    const web = await client.webOAuthExchange('unionid-bob')
    expect(mini.unionid).toBeDefined()
    expect(web.unionid).toBe(mini.unionid)
    expect(web.openid).not.toBe(mini.openid)
  })

  it.each([
    ['invalid-1', 40029, 'invalid_code', false],
    ['ratelimit-1', 45011, 'rate_limited', true],
    ['risky-1', 40226, 'risky_user', false]
  ])('maps code %s to errcode %i (%s, retryable %s)', async (code, errcode, kind, retryable) => {
    const err = await failure(client.code2Session(code))
    expect([err.errcode, err.kind, err.retryable]).toEqual([errcode, kind, retryable])
  })

  it('retries -1 (system busy) twice with backoff, then fails as retryable', async () => {
    const before = fake.calls.code2session
    const err = await failure(client.code2Session('busy-1'))
    expect([err.errcode, err.kind, err.retryable]).toEqual([-1, 'busy', true])
    expect(fake.calls.code2session - before).toBe(3)
  })

  it('succeeds when only the first answer is -1', async () => {
    fake.failNext('code2session', -1)
    await expect(client.code2Session('ok-retry')).resolves.toHaveProperty('openid')
  })

  it('gives up at the timeout, well before the slow answer', async () => {
    const started = Date.now()
    const err = await failure(client.code2Session('slow-1'))
    expect([err.kind, err.retryable]).toEqual(['timeout', true])
    expect(Date.now() - started).toBeLessThan(1200)
  })

  it('reports an unreachable server as a retryable network error', async () => {
    const unreachable = createWeChatClient({ wechat: fakeWeChatConfig('http://127.0.0.1:1', 300) })
    const err = await failure(unreachable.code2Session('ok-x'))
    expect([err.kind, err.retryable]).toEqual(['network', true])
  })

  it('reports a wrong secret as misconfiguration (40125)', async () => {
    const wrong = createWeChatClient({ wechat: { ...fakeWeChatConfig(fake.url), secret: 'nope' } })
    const err = await failure(wrong.code2Session('ok-x'))
    expect([err.errcode, err.kind, err.retryable]).toEqual([40125, 'misconfigured', false])
  })
})

describe('answers that are not what WeChat documents', () => {
  let odd: Server
  let url: string
  beforeAll(async () => {
    odd = createServer((req, res) => {
      if (req.url?.startsWith('/sns/jscode2session?') && req.url.includes('js_code=html')) {
        res.writeHead(502, { 'Content-Type': 'text/html' })
        res.end('<html>Bad gateway</html>')
      } else {
        res.writeHead(200, { 'Content-Type': 'application/json' })
        res.end(JSON.stringify({ unexpected: true }))
      }
    })
    await new Promise<void>((resolve) => odd.listen(0, '127.0.0.1', resolve))
    url = `http://127.0.0.1:${(odd.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    await new Promise<void>((resolve) => odd.close(() => resolve()))
  })

  it('treats a 502 HTML page as a retryable failure', async () => {
    const err = await failure(createWeChatClient({ wechat: fakeWeChatConfig(url) }).code2Session('html'))
    expect([err.kind, err.retryable]).toEqual(['network', true])
  })

  it('refuses a JSON answer of the wrong shape', async () => {
    const err = await failure(createWeChatClient({ wechat: fakeWeChatConfig(url) }).code2Session('ok-x'))
    expect([err.kind, err.retryable]).toEqual(['bad_response', false])
  })
})

describe('the access token (stable_token)', () => {
  it('is fetched once for twenty concurrent callers and then cached', async () => {
    const before = fake.calls.stable_token
    const suggestions = await Promise.all(Array.from({ length: 20 }, (_, i) => client.msgSecCheck('openid-1', `正常内容 ${i}`, 2)))
    expect(suggestions.every((s) => s.suggest === 'pass')).toBe(true)
    await client.msgSecCheck('openid-1', '再来一次', 2)
    expect(fake.calls.stable_token - before).toBe(1)
  })

  it('is refreshed five minutes before it expires, not earlier', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z')
    const timed = createWeChatClient({ wechat: fakeWeChatConfig(fake.url) }, { clock: () => now })
    fake.expireAccessTokens() // so the fake issues a token with the full 7200 s
    const before = fake.calls.stable_token
    await timed.getAccessToken()
    now += (7200 - 5 * 60 - 1) * 1000
    await timed.getAccessToken()
    expect(fake.calls.stable_token - before).toBe(1)
    now += 2000
    await timed.getAccessToken()
    expect(fake.calls.stable_token - before).toBe(2)
  })

  it('renews once and retries when WeChat says the token expired (42001)', async () => {
    const token = await client.getAccessToken()
    fake.expireAccessTokens()
    const beforeToken = fake.calls.stable_token
    const beforeCheck = fake.calls.msg_sec_check
    await expect(client.msgSecCheck('openid-1', '你好', 2)).resolves.toEqual({ suggest: 'pass', label: 100 })
    expect(fake.calls.stable_token - beforeToken).toBe(1)
    expect(fake.calls.msg_sec_check - beforeCheck).toBe(2)
    expect(await client.getAccessToken()).not.toBe(token)
  })

  it('force-refreshes when normal mode hands back the token WeChat just refused (40001)', async () => {
    const token = await client.getAccessToken()
    fake.failNext('msg_sec_check', 40001)
    const before = fake.calls.stable_token
    await expect(client.msgSecCheck('openid-1', '你好', 2)).resolves.toHaveProperty('suggest', 'pass')
    expect(fake.calls.stable_token - before).toBe(2)
    expect(await client.getAccessToken()).not.toBe(token)
  })

  it('fails with misconfigured when the app secret is wrong (stable_token 40125)', async () => {
    const wrong = createWeChatClient({ wechat: { ...fakeWeChatConfig(fake.url), secret: 'nope' } })
    const err = await failure(wrong.getAccessToken())
    expect(err.errcode).toBe(40125)
  })
})

describe('msgSecCheck', () => {
  it.each([
    ['含有违禁内容', 'risky'],
    ['有点可疑', 'review'],
    ['楼道灯坏了', 'pass']
  ])('answers %s with %s', async (content, suggest) => {
    expect((await client.msgSecCheck('openid-1', content, 2)).suggest).toBe(suggest)
  })

  it('refuses an empty openid as a terminal invalid_request (40003)', async () => {
    const err = await failure(client.msgSecCheck('', '你好', 2))
    expect([err.errcode, err.kind, err.retryable]).toEqual([40003, 'invalid_request', false])
  })
})

describe('sendSubscribeMessage', () => {
  const message = (touser: string) => ({ touser, template_id: 'tmpl-1', page: 'pages/index/index', data: { thing1: { value: '工单已受理' } } })

  it('delivers to the fake, which records the message', async () => {
    await client.sendSubscribeMessage(message('openid-ok'))
    expect(fake.sentMessages.at(-1)).toMatchObject({ touser: 'openid-ok', template_id: 'tmpl-1', data: { thing1: { value: '工单已受理' } } })
  })

  it('reports a refused subscription (43101) as terminal', async () => {
    const err = await failure(client.sendSubscribeMessage(message('refuse-1')))
    expect([err.errcode, err.kind, err.retryable]).toEqual([43101, 'subscription_refused', false])
  })

  it('reports -1 as retryable without retrying the send itself', async () => {
    const before = fake.calls.subscribe
    const err = await failure(client.sendSubscribeMessage(message('busy-1')))
    expect([err.errcode, err.retryable]).toEqual([-1, true])
    expect(fake.calls.subscribe - before).toBe(1)
  })

  it('reports invalid data (47003) as terminal and records nothing', async () => {
    const count = fake.sentMessages.length
    const err = await failure(client.sendSubscribeMessage({ ...message('openid-ok'), data: {} }))
    expect([err.errcode, err.retryable]).toEqual([47003, false])
    expect(fake.sentMessages).toHaveLength(count)
  })

  it('fails once when a failure is injected, then delivers', async () => {
    fake.failNext('subscribe', -1)
    await expect(failure(client.sendSubscribeMessage(message('openid-2')))).resolves.toHaveProperty('retryable', true)
    await client.sendSubscribeMessage(message('openid-2'))
    expect(fake.sentMessages.at(-1)?.touser).toBe('openid-2')
  })
})
