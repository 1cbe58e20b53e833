import type { ReportDraft } from './report-draft'
import { StorageKeys, readStored } from './storage'

/**
 * Whether a report was started and not sent (the home page offers to continue it). Apart from
 * report-draft.ts, which checks drafts with the shared zod schemas: the home page reads this without
 * loading zod (docs/performance.md "Keeping the first page light").
 */
export function hasDraft(): boolean {
  const d = readStored<ReportDraft>(StorageKeys.reportDraft)
  return Boolean(d && (d.description.trim() || d.photos.length))
}
