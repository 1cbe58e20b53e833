/**
 * What went wrong in a WeChat call, sorted by what the caller should do about it. WeChat answers
 * most errors with HTTP 200 and `{errcode, errmsg}`; transport failures get local codes below zero
 * that WeChat never uses.
 */
export type WeChatErrorKind =
  'invalid_code' | 'rate_limited' | 'risky_user' | 'busy' | 'timeout' | 'network' | 'bad_response' | 'token_expired' | 'subscription_refused' | 'invalid_request' | 'misconfigured' | 'unknown'

/** Codes of our own for failures that never reached a WeChat answer. */
export const LOCAL_ERRCODES = { timeout: -9001, network: -9002, badResponse: -9003 } as const

interface ErrcodeRule {
  kind: WeChatErrorKind
  retryable: boolean
}

/** The documented errcodes we act on; anything else is `unknown` and not retried. */
const ERRCODE_RULES: ReadonlyMap<number, ErrcodeRule> = new Map<number, ErrcodeRule>([
  [-1, { kind: 'busy', retryable: true }],
  [40029, { kind: 'invalid_code', retryable: false }],
  [40163, { kind: 'invalid_code', retryable: false }],
  [45011, { kind: 'rate_limited', retryable: true }],
  [45009, { kind: 'rate_limited', retryable: true }],
  [40226, { kind: 'risky_user', retryable: false }],
  [40001, { kind: 'token_expired', retryable: true }],
  [42001, { kind: 'token_expired', retryable: true }],
  [40014, { kind: 'token_expired', retryable: true }],
  [43101, { kind: 'subscription_refused', retryable: false }],
  [40003, { kind: 'invalid_request', retryable: false }],
  [40037, { kind: 'invalid_request', retryable: false }],
  [47001, { kind: 'invalid_request', retryable: false }],
  [47003, { kind: 'invalid_request', retryable: false }],
  // wxacode.getUnlimited: scene not valid, page not published, scene too long, arguments wrong
  [40129, { kind: 'invalid_request', retryable: false }],
  [41030, { kind: 'invalid_request', retryable: false }],
  [40169, { kind: 'invalid_request', retryable: false }],
  [40097, { kind: 'invalid_request', retryable: false }],
  [40002, { kind: 'misconfigured', retryable: false }],
  [40013, { kind: 'misconfigured', retryable: false }],
  [40125, { kind: 'misconfigured', retryable: false }],
  [40164, { kind: 'misconfigured', retryable: false }],
  [LOCAL_ERRCODES.timeout, { kind: 'timeout', retryable: true }],
  [LOCAL_ERRCODES.network, { kind: 'network', retryable: true }],
  [LOCAL_ERRCODES.badResponse, { kind: 'bad_response', retryable: false }]
])

/**
 * A failed WeChat call. `retryable` tells an outbox or a caller whether trying again later can
 * succeed (busy, timeout, rate limit) or never will (refused subscription, bad openid, bad code).
 * The message carries WeChat's errmsg but never a secret, token or session key.
 */
export class WeChatError extends Error {
  readonly kind: WeChatErrorKind
  readonly retryable: boolean

  constructor(
    readonly errcode: number,
    readonly errmsg: string,
    readonly endpoint: string
  ) {
    super(`WeChat ${endpoint} failed: ${errcode} ${errmsg}`)
    this.name = 'WeChatError'
    const rule = ERRCODE_RULES.get(errcode) ?? { kind: 'unknown', retryable: false }
    this.kind = rule.kind
    this.retryable = rule.retryable
  }
}
