import { appConfig } from '../config'
import { StorageKeys, readStored, writeStored } from './storage'

export interface Settings {
  /** 长辈模式: larger text, larger touch targets, higher contrast. */
  elderMode: boolean
}

export interface PrivacyConsent {
  policyVersion: string
  granted: boolean
  /** ISO time of the decision, kept as the consent record (docs/security.md PI-4). */
  at: string
  client: string
}

const DEFAULTS: Settings = { elderMode: false }
type Listener = (s: Settings) => void
const listeners = new Set<Listener>()

export function getSettings(): Settings {
  return { ...DEFAULTS, ...(readStored<Partial<Settings>>(StorageKeys.settings) ?? {}) }
}

export function updateSettings(change: Partial<Settings>): Settings {
  const next = { ...getSettings(), ...change }
  writeStored(StorageKeys.settings, next)
  listeners.forEach((l) => l(next))
  return next
}

export function onSettingsChange(listener: Listener): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

export function getPrivacyConsent(): PrivacyConsent | undefined {
  return readStored<PrivacyConsent>(StorageKeys.privacyConsent)
}

/** True when the resident agreed to the current version of the notice. */
export function hasCurrentConsent(): boolean {
  const c = getPrivacyConsent()
  return Boolean(c?.granted && c.policyVersion === appConfig.privacyPolicyVersion)
}

/** Records the decision with version, time and client; withdrawing is as easy as granting. */
export function recordPrivacyConsent(granted: boolean): PrivacyConsent {
  const consent: PrivacyConsent = {
    policyVersion: appConfig.privacyPolicyVersion,
    granted,
    at: new Date().toISOString(),
    client: appConfig.platform
  }
  writeStored(StorageKeys.privacyConsent, consent)
  return consent
}
