import { createHash, randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import QRCode from 'qrcode'

/** The endpoints the fake implements, as named in `failNext` and `calls`. */
export type FakeEndpoint = 'code2session' | 'oauth' | 'stable_token' | 'msg_sec_check' | 'subscribe' | 'wxacode'

export interface FakeWeChatOptions {
  appId: string
  secret: string
  /** The official account used by H5 sign-in; defaults to the mini-program's. */
  webAppId?: string
  webSecret?: string
  /** 0 (the default) picks a free port. */
  port?: number
  host?: string
  /** How long "slow-…" codes and injected `'slow'` failures wait: make it longer than the client timeout. */
  slowMs?: number
  /** Told of every answered call (the development CLI prints them); never given secrets or tokens. */
  onCall?: (endpoint: FakeEndpoint, errcode: number) => void
  /**
   * Tests only: how long an accepted subscribe message waits before its answer leaves (it is already
   * in `sentMessages`, as a message WeChat delivered whose reply is still on the wire). 0 by default.
   */
  subscribeReplyDelayMs?: number
  /** Tests only: told of each accepted subscribe message the moment it is recorded (a crash test kills its relay here). */
  onSubscribeAccepted?: (message: SentSubscribeMessage, acceptedSoFar: number) => void
}

/** A subscribe message the fake accepted, as the test would see it arrive on a phone. */
export interface SentSubscribeMessage {
  touser: string
  template_id: string
  page?: string
  data: Record<string, { value: string }>
  miniprogram_state?: string
  lang?: string
  at: Date
}

export interface FakeWeChatServer {
  url: string
  port: number
  close: () => Promise<void>
  /** Every accepted subscribe message, in order (a live array). */
  sentMessages: SentSubscribeMessage[]
  /** How many requests each endpoint received (a live object). */
  calls: Record<FakeEndpoint, number>
  /** The next `times` calls to `endpoint` answer `errcode` (or, for 'slow', hang past the client timeout). */
  failNext: (endpoint: FakeEndpoint, errcode: number | 'slow', times?: number) => void
  /** Expires every access token issued so far: the next API call with one answers 42001. */
  expireAccessTokens: () => void
}

const ERRMSG: Record<number, string> = {
  [-1]: 'system error',
  40001: 'invalid credential, access_token is invalid or not latest',
  40002: 'invalid grant_type',
  40003: 'invalid openid',
  40013: 'invalid appid',
  40029: 'invalid code',
  40037: 'invalid template_id',
  40125: 'invalid appsecret',
  40097: 'invalid args',
  40129: 'invalid scene',
  40169: 'invalid length for scene, or the data is not json string',
  40226: 'high risk user',
  42001: 'access_token expired',
  41030: 'invalid page rid',
  43101: 'user refuse to accept the msg',
  45011: 'api minute-quota reach limit  mustslower  retry next minute',
  47001: 'data format error',
  47003: 'argument invalid!'
}

const TOKEN_LIFETIME_SECONDS = 7200

/** A WeChat error answer, thrown from deep in a handler and sent as the (HTTP 200) reply. */
class FakeAnswer extends Error {
  constructor(readonly body: Record<string, unknown>) {
    super(String(body.errmsg))
  }
}

/**
 * A real HTTP server on loopback that answers like api.weixin.qq.com for the five endpoints we use,
 * with WeChat's documented success and error payloads (HTTP 200 and `{errcode, errmsg}`).
 * Behaviour follows the input so tests and development both work without setup:
 * - code (mini-program and web OAuth): `invalid-…` 40029, `ratelimit-…` 45011, `risky-…` 40226,
 *   `busy-…` -1, `slow-…` waits `slowMs`; `unionid-x` also returns a unionid derived from x; anything
 *   else (`ok-…`) succeeds with an openid derived from the code and app id (stable across calls).
 * - msg_sec_check: content containing 违禁 is `risky`, 可疑 is `review`, else `pass`.
 * - subscribe send: touser starting `refuse` 43101, `busy` -1; accepted messages land in `sentMessages`.
 * - stable_token: checks appid and secret (40013 / 40125); tokens last 7200 s.
 * - wxacode.getUnlimited: checks the scene (≤ 32 characters of WeChat's set: 40169 / 40129), the
 *   page (no leading slash: 41030) and width (280–1280: 40097); answers an image/png. The image is
 *   a plain QR code of `wxacode:<page>?scene=<scene>` (a real one is a round "sun code" only the
 *   WeChat app reads), so tests can decode what the mini-program would receive.
 */
export async function startFakeWeChatServer(options: FakeWeChatOptions): Promise<FakeWeChatServer> {
  const state = new FakeState(options)
  const server = createServer((req, res) => {
    state
      .handle(req)
      .then(({ endpoint, body, image }) => {
        if (endpoint) options.onCall?.(endpoint, typeof body.errcode === 'number' ? body.errcode : 0)
        if (image) replyImage(res, image)
        else reply(res, 200, body)
      })
      .catch(() => reply(res, 500, { errcode: -1, errmsg: 'fake server error' }))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve())
  })
  const { port, address } = server.address() as AddressInfo
  return {
    url: `http://${address}:${port}`,
    port,
    sentMessages: state.sentMessages,
    calls: state.calls,
    failNext: (endpoint, errcode, times = 1) => state.failNext(endpoint, errcode, times),
    expireAccessTokens: () => state.expireAccessTokens(),
    close: async () => {
      state.stop()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}

function reply(res: ServerResponse, status: number, body: Record<string, unknown>): void {
  if (res.writableEnded || res.destroyed) return
  res.writeHead(status, { 'Content-Type': 'application/json; encoding=utf-8' })
  res.end(JSON.stringify(body))
}

function replyImage(res: ServerResponse, image: Buffer): void {
  if (res.writableEnded || res.destroyed) return
  res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': String(image.length) })
  res.end(image)
}

function wechatError(errcode: number): FakeAnswer {
  return new FakeAnswer({ errcode, errmsg: `${ERRMSG[errcode] ?? 'error'} rid: ${randomBytes(6).toString('hex')}` })
}

function digest(input: string, length: number): string {
  return createHash('sha256').update(input).digest('base64url').slice(0, length)
}

class FakeState {
  readonly sentMessages: SentSubscribeMessage[] = []
  readonly calls: Record<FakeEndpoint, number> = { code2session: 0, oauth: 0, stable_token: 0, msg_sec_check: 0, subscribe: 0, wxacode: 0 }
  private readonly failures = new Map<FakeEndpoint, Array<number | 'slow'>>()
  /** token → expiry (ms since epoch) and owning app. */
  private readonly tokens = new Map<string, { appId: string; expiresAt: number }>()
  private readonly currentToken = new Map<string, string>()
  private readonly timers = new Set<NodeJS.Timeout>()
  private readonly slowMs: number

  constructor(private readonly options: FakeWeChatOptions) {
    this.slowMs = options.slowMs ?? 10_000
  }

  failNext(endpoint: FakeEndpoint, errcode: number | 'slow', times: number): void {
    const queue = this.failures.get(endpoint) ?? []
    for (let i = 0; i < times; i++) queue.push(errcode)
    this.failures.set(endpoint, queue)
  }

  expireAccessTokens(): void {
    for (const entry of this.tokens.values()) entry.expiresAt = 0
  }

  stop(): void {
    for (const timer of this.timers) clearTimeout(timer)
    this.timers.clear()
  }

  async handle(req: IncomingMessage): Promise<{ endpoint?: FakeEndpoint; body: Record<string, unknown>; image?: Buffer }> {
    const url = new URL(req.url ?? '/', 'http://fake')
    const endpoint = endpointOf(req.method ?? 'GET', url.pathname)
    if (!endpoint) return { body: { errcode: 404, errmsg: `unknown api ${url.pathname}` } }
    this.calls[endpoint]++
    try {
      const injected = this.failures.get(endpoint)?.shift()
      if (injected === 'slow') await this.sleep(this.slowMs)
      else if (injected !== undefined) return { endpoint, body: wechatError(injected).body }
      const body = req.method === 'POST' ? await readJson(req) : undefined
      if (endpoint === 'wxacode') {
        this.checkToken(url.searchParams)
        return { endpoint, body: {}, image: await unlimitedCode(body) }
      }
      return { endpoint, body: await this.answer(endpoint, url.searchParams, body) }
    } catch (err) {
      if (err instanceof FakeAnswer) return { endpoint, body: err.body }
      throw err
    }
  }

  private async answer(endpoint: FakeEndpoint, query: URLSearchParams, body: unknown): Promise<Record<string, unknown>> {
    switch (endpoint) {
      case 'code2session':
        return this.exchangeCode(query, this.options.appId, this.options.secret, 'js_code', false)
      case 'oauth':
        return this.exchangeCode(query, this.options.webAppId ?? this.options.appId, this.options.webSecret ?? this.options.secret, 'code', true)
      case 'stable_token':
        return this.stableToken(body)
      case 'msg_sec_check':
        this.checkToken(query)
        return msgSecCheck(body)
      case 'wxacode':
        throw wechatError(-1)
      case 'subscribe': {
        this.checkToken(query)
        const answer = this.subscribeSend(body)
        const last = this.sentMessages[this.sentMessages.length - 1]
        if (last) this.options.onSubscribeAccepted?.(last, this.sentMessages.length)
        if (this.options.subscribeReplyDelayMs) await this.sleep(this.options.subscribeReplyDelayMs)
        return answer
      }
    }
  }

  private async exchangeCode(query: URLSearchParams, appId: string, secret: string, codeParam: string, web: boolean) {
    if (query.get('appid') !== appId) throw wechatError(40013)
    if (query.get('secret') !== secret) throw wechatError(40125)
    if (query.get('grant_type') !== 'authorization_code') throw wechatError(40002)
    const code = query.get(codeParam) ?? ''
    if (!code || code.startsWith('invalid-')) throw wechatError(40029)
    if (code.startsWith('ratelimit-')) throw wechatError(45011)
    if (code.startsWith('risky-')) throw wechatError(40226)
    if (code.startsWith('busy-')) throw wechatError(-1)
    if (code.startsWith('slow-')) await this.sleep(this.slowMs)
    const openid = `o${digest(`${appId}:${code}`, 27)}`
    const unionid = code.startsWith('unionid-') ? `u${digest(`union:${code.slice('unionid-'.length)}`, 27)}` : undefined
    if (web) {
      return {
        access_token: `web-${randomBytes(16).toString('hex')}`,
        expires_in: TOKEN_LIFETIME_SECONDS,
        refresh_token: `web-refresh-${randomBytes(16).toString('hex')}`,
        openid,
        scope: 'snsapi_base',
        is_snapshotuser: 0,
        ...(unionid ? { unionid } : {})
      }
    }
    return { openid, session_key: randomBytes(16).toString('base64'), ...(unionid ? { unionid } : {}) }
  }

  private stableToken(body: unknown): Record<string, unknown> {
    const input = asRecord(body)
    if (input.grant_type !== 'client_credential') throw wechatError(40002)
    const appId = String(input.appid ?? '')
    const known = [this.options.appId, this.options.webAppId ?? this.options.appId]
    if (!known.includes(appId)) throw wechatError(40013)
    const secret = appId === this.options.appId ? this.options.secret : (this.options.webSecret ?? this.options.secret)
    if (input.secret !== secret) throw wechatError(40125)
    const now = Date.now()
    const current = this.currentToken.get(appId)
    const entry = current ? this.tokens.get(current) : undefined
    if (current && entry && entry.expiresAt > now && input.force_refresh !== true) {
      return { access_token: current, expires_in: Math.floor((entry.expiresAt - now) / 1000) }
    }
    const token = `fake-token-${randomBytes(24).toString('hex')}`
    this.tokens.set(token, { appId, expiresAt: now + TOKEN_LIFETIME_SECONDS * 1000 })
    this.currentToken.set(appId, token)
    return { access_token: token, expires_in: TOKEN_LIFETIME_SECONDS }
  }

  private checkToken(query: URLSearchParams): void {
    const entry = this.tokens.get(query.get('access_token') ?? '')
    if (!entry) throw wechatError(40001)
    if (entry.expiresAt <= Date.now()) throw wechatError(42001)
  }

  private subscribeSend(body: unknown): Record<string, unknown> {
    const input = asRecord(body)
    const touser = typeof input.touser === 'string' ? input.touser : ''
    if (!touser) throw wechatError(40003)
    if (typeof input.template_id !== 'string' || !input.template_id) throw wechatError(40037)
    const data = asRecord(input.data)
    const valid = Object.keys(data).length > 0 && Object.values(data).every((v) => typeof asRecord(v).value === 'string')
    if (!valid) throw wechatError(47003)
    if (touser.startsWith('refuse')) throw wechatError(43101)
    if (touser.startsWith('busy')) throw wechatError(-1)
    this.sentMessages.push({
      touser,
      template_id: input.template_id,
      ...(typeof input.page === 'string' ? { page: input.page } : {}),
      data: data as Record<string, { value: string }>,
      ...(typeof input.miniprogram_state === 'string' ? { miniprogram_state: input.miniprogram_state } : {}),
      ...(typeof input.lang === 'string' ? { lang: input.lang } : {}),
      at: new Date()
    })
    return { errcode: 0, errmsg: 'ok', msgid: Date.now() }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer)
        resolve()
      }, ms)
      this.timers.add(timer)
    })
  }
}

function msgSecCheck(body: unknown): Record<string, unknown> {
  const input = asRecord(body)
  if (input.version !== 2) throw wechatError(47001)
  if (typeof input.openid !== 'string' || !input.openid) throw wechatError(40003)
  if (typeof input.scene !== 'number' || ![1, 2, 3, 4].includes(input.scene)) throw wechatError(47001)
  if (typeof input.content !== 'string') throw wechatError(47001)
  const [suggest, label] = input.content.includes('违禁') ? ['risky', 20006] : input.content.includes('可疑') ? ['review', 21000] : ['pass', 100]
  return {
    errcode: 0,
    errmsg: 'ok',
    result: { suggest, label },
    detail: [{ strategy: 'content_model', errcode: 0, suggest, label, prob: 90 }],
    trace_id: randomBytes(12).toString('hex')
  }
}

/** The characters WeChat allows in a scene. */
const SCENE_CHARS = /^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]+$/

async function unlimitedCode(body: unknown): Promise<Buffer> {
  const input = asRecord(body)
  if (typeof input.scene !== 'string' || input.scene.length === 0 || input.scene.length > 32) throw wechatError(40169)
  if (!SCENE_CHARS.test(input.scene)) throw wechatError(40129)
  const page = input.page === undefined ? '' : input.page
  if (typeof page !== 'string' || page.startsWith('/') || !/^[A-Za-z0-9_/-]*$/.test(page)) throw wechatError(41030)
  const width = input.width === undefined ? 430 : input.width
  if (typeof width !== 'number' || width < 280 || width > 1280) throw wechatError(40097)
  return QRCode.toBuffer(`wxacode:${page}?scene=${input.scene}`, { type: 'png', width, margin: 2 })
}

function endpointOf(method: string, pathname: string): FakeEndpoint | undefined {
  if (method === 'POST' && pathname === '/wxa/getwxacodeunlimit') return 'wxacode'
  if (method === 'GET' && pathname === '/sns/jscode2session') return 'code2session'
  if (method === 'GET' && pathname === '/sns/oauth2/access_token') return 'oauth'
  if (method === 'POST' && pathname === '/cgi-bin/stable_token') return 'stable_token'
  if (method === 'POST' && pathname === '/wxa/msg_sec_check') return 'msg_sec_check'
  if (method === 'POST' && pathname === '/cgi-bin/message/subscribe/send') return 'subscribe'
  return undefined
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > 1024 * 1024) throw wechatError(47001)
    chunks.push(chunk)
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'))
  } catch {
    throw wechatError(47001)
  }
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {}
}
