import type { AppDeps } from '../deps'

/** Demo data, in order; each seeder is idempotent. Run in demo mode, or by `npm run seed`. */
export async function seedDemoData(deps: AppDeps): Promise<void> {
  void deps
}

export interface BackgroundJob {
  name: string
  intervalMs: number
  /** One pass; must be safe with several instances running it at once (claims rows, no in-process flags). */
  run: (deps: AppDeps) => Promise<void>
}

/** Periodic jobs every instance runs (overdue escalation, notification relay, …). */
export function backgroundJobs(): BackgroundJob[] {
  return []
}
