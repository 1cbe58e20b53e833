import { POLICY_VERSION, type MetaView, type SignInMethod } from '@palm/shared'
import type { Config } from '../../config'
import { demoSignInAllowed } from './demo-sign-in.service'

/**
 * What a client needs before anyone signs in (docs/accounts-and-duty.md "Meta"): whether this is a
 * demo (only then the persona picker), which sign-in methods work here, the official account's
 * appid for the H5 OAuth redirect, and the privacy policy version.
 */
export function presentMeta(config: Config): MetaView {
  const demo = demoSignInAllowed(config)
  const signIn: SignInMethod[] = []
  if (config.wechat.appId || demo) signIn.push('wechat_mini')
  if (config.wechat.webAppId || demo) signIn.push('wechat_web')
  signIn.push('staff_password')
  if (demo) signIn.push('demo')
  return {
    demoMode: demo,
    signIn,
    ...(config.wechat.webAppId ? { wechatWebAppId: config.wechat.webAppId } : {}),
    policyVersion: POLICY_VERSION,
    ...(config.mapTiles ? { mapTiles: config.mapTiles } : {})
  }
}
