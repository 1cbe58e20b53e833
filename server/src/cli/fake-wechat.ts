import { z } from 'zod'
import { startFakeWeChatServer } from '../modules/wechat/index'

/**
 * `npm run fake-wechat`: the fake WeChat API on loopback for development. Point the server at it
 * with WECHAT_API_BASE=http://127.0.0.1:3901 (and the same WECHAT_APPID / WECHAT_SECRET, which both
 * read from the environment). Codes behave by prefix: ok-…, unionid-…, invalid-…, ratelimit-…,
 * risky-…, busy-…, slow-… (see fake-wechat-server.ts). FAKE_WECHAT_SEND_REPLY_DELAY_MS holds each accepted
 * subscribe message's answer back (a window in which a relay can die after WeChat delivered).
 */
const Env = z.object({
  FAKE_WECHAT_PORT: z.coerce.number().int().min(0).max(65535).default(3901),
  FAKE_WECHAT_SLOW_MS: z.coerce.number().int().min(0).default(10_000),
  /** Testing only: delay (ms) before answering an accepted subscribe message (0: none). */
  FAKE_WECHAT_SEND_REPLY_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(0),
  WECHAT_APPID: z.string().default(''),
  WECHAT_SECRET: z.string().default(''),
  WECHAT_WEB_APPID: z.string().default(''),
  WECHAT_WEB_SECRET: z.string().default('')
})

async function main(): Promise<void> {
  const parsed = Env.safeParse(process.env)
  if (!parsed.success) {
    console.error(parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`).join('\n'))
    process.exit(1)
  }
  const env = parsed.data
  const fake = await startFakeWeChatServer({
    appId: env.WECHAT_APPID,
    secret: env.WECHAT_SECRET,
    webAppId: env.WECHAT_WEB_APPID || env.WECHAT_APPID,
    webSecret: env.WECHAT_WEB_SECRET || env.WECHAT_SECRET,
    port: env.FAKE_WECHAT_PORT,
    slowMs: env.FAKE_WECHAT_SLOW_MS,
    subscribeReplyDelayMs: env.FAKE_WECHAT_SEND_REPLY_DELAY_MS,
    onCall: (endpoint, errcode) => console.log(`${new Date().toISOString()} ${endpoint} → errcode ${errcode}`)
  })
  console.log(`Fake WeChat API listening on ${fake.url}`)
  console.log(`Start the server with WECHAT_API_BASE=${fake.url} (appid "${env.WECHAT_APPID}").`)
  const stop = () => {
    void fake.close().then(() => process.exit(0))
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

void main()
