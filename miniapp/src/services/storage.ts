import Taro from '@tarojs/taro'

/** Every key the app keeps in local storage, in one place so sign-out can clear personal data. */
export const StorageKeys = {
  session: 'palm.session',
  reportDraft: 'palm.report-draft',
  settings: 'palm.settings',
  privacyConsent: 'palm.privacy-consent'
} as const
export type StorageKey = (typeof StorageKeys)[keyof typeof StorageKeys]

/** Keys holding personal data: removed on sign-out (docs/security.md DB-RI-1). */
export const PERSONAL_KEYS: readonly StorageKey[] = [StorageKeys.session, StorageKeys.reportDraft]

/** Reads a JSON value; a missing or unreadable entry is `undefined`, never an exception. */
export function readStored<T>(key: StorageKey): T | undefined {
  try {
    const raw: unknown = Taro.getStorageSync(key)
    if (raw === '' || raw === undefined || raw === null) return undefined
    return (typeof raw === 'string' ? JSON.parse(raw) : raw) as T
  } catch {
    return undefined
  }
}

/** Writes synchronously, so a value survives the app being killed right after. */
export function writeStored(key: StorageKey, value: unknown): void {
  Taro.setStorageSync(key, JSON.stringify(value))
}

export function removeStored(key: StorageKey): void {
  Taro.removeStorageSync(key)
}
