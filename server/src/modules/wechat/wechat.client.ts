import { setTimeout as sleep } from 'node:timers/promises'
import { z } from 'zod'
import type { Config } from '../../config'
import { LOCAL_ERRCODES, WeChatError } from './wechat.errors'

/*
 * Response schemas. `z.object` drops every key it does not name, so `session_key` (returned by
 * jscode2session) and the web OAuth `access_token` never leave this file: they are not returned,
 * stored or logged (docs/security.md WX-2).
 */
const Code2SessionResponse = z.object({ openid: z.string().min(1).max(64), unionid: z.string().min(1).max(64).optional() })
const WebOAuthResponse = z.object({
  openid: z.string().min(1).max(64),
  unionid: z.string().min(1).max(64).optional(),
  is_snapshotuser: z.number().optional()
})
const StableTokenResponse = z.object({ access_token: z.string().min(1).max(2048), expires_in: z.number().int().positive() })
const SuggestSchema = z.enum(['pass', 'review', 'risky'])
const MsgSecCheckResponse = z.object({ result: z.object({ suggest: SuggestSchema, label: z.number().int() }), trace_id: z.string().optional() })
const OkResponse = z.object({ errcode: z.literal(0).optional() })

export type ContentSuggestion = z.infer<typeof SuggestSchema>

/** The identity WeChat vouches for. Never anything else from the exchange (no session key). */
export interface WeChatIdentity {
  openid: string
  unionid?: string
}

/** msg_sec_check v2 scenes: 1 profile, 2 comment, 3 forum, 4 social log. */
export type MsgSecScene = 1 | 2 | 3 | 4

export interface SubscribeMessage {
  touser: string
  template_id: string
  page?: string
  data: Record<string, { value: string }>
  miniprogram_state?: 'developer' | 'trial' | 'formal'
  lang?: 'zh_CN' | 'en_US' | 'zh_HK' | 'zh_TW'
}

/** wxacode.getUnlimited's body (docs/places-and-grids.md): `scene` is what the opened page receives. */
export interface UnlimitedQrCodeRequest {
  /** At most 32 visible characters: digits, letters and !#$&'()*+,/:;=?@-._~ */
  scene: string
  /** A published page, no leading slash, e.g. `packages/report/new/index`. */
  page: string
  /** false while the page is not yet released (trial/develop builds). */
  check_path?: boolean
  env_version?: 'release' | 'trial' | 'develop'
  /** Pixels, 280–1280. */
  width?: number
}

export interface WeChatClientOptions {
  /** The clock for the access-token cache (tests move it); defaults to Date.now. */
  clock?: () => number
  /** Retries after errcode -1 (system busy), with jittered backoff; WX-3 allows up to 3. */
  busyRetries?: number
  /** Backoff before the first busy retry; doubles each time, plus up to the same again in jitter. */
  busyBackoffMs?: number
}

/** WeChat starts the next token five minutes before the old one expires (WX-7); we refresh then too. */
const TOKEN_REFRESH_MARGIN_MS = 5 * 60 * 1000

interface CallOptions {
  query?: Record<string, string>
  body?: unknown
  /** Whether errcode -1 may be retried here: not for sends, where the outbox owns retries. */
  retryBusy: boolean
}

/**
 * The one WeChat API client: every call has a timeout, a validated response and a typed error
 * (docs/security.md API10-1). The base URL comes from config, so tests and development point it at the
 * fake server. One access token per client, cached until five minutes before it expires; concurrent
 * callers share one refresh. Use `wechatClientFor(config)` so a process keeps one client, and so one
 * token cache.
 */
export class WeChatClient {
  private readonly clock: () => number
  private readonly busyRetries: number
  private readonly busyBackoffMs: number
  private cachedToken: { token: string; expiresAt: number } | null = null
  private tokenInFlight: Promise<string> | null = null

  constructor(
    private readonly config: Config['wechat'],
    options: WeChatClientOptions = {}
  ) {
    this.clock = options.clock ?? Date.now
    this.busyRetries = options.busyRetries ?? 2
    this.busyBackoffMs = options.busyBackoffMs ?? 50
  }

  /**
   * Mini-program sign-in: exchanges a `wx.login` code for the user's openid (and unionid when the
   * app is bound to an open-platform account). The code is single-use on WeChat's side.
   * @throws WeChatError invalid_code (40029), rate_limited (45011), risky_user (40226), busy, timeout, network
   */
  async code2Session(code: string): Promise<WeChatIdentity> {
    const query = { appid: this.config.appId, secret: this.config.secret, js_code: code, grant_type: 'authorization_code' }
    const res = await this.call('GET', '/sns/jscode2session', Code2SessionResponse, { query, retryBusy: true })
    return identity(res)
  }

  /**
   * H5 inside WeChat: exchanges an OAuth2 `snsapi_base` code for the openid of the official
   * account. The web access token WeChat also returns is discarded: snsapi_base needs nothing more.
   * @throws WeChatError as code2Session; a snapshot-mode visitor (virtual openid) is invalid_code
   */
  async webOAuthExchange(code: string): Promise<WeChatIdentity> {
    const query = { appid: this.config.webAppId, secret: this.config.webSecret, code, grant_type: 'authorization_code' }
    const res = await this.call('GET', '/sns/oauth2/access_token', WebOAuthResponse, { query, retryBusy: true })
    if (res.is_snapshotuser === 1) throw new WeChatError(40029, 'snapshot-mode user has no real openid', 'oauth2/access_token')
    return identity(res)
  }

  /**
   * The app's access token from `stable_token` (normal mode), cached until five minutes before it
   * expires. Callers arriving during a refresh wait for that one refresh rather than starting theirs.
   */
  async getAccessToken(): Promise<string> {
    const cached = this.cachedToken
    if (cached && this.clock() < cached.expiresAt - TOKEN_REFRESH_MARGIN_MS) return cached.token
    return this.refreshAccessToken(false)
  }

  /**
   * Text moderation (msg_sec_check v2) for user text that others will see (WX-11). The openid must
   * belong to a user who used the mini-program within the last two hours.
   * @throws WeChatError (e.g. invalid_request for a bad openid, busy, timeout)
   */
  async msgSecCheck(openid: string, content: string, scene: MsgSecScene): Promise<{ suggest: ContentSuggestion; label: number }> {
    const body = { version: 2, openid, scene, content }
    const res = await this.callWithToken('/wxa/msg_sec_check', MsgSecCheckResponse, body, true)
    return { suggest: res.result.suggest, label: res.result.label }
  }

  /**
   * Sends one subscribe message. Not retried here on -1: the notification outbox owns retries, and
   * `WeChatError.retryable` tells it whether to (43101 refused and 40003/47003 are terminal).
   * @throws WeChatError
   */
  async sendSubscribeMessage(message: SubscribeMessage): Promise<void> {
    await this.callWithToken('/cgi-bin/message/subscribe/send', OkResponse, message, false)
  }

  /**
   * A mini-program code for a page and scene (wxacode.getUnlimited): unlimited in number, the
   * scene arrives in the page's `options.scene`. WeChat answers the image itself, or JSON on error.
   * Retried on -1 like the reads: making a code changes nothing on WeChat's side.
   * @throws WeChatError invalid_request (40129 scene, 41030 page, 40169 scene length), rate_limited (45009), …
   */
  async getUnlimitedQrCode(request: UnlimitedQrCodeRequest): Promise<Buffer> {
    const attempt = async (token: string) => {
      for (let n = 0; ; n++) {
        try {
          return await this.fetchImage('/wxa/getwxacodeunlimit', token, request)
        } catch (err) {
          if (!(err instanceof WeChatError) || err.kind !== 'busy' || n >= this.busyRetries) throw err
          await sleep(this.busyBackoffMs * 2 ** n * (1 + Math.random()))
        }
      }
    }
    const token = await this.getAccessToken()
    try {
      return await attempt(token)
    } catch (err) {
      if (!(err instanceof WeChatError) || err.kind !== 'token_expired') throw err
      return attempt(await this.renewRejectedToken(token))
    }
  }

  /** A POST whose success is an image (any `image/*` answer); anything else is read as a WeChat error. */
  private async fetchImage(path: string, token: string, body: unknown): Promise<Buffer> {
    const endpoint = path.replace(/^\/(sns|cgi-bin|wxa)\//, '')
    const url = new URL(this.config.apiBase + path)
    url.searchParams.set('access_token', token)
    let res: Response
    let bytes: Buffer
    try {
      res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(this.config.timeoutMs) })
      bytes = Buffer.from(await res.arrayBuffer())
    } catch (err) {
      const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')
      throw timedOut ? new WeChatError(LOCAL_ERRCODES.timeout, `no answer within ${this.config.timeoutMs} ms`, endpoint) : new WeChatError(LOCAL_ERRCODES.network, 'could not reach WeChat', endpoint)
    }
    if (res.status === 200 && (res.headers.get('content-type') ?? '').startsWith('image/')) return bytes
    parseAnswer(bytes.toString('utf8'), res.status, ErrorAnswer, endpoint)
    throw new WeChatError(LOCAL_ERRCODES.badResponse, 'neither an image nor an error', endpoint)
  }

  private refreshAccessToken(forceRefresh: boolean): Promise<string> {
    if (!this.tokenInFlight) {
      this.tokenInFlight = this.fetchStableToken(forceRefresh).finally(() => {
        this.tokenInFlight = null
      })
    }
    return this.tokenInFlight
  }

  private async fetchStableToken(forceRefresh: boolean): Promise<string> {
    const body = { grant_type: 'client_credential', appid: this.config.appId, secret: this.config.secret, force_refresh: forceRefresh }
    const res = await this.call('POST', '/cgi-bin/stable_token', StableTokenResponse, { body, retryBusy: true })
    this.cachedToken = { token: res.access_token, expiresAt: this.clock() + res.expires_in * 1000 }
    return res.access_token
  }

  /**
   * A call authorised by the access token. When WeChat says the token is expired or not the latest
   * (40001/42001), the token is renewed once and the call retried once. Renewal uses normal mode
   * first and force_refresh only if WeChat hands back the very token it just refused: force refresh
   * is limited to 20 a day (WX-7).
   */
  private async callWithToken<S extends z.ZodType>(path: string, schema: S, body: unknown, retryBusy: boolean): Promise<z.infer<S>> {
    const token = await this.getAccessToken()
    try {
      return await this.call('POST', path, schema, { query: { access_token: token }, body, retryBusy })
    } catch (err) {
      if (!(err instanceof WeChatError) || err.kind !== 'token_expired') throw err
      const fresh = await this.renewRejectedToken(token)
      return this.call('POST', path, schema, { query: { access_token: fresh }, body, retryBusy })
    }
  }

  private async renewRejectedToken(rejected: string): Promise<string> {
    if (this.cachedToken?.token === rejected) this.cachedToken = null
    const renewed = await this.getAccessToken()
    if (renewed !== rejected) return renewed
    this.cachedToken = null
    return this.refreshAccessToken(true)
  }

  private async call<S extends z.ZodType>(method: 'GET' | 'POST', path: string, schema: S, options: CallOptions): Promise<z.infer<S>> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.callOnce(method, path, schema, options)
      } catch (err) {
        const canRetry = err instanceof WeChatError && err.kind === 'busy' && options.retryBusy && attempt < this.busyRetries
        if (!canRetry) throw err
        const backoff = this.busyBackoffMs * 2 ** attempt
        await sleep(backoff + Math.random() * backoff)
      }
    }
  }

  private async callOnce<S extends z.ZodType>(method: 'GET' | 'POST', path: string, schema: S, options: CallOptions): Promise<z.infer<S>> {
    const endpoint = path.replace(/^\/(sns|cgi-bin|wxa)\//, '')
    const url = new URL(this.config.apiBase + path)
    for (const [key, value] of Object.entries(options.query ?? {})) url.searchParams.set(key, value)
    let text: string
    let status: number
    try {
      const res = await fetch(url, {
        method,
        headers: options.body === undefined ? {} : { 'Content-Type': 'application/json' },
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: AbortSignal.timeout(this.config.timeoutMs)
      })
      status = res.status
      text = await res.text()
    } catch (err) {
      const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')
      throw timedOut ? new WeChatError(LOCAL_ERRCODES.timeout, `no answer within ${this.config.timeoutMs} ms`, endpoint) : new WeChatError(LOCAL_ERRCODES.network, 'could not reach WeChat', endpoint)
    }
    return parseAnswer(text, status, schema, endpoint)
  }
}

const ErrorAnswer = z.object({ errcode: z.number().int(), errmsg: z.string().optional() })

function parseAnswer<S extends z.ZodType>(text: string, status: number, schema: S, endpoint: string): z.infer<S> {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    // A proxy's error page or an outage answers with HTML: worth another try later only when it was a 5xx.
    throw new WeChatError(status >= 500 ? LOCAL_ERRCODES.network : LOCAL_ERRCODES.badResponse, `HTTP ${status}, not JSON`, endpoint)
  }
  const error = ErrorAnswer.safeParse(json)
  if (error.success && error.data.errcode !== 0) throw new WeChatError(error.data.errcode, error.data.errmsg ?? '', endpoint)
  const parsed = schema.safeParse(json)
  if (!parsed.success) throw new WeChatError(LOCAL_ERRCODES.badResponse, 'unexpected answer shape', endpoint)
  return parsed.data
}

function identity(res: { openid: string; unionid?: string }): WeChatIdentity {
  return res.unionid ? { openid: res.openid, unionid: res.unionid } : { openid: res.openid }
}
