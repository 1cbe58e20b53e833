import type { ReportDraft, ReportField } from './report-draft'
import { validateDraft } from './report-draft-rules'

/** WeChat: the rules are in the report package already (the H5 build loads them as a chunk: report-draft-check.ts). */
export function preloadDraftRules(): () => void {
  return () => undefined
}

export async function checkDraft(draft: ReportDraft): Promise<Partial<Record<ReportField, string>>> {
  return validateDraft(draft)
}
