import type { Role } from '@palm/shared'
import type { DataSource } from 'typeorm'
import { testConfig, type Config } from '../src/config'
import { hashPassword } from '../src/modules/auth/passwords'
import { newTotpSecret } from '../src/modules/auth/totp'
import { User } from '../src/modules/auth/user.entity'
import { createUser } from './factories'

/** The app id and secrets the fake WeChat server and the app under test agree on. */
export const FAKE_WECHAT_APP = { appId: 'wxtestappid', secret: 'testsecret', webAppId: 'wxtestwebappid', webSecret: 'testwebsecret' } as const

/** WeChat settings pointing at a fake server, with a short timeout so "slow" codes fail fast. */
export function fakeWeChatConfig(url: string, timeoutMs = 400): Config['wechat'] {
  return { ...testConfig().wechat, apiBase: url, ...FAKE_WECHAT_APP, timeoutMs }
}

let ipCounter = 0
/** A fresh client address (send it as X-Forwarded-For with trustProxy on), so the per-IP limiter never couples tests. */
export function nextIp(): string {
  ipCounter++
  return `10.${(ipCounter >> 16) & 255}.${(ipCounter >> 8) & 255}.${ipCounter & 255}`
}

/** A staff account with a password (argon2id) and, when asked, an enrolled authenticator. */
export async function createStaffWithPassword(
  ds: DataSource,
  role: Role,
  opts: { username: string; password: string; totp?: boolean; gridCode?: string; communityCode?: string; streetCode?: string; departmentCode?: string; disabled?: boolean }
): Promise<User> {
  const user = await createUser(ds, role, {
    username: opts.username,
    passwordHash: await hashPassword(opts.password),
    gridCode: opts.gridCode,
    communityCode: opts.communityCode,
    streetCode: opts.streetCode,
    departmentCode: opts.departmentCode,
    disabled: opts.disabled
  })
  if (opts.totp) {
    user.totpSecret = newTotpSecret()
    await ds.getRepository(User).update({ id: user.id }, { totpSecret: user.totpSecret })
  }
  return user
}
