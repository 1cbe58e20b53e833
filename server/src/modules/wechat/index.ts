import type { Config } from '../../config'
import { WeChatClient, type WeChatClientOptions } from './wechat.client'

export { WeChatClient } from './wechat.client'
export type { ContentSuggestion, MsgSecScene, SubscribeMessage, UnlimitedQrCodeRequest, WeChatClientOptions, WeChatIdentity } from './wechat.client'
export { LOCAL_ERRCODES, WeChatError } from './wechat.errors'
export type { WeChatErrorKind } from './wechat.errors'
export { startFakeWeChatServer } from './fake-wechat-server'
export type { FakeEndpoint, FakeWeChatOptions, FakeWeChatServer, SentSubscribeMessage } from './fake-wechat-server'

/** A new client for this config's WeChat settings (its own token cache). */
export function createWeChatClient(config: Pick<Config, 'wechat'>, options?: WeChatClientOptions): WeChatClient {
  return new WeChatClient(config.wechat, options)
}

const sharedClients = new WeakMap<Config['wechat'], WeChatClient>()

/**
 * The process's one client for this config, so sign-in, moderation and notifications share one
 * access-token cache and one refresh (stable_token is rate-limited; WX-7). Keyed by the config
 * object, so each test app gets its own.
 */
export function wechatClientFor(config: Pick<Config, 'wechat'>): WeChatClient {
  let client = sharedClients.get(config.wechat)
  if (!client) {
    client = new WeChatClient(config.wechat)
    sharedClients.set(config.wechat, client)
  }
  return client
}
