import { randomUUID } from 'node:crypto'
import { POLICY_VERSION, type ConsentRecordView, type ConsentView } from '@palm/shared'
import type { EntityManager } from 'typeorm'
import { ConsentRecord } from './consent-record.entity'

// The account's consent decisions (docs/residents-data.md): reading them, appending one, and the
// first decision of accounts the system makes. Giving and withdrawing through the API, with their
// audit rows and side effects, and the gate on submissions are the privacy module's.

/** The resident's latest consent decision, or null when there is none. */
async function latestRecord(em: EntityManager, userId: string): Promise<ConsentRecord | null> {
  return em.getRepository(ConsentRecord).findOne({ where: { userId }, order: { seq: 'DESC' } })
}

/**
 * The consent that counts now: the latest decision, when it granted the current policy version.
 * A withdrawal, or a consent to an older notice (policyVersion bumped), counts as none (PI-2, PI-4).
 */
export async function currentConsent(em: EntityManager, userId: string): Promise<ConsentView | null> {
  const latest = await latestRecord(em, userId)
  if (!latest || latest.action !== 'granted' || latest.policyVersion !== POLICY_VERSION) return null
  return { policyVersion: latest.policyVersion, at: latest.createdAt.toISOString() }
}

/** Every decision of the resident, oldest first (the export shows it). */
export async function consentHistory(em: EntityManager, userId: string): Promise<ConsentRecordView[]> {
  const rows = await em.getRepository(ConsentRecord).find({ where: { userId }, order: { seq: 'ASC' } })
  return rows.map((r) => ({ action: r.action === 'granted' ? 'granted' : 'withdrawn', policyVersion: r.policyVersion, client: r.client, at: r.createdAt.toISOString() }))
}

function record(userId: string, seq: number, action: 'granted' | 'withdrawn', policyVersion: string | null, client: string | null, at: Date): ConsentRecord {
  return Object.assign(new ConsentRecord(), { id: randomUUID(), userId, seq, action, policyVersion, client, createdAt: at })
}

/**
 * Appends a decision after the user's latest one. Two decisions racing for the same seq: the
 * unique (user_id, seq) index refuses the second, and the write is retried once with the next seq.
 */
export async function appendConsentDecision(em: EntityManager, userId: string, action: 'granted' | 'withdrawn', policyVersion: string | null, client: string | null, at: Date): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const seq = ((await latestRecord(em, userId))?.seq ?? 0) + 1
    try {
      await em.getRepository(ConsentRecord).insert(record(userId, seq, action, policyVersion, client, at))
      return
    } catch (err) {
      if (attempt >= 1) throw err
    }
  }
}

/** Grants consent for a resident created by the system (demo personas, test fixtures), marked by its client. */
export async function seedConsent(em: EntityManager, userIds: readonly string[], client: string, at: Date): Promise<void> {
  if (userIds.length === 0) return
  // Only for accounts with no decision yet (just created): their first decision.
  await em.getRepository(ConsentRecord).insert(userIds.map((id) => record(id, 1, 'granted', POLICY_VERSION, client, at)))
}

/** When test fixtures' residents agreed: before any clock a test sets, so a withdrawal in a test is always later. */
export const TEST_CONSENT_AT = new Date('2020-01-01T00:00:00Z')
