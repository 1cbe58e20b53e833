import { z } from 'zod'
import { CategoryCodeSchema } from './categories'

/**
 * 常用语: reply templates per category, written by the district admin, picked by handlers in the reply
 * and resolution forms. A template may hold placeholders in braces, filled from the ticket when
 * picked; any other brace is refused on save (unknown_placeholder), so a typo never reaches a
 * resident as "{工单号}". See docs/handling.md "Reply templates".
 */
export const REPLY_TEMPLATE_PLACEHOLDERS = {
  工单编号: 'number',
  问题类别: 'categoryName',
  社区: 'communityName',
  办理人: 'handlerName',
  办结时限: 'resolveDue'
} as const
export type ReplyTemplatePlaceholder = keyof typeof REPLY_TEMPLATE_PLACEHOLDERS
export type ReplyTemplateValues = Partial<Record<(typeof REPLY_TEMPLATE_PLACEHOLDERS)[ReplyTemplatePlaceholder], string>>

export const ReplyTemplateLimits = { titleMax: 20, bodyMax: 500, perCategoryMax: 30 } as const

/** The brace expressions of a text that are not known placeholders (also a stray "{" or "}"), in order. */
export function unknownPlaceholders(body: string): string[] {
  const unknown: string[] = []
  const known = Object.keys(REPLY_TEMPLATE_PLACEHOLDERS)
  const rest = body.replace(/\{([^{}]*)\}/g, (whole, name: string) => {
    if (!known.includes(name)) unknown.push(whole)
    return ''
  })
  if (/[{}]/.test(rest)) unknown.push(...(rest.match(/[{}]/g) ?? []))
  return unknown
}

/** The template's text with each placeholder replaced by the ticket's value (left as it is when the value is missing). */
export function fillReplyTemplate(body: string, values: ReplyTemplateValues): string {
  return body.replace(/\{([^{}]*)\}/g, (whole, name: string) => {
    const key = REPLY_TEMPLATE_PLACEHOLDERS[name as ReplyTemplatePlaceholder]
    const value = key ? values[key] : undefined
    return value ?? whole
  })
}

const TemplateBodySchema = z
  .string()
  .trim()
  .min(1)
  .max(ReplyTemplateLimits.bodyMax)
  .superRefine((body, ctx) => {
    const unknown = unknownPlaceholders(body)
    if (unknown.length) {
      ctx.addIssue({
        code: 'custom',
        params: { code: 'unknown_placeholder' },
        message: `unknown placeholders ${unknown.join(' ')}; use ${Object.keys(REPLY_TEMPLATE_PLACEHOLDERS)
          .map((p) => `{${p}}`)
          .join(' ')}`
      })
    }
  })

/** `POST /api/reply-templates` (district admin). */
export const CreateReplyTemplateSchema = z.strictObject({
  category: CategoryCodeSchema,
  title: z.string().trim().min(1).max(ReplyTemplateLimits.titleMax),
  body: TemplateBodySchema
})
export type CreateReplyTemplateInput = z.infer<typeof CreateReplyTemplateSchema>

/** `PATCH /api/reply-templates/:id` (district admin). */
export const UpdateReplyTemplateSchema = z
  .strictObject({ title: z.string().trim().min(1).max(ReplyTemplateLimits.titleMax).optional(), body: TemplateBodySchema.optional() })
  .refine((v) => v.title !== undefined || v.body !== undefined, { message: 'Change the title or the text.' })
export type UpdateReplyTemplateInput = z.infer<typeof UpdateReplyTemplateSchema>

export const ListReplyTemplatesQuerySchema = z.object({ category: CategoryCodeSchema.optional() })

export const ReplyTemplateViewSchema = z.object({
  id: z.string(),
  category: z.string(),
  title: z.string(),
  body: z.string(),
  updatedAt: z.string()
})
export type ReplyTemplateView = z.infer<typeof ReplyTemplateViewSchema>
