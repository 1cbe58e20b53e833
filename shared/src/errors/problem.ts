import { z } from 'zod'

export { ERROR_CODES, type ErrorCode } from './error-codes'

export const FieldIssueSchema = z.object({
  path: z.string(),
  code: z.string(),
  message: z.string()
})
export type FieldIssue = z.infer<typeof FieldIssueSchema>

/** RFC 9457 problem details, as every error response of the API carries them. */
export const ProblemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  instance: z.string().optional(),
  code: z.string(),
  requestId: z.string().optional(),
  errors: z.array(FieldIssueSchema).optional()
})
export type Problem = z.infer<typeof ProblemSchema>

/** Turns a zod error path into the dotted form used in `errors[].path` ("contact.phone", "attachmentIds.3"). */
export function formatIssuePath(path: ReadonlyArray<PropertyKey>): string {
  return path.map((p) => String(p)).join('.')
}
