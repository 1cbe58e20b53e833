import type { AccountDeletionView, ConsentView, MyDataExportView, ReviewDecisionView, ReviewQueueView } from '@palm/shared'
import { appConfig } from '../config'
import { apiRequest } from './api-client'
import { getSession, type Session } from './session'
import { hasCurrentConsent } from './settings'

/**
 * Residents' data rights on the server (docs/residents-data.md): consent, export, account deletion;
 * and the review queue of held board items for community staff.
 */
export const privacyService = {
  /** Records consent to the notice version this build shows. */
  giveConsent: () => apiRequest<ConsentView>({ method: 'POST', path: '/api/me/consent', body: { policyVersion: appConfig.privacyPolicyVersion, client: appConfig.platform.slice(0, 16) } }),
  withdrawConsent: () => apiRequest<void>({ method: 'DELETE', path: '/api/me/consent' }),
  exportMyData: () => apiRequest<MyDataExportView>({ path: '/api/me/export' }),
  deleteAccount: () => apiRequest<AccountDeletionView>({ method: 'DELETE', path: '/api/me' }),
  heldItems: (communityCode?: string) => apiRequest<ReviewQueueView>({ path: '/api/publication/review', query: { communityCode } }),
  release: (ticketId: string, maskedText?: string) =>
    apiRequest<ReviewDecisionView>({ method: 'POST', path: `/api/publication/review/${encodeURIComponent(ticketId)}/release`, body: maskedText ? { maskedText } : {} }),
  withhold: (ticketId: string) => apiRequest<ReviewDecisionView>({ method: 'POST', path: `/api/publication/review/${encodeURIComponent(ticketId)}/withhold` })
}

/**
 * Sends a consent given on this phone to the server when someone is signed in; a failure is left
 * for later (the next submission answers consent_required and the notice opens again).
 */
export async function syncConsentToServer(granted: boolean): Promise<boolean> {
  if (!getSession()) return false
  try {
    await (granted ? privacyService.giveConsent() : privacyService.withdrawConsent())
    return true
  } catch {
    return false
  }
}

const syncedUsers = new Set<string>()

/** Once per account and app run (not on every token refresh): the consent given on this phone goes to the server. */
export async function syncConsentOnSignIn(userId: string): Promise<void> {
  if (syncedUsers.has(userId)) return
  syncedUsers.add(userId)
  if (!(await syncConsentToServer(true))) syncedUsers.delete(userId)
}

/**
 * After a resident signs in: a consent given on this phone to the current notice is recorded on the
 * server before the first submission (otherwise it would answer consent_required). Never fails the sign-in.
 */
export async function consentAfterSignIn(session: Session): Promise<Session> {
  if (hasCurrentConsent()) await syncConsentOnSignIn(session.user.id)
  return session
}
