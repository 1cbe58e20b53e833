import { lazyModule, onFirstUse } from '../utils/on-demand'
import type { ReportDraft, ReportField } from './report-draft'

/**
 * H5: the draft's rules (the shared CreateTicketSchema, and zod with it) as a chunk of their own, so
 * the report form paints without them (docs/performance.md "Keeping the first page light"). The
 * form asks for them at the first touch, key or focus on it (`preloadDraftRules`), before the tap on
 * 提交, which waits for them; a failed download is tried again there. The WeChat build
 * (report-draft-check.weapp.ts) has them in its package already.
 */
const loadDraftRules = lazyModule(() => import(/* webpackChunkName: "report-draft-rules" */ './report-draft-rules'))

/** Loads the rules at the first touch, key or focus on the form; returns the clean-up for an effect. */
export function preloadDraftRules(): () => void {
  return onFirstUse(() => void loadDraftRules().catch(() => undefined))
}

/** The field errors of the draft by the server's own rules (none when it may be sent). */
export async function checkDraft(draft: ReportDraft): Promise<Partial<Record<ReportField, string>>> {
  return (await loadDraftRules()).validateDraft(draft)
}
