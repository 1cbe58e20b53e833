import type { FieldIssue } from '@palm/shared'
import type { ZodType } from 'zod'

/** An issue as both zod (client) and problem+json (server) give it: a dotted path and a code. */
export type PathIssue = Pick<FieldIssue, 'path' | 'code'>

/** What each form field shows for an issue: one message, or one per zod code. */
export type FieldMessages<F extends string> = Record<F, string | ((code: string) => string)>

/** Runs a shared schema over a request body and lists its issues with dotted paths (`details.phone`). */
export function schemaIssues(schema: ZodType, body: unknown): PathIssue[] {
  const parsed = schema.safeParse(body)
  return parsed.success ? [] : parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), code: i.code }))
}

/**
 * Turns issues into the form's field errors, first message per field. `fieldOf` maps a request path
 * to the form field that shows it (so `details.phone` from the client schema and from the server's
 * 400 land on the same field); issues of no field are left out.
 */
export function fieldErrorsFrom<F extends string>(issues: readonly PathIssue[], fieldOf: (path: string) => F | undefined, messages: FieldMessages<F>): Partial<Record<F, string>> {
  const out: Partial<Record<F, string>> = {}
  for (const issue of issues) {
    const field = fieldOf(issue.path)
    if (!field || out[field]) continue
    const message: string | ((code: string) => string) = messages[field]
    out[field] = typeof message === 'function' ? message(issue.code) : message
  }
  return out
}

/** A field map for forms whose request paths are the field names, optionally under a prefix (`details.`). */
export function fieldByHead<F extends string>(fields: readonly F[], aliases: Partial<Record<string, F>> = {}) {
  return (path: string): F | undefined => {
    const alias = aliases[path] ?? aliases[path.split('.')[0] ?? '']
    if (alias) return alias
    const parts = path.split('.')
    const head = parts[0] === 'details' ? parts[1] : parts[0]
    return fields.find((f) => f === head)
  }
}

/** "不能超过 N 字" for too_big, else the plain message: the usual pair for a text field. */
export function textMessage(required: string, max: number): (code: string) => string {
  return (code) => (code === 'too_big' ? `不能超过 ${max} 字` : required)
}
