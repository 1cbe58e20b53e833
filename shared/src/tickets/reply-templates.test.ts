import { describe, expect, it } from 'vitest'
import { CreateReplyTemplateSchema, fillReplyTemplate, unknownPlaceholders } from './reply-templates'

describe('reply templates (常用语)', () => {
  it('knows its placeholders and names every other brace', () => {
    expect(unknownPlaceholders('您反映的{问题类别}问题（{工单编号}）已处理')).toEqual([])
    expect(unknownPlaceholders('工单{工单号}由{办理人}处理')).toEqual(['{工单号}'])
    expect(unknownPlaceholders('已处理 {')).toEqual(['{'])
    expect(unknownPlaceholders('{{工单编号}}')).toEqual(['{', '}'])
  })

  it('refuses a template with an unknown placeholder, with its own code', () => {
    const parsed = CreateReplyTemplateSchema.safeParse({ category: 'sanitation', title: '已清运', body: '{name}您好，已清运' })
    expect(parsed.success).toBe(false)
    const issue = parsed.error?.issues[0]
    expect(issue?.path).toEqual(['body'])
    expect((issue as { params?: { code?: string } }).params?.code).toBe('unknown_placeholder')
  })

  it('fills the known placeholders from the ticket and leaves missing values visible', () => {
    expect(fillReplyTemplate('{问题类别}（{工单编号}）将于{办结时限}前办结', { categoryName: '环境卫生', number: 'PC1' })).toBe('环境卫生（PC1）将于{办结时限}前办结')
  })
})
