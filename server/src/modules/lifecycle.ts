import { SEED_PLACES } from '@palm/shared'
import type { AppDeps, BackgroundJob } from '../deps'
import { withTx } from '../db/tx'
import { seedCommunities, seededUserId, seededUsername, seedTerritory } from './demo/index'
import { legalJobs, seedLegal } from './legal/index'
import { seedTestingPoints } from './testing-points/index'
import { seedAlliance } from './volunteers/index'
import { INSTANCE_ID, notificationJobs } from './notifications/index'
import { publicationJobs } from './publication/index'
import { idempotencyPruneJob } from './idempotency/index'
import { autoCloseJob } from './tickets/auto-close.job'
import { overdueEscalationJob } from './tickets/overdue.job'
import { remindersJob } from './reminders/index'
import { retentionJob } from './privacy/retention.job'
import { rateLimitPruneJob } from './limits/index'
import { hotspotJob, statsDeadlinesJob } from './stats/index'
import { seedPlaces } from './places/index'

/**
 * Demo data of the resident services, on top of the demo territory: testing points (one at
 * 绿地世纪城), the legal network with slots for two weeks, and the anti-fraud alliance. Idempotent
 * (stable ids, INSERT … IGNORE): a second run adds only slots for days that came into the window.
 */
export async function seedServices(deps: Pick<AppDeps, 'ds' | 'now' | 'log'>): Promise<void> {
  const now = deps.now()
  const counts = await withTx(deps.ds, async (em) => {
    const communities = await seedCommunities(em, 1)
    const organiserId = seededUserId(seededUsername.communityStaff(SEED_PLACES.yongheCommunity.communityCode))
    return {
      testingPoints: await seedTestingPoints(em, now, communities),
      legal: await seedLegal(em, now, communities),
      alliance: await seedAlliance(em, now, organiserId)
    }
  })
  deps.log.info(counts, 'demo services seeded')
}

/** Demo data, in order; each seeder is idempotent. Run in demo mode, or by `npm run seed`. */
export async function seedDemoData(deps: AppDeps): Promise<void> {
  await seedTerritory(deps)
  await seedServices(deps)
  await seedPlaces(deps)
}

/** Periodic jobs every instance runs (overdue escalation, notification relay, …). */
export function backgroundJobs(): BackgroundJob[] {
  return [
    overdueEscalationJob,
    ...notificationJobs(INSTANCE_ID),
    ...publicationJobs(INSTANCE_ID),
    idempotencyPruneJob,
    rateLimitPruneJob,
    autoCloseJob,
    remindersJob,
    retentionJob,
    statsDeadlinesJob,
    hotspotJob,
    ...legalJobs()
  ]
}
