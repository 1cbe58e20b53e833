import type { AppDeps } from '../deps'
import { seedTerritory } from './demo/index'
// Imported directly, not through sla/index: the job uses tickets/, which uses sla/ (keeps imports acyclic).
import { overdueEscalationJob } from './sla/overdue.job'
import { INSTANCE_ID, notificationJobs } from './notifications/index'
import { publicationJobs } from './publication/index'
import { idempotencyPruneJob } from './idempotency/index'
import { autoCloseJob } from './tickets/auto-close.job'
import { remindersJob } from './reminders/index'
import { retentionJob } from './privacy/retention.job'
import { rateLimitPruneJob } from './limits/index'
import { hotspotJob, statsDeadlinesJob } from './stats/index'
import { seedServices } from './service-support/seed-services'
import { seedPlaces } from './places/index'
import { serviceJobs } from './service-support/service-jobs'

/** Demo data, in order; each seeder is idempotent. Run in demo mode, or by `npm run seed`. */
export async function seedDemoData(deps: AppDeps): Promise<void> {
  await seedTerritory(deps)
  await seedServices(deps)
  await seedPlaces(deps)
}

export interface BackgroundJob {
  name: string
  intervalMs: number
  /** One pass; must be safe with several instances running it at once (claims rows, no in-process flags). */
  run: (deps: AppDeps) => Promise<void>
}

/** Periodic jobs every instance runs (overdue escalation, notification relay, …). */
export function backgroundJobs(): BackgroundJob[] {
  return [overdueEscalationJob, ...notificationJobs(INSTANCE_ID), ...publicationJobs(INSTANCE_ID), idempotencyPruneJob, rateLimitPruneJob, autoCloseJob, remindersJob, retentionJob, statsDeadlinesJob, hotspotJob, ...serviceJobs()]
}
