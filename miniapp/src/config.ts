/**
 * Build-time settings, the only place that reads process.env.TARO_APP_* (docs/style.md "Mini-program"). Taro inlines
 * each declared key at build time (see .env.production); everything here ends up public in the bundle.
 */

import { POLICY_VERSION } from '@palm/shared'

/** The weapp build cannot use relative URLs; this placeholder fails loudly until the real HTTPS origin is set. */
const WEAPP_PLACEHOLDER_API = 'https://api.example.invalid'

export type Platform = 'weapp' | 'h5'

export const platform: Platform = process.env.TARO_ENV === 'weapp' ? 'weapp' : 'h5'

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '')
}

function apiBase(): string {
  const configured = trimSlash((process.env.TARO_APP_API_BASE ?? '').trim())
  if (configured) return configured
  return platform === 'weapp' ? WEAPP_PLACEHOLDER_API : ''
}

function templateIds(): string[] {
  return (process.env.TARO_APP_SUBSCRIBE_TEMPLATE_IDS ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean)
}

export const appConfig = Object.freeze({
  platform,
  /** '' means "same origin as the page" (H5 served by `npm start`). */
  apiBase: apiBase(),
  /** WeChat appid: the mini-program's in weapp, the official account's for H5 OAuth inside WeChat. */
  appId: (process.env.TARO_APP_ID ?? '').trim(),
  subscribeTemplateIds: Object.freeze(templateIds()),
  /** Version of the privacy notice; a new version asks for consent again. */
  /** The notice version, the same constant the server checks consents against (POST /api/me/consent). */
  privacyPolicyVersion: POLICY_VERSION
})
