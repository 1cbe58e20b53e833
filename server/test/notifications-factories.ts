import { TEMPLATE_KEYS, type TemplateKey } from '@palm/shared'
import type { DataSource } from 'typeorm'
import { testConfig, type Config } from '../src/config'
import { withWrite } from '../src/db/tx'
import { User } from '../src/modules/auth/user.entity'
import { NotificationOutbox, SubscriptionGrant } from '../src/modules/notifications/notification.entity'
import { createWeChatClient, startFakeWeChatServer, type FakeWeChatServer, type WeChatClient } from '../src/modules/wechat/index'
import { createTestContext, type TestContext } from './test-app'

export const FAKE_APP = { appId: 'wx-notify-test', secret: 'notify-test-secret' } as const

/** Template ids as a deployment would configure them (WECHAT_TEMPLATE_IDS). */
export const TEMPLATE_IDS: Record<TemplateKey, string> = Object.fromEntries(TEMPLATE_KEYS.map((k) => [k, `tmpl-${k.replace(/_/g, '-')}`])) as Record<TemplateKey, string>

export interface NotifyContext {
  t: TestContext
  fake: FakeWeChatServer
  /** A WeChat client of its own (its own token cache), not retrying -1 itself: the outbox owns retries. */
  client: WeChatClient
  close: () => Promise<void>
}

/** A full test app whose WeChat settings point at a fresh fake WeChat server, with every template configured. */
export async function createNotifyContext(templateIds: Record<string, string> = TEMPLATE_IDS, overrides: Partial<Config> = {}): Promise<NotifyContext> {
  const fake = await startFakeWeChatServer({ ...FAKE_APP, slowMs: 3_000 })
  const wechat = { ...testConfig().wechat, apiBase: fake.url, ...FAKE_APP, timeoutMs: 1_000, templateIds }
  const t = await createTestContext({ ...overrides, wechat })
  const client = createWeChatClient(t.deps.config, { busyRetries: 0 })
  return {
    t,
    fake,
    client,
    close: async () => {
      await t.close()
      await fake.close()
    }
  }
}

/** Gives a user the openid WeChat sign-in would have stored. */
export async function setOpenid(ds: DataSource, user: Pick<User, 'id'>, openid: string | null): Promise<void> {
  await withWrite(ds, (em) => em.getRepository(User).update({ id: user.id }, { openid }))
}

/** Sets a user's unused grants for a template (as if they accepted requestSubscribeMessage `remaining` times). */
export async function setGrants(ds: DataSource, userId: string, templateKey: TemplateKey, remaining: number): Promise<void> {
  const templateId = TEMPLATE_IDS[templateKey]
  await withWrite(ds, async (em) => {
    await em.getRepository(SubscriptionGrant).delete({ userId, templateId })
    await em.getRepository(SubscriptionGrant).insert({ userId, templateId, remaining, updatedAt: new Date() })
  })
}

export async function remainingGrants(ds: DataSource, userId: string, templateKey: TemplateKey): Promise<number> {
  const row = await ds.getRepository(SubscriptionGrant).findOneBy({ userId, templateId: TEMPLATE_IDS[templateKey] })
  return row?.remaining ?? 0
}

export function outboxOf(ds: DataSource, userId: string): Promise<NotificationOutbox[]> {
  return ds.getRepository(NotificationOutbox).find({ where: { userId }, order: { createdAt: 'ASC', id: 'ASC' } })
}
