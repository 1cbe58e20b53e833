import { withTx } from '../../db/tx'
import type { BackgroundJob } from '../../deps'
import { generateSlots } from './legal-slots.service'

/** Slots are kept generated this many days ahead. */
export const SLOT_HORIZON_DAYS = 14

/**
 * The legal network's periodic work: keep two weeks of consultation slots generated from the weekly
 * schedules. Safe on several instances at once: slot generation is INSERT … IGNORE under a unique
 * (provider, start).
 */
export function legalJobs(): BackgroundJob[] {
  return [
    {
      name: 'legal slot generation',
      intervalMs: 60 * 60_000,
      run: async (deps) => {
        await withTx(deps.ds, (em) => generateSlots(em, deps.now(), SLOT_HORIZON_DAYS))
      }
    }
  ]
}
