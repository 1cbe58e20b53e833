import { CreateTicketSchema, TicketLimits } from '@palm/shared'
import { draftToInput, reportFieldErrors, reportIssueMessage, type ReportDraft, type ReportField } from './report-draft'

/**
 * Checks the draft with the shared CreateTicketSchema (the server's own rules) before anything is
 * sent, plus the form's rule that a report says where it is (a point or a community).
 */
export function validateDraft(draft: ReportDraft): Partial<Record<ReportField, string>> {
  const parsed = CreateTicketSchema.safeParse(draftToInput(draft))
  const issues = parsed.success ? [] : parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), code: i.code }))
  const errors = reportFieldErrors(issues)
  if (!draft.location && !draft.communityCode && !errors.location) errors.location = reportIssueMessage('location', 'required')
  if (draft.photos.length > TicketLimits.maxPhotos) errors.photos = reportIssueMessage('photos', 'too_big')
  return errors
}
