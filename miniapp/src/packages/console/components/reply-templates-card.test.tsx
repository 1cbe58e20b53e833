import { describe, expect, it, vi } from 'vitest'
import { fireEvent, render, screen, waitFor } from '@testing-library/react'
import Taro from '@tarojs/taro'
import type { ReplyTemplateView } from '@palm/shared'
import { fakeApi } from '../../../../test/fake-api'
import { saveSession } from '../../../services/session'
import { ReplyTemplatesCard } from './reply-templates-card'

const cleared: ReplyTemplateView = { id: '7d0f3c1e-0000-4000-8000-000000000001', category: 'sanitation', title: '已清运', body: '您反映的{问题类别}问题（{工单编号}）已清运。', updatedAt: '' }

function open(items: ReplyTemplateView[] = [cleared]) {
  saveSession({ accessToken: 'a', refreshToken: 'r', user: { id: 'da', role: 'district_admin', displayName: '区管理员', scope: {} } })
  const api = fakeApi({
    'GET /api/reply-templates': () => ({ statusCode: 200, data: { items } }),
    'POST /api/reply-templates': (req) => ({ statusCode: 201, data: { ...cleared, id: 'new', ...(req.body as object) } }),
    'PATCH /api/reply-templates/7d0f3c1e-0000-4000-8000-000000000001': { statusCode: 200, data: cleared },
    'DELETE /api/reply-templates/7d0f3c1e-0000-4000-8000-000000000001': { statusCode: 204, data: '' }
  })
  render(<ReplyTemplatesCard category='sanitation' />)
  return api
}

const type = (label: string, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } })

describe('常用语 in the console (issue 11: templates editable by the district)', () => {
  it('lists a category’s templates and adds one', async () => {
    const api = open()
    await screen.findByText('已清运')
    type('新常用语标题', '已维修')
    type('内容', '{社区}的{问题类别}问题已维修完毕。')
    fireEvent.click(screen.getByText('添加常用语'))
    await waitFor(() => expect(api.callsTo('POST', '/api/reply-templates')).toHaveLength(1))
    expect(api.callsTo('POST', '/api/reply-templates')[0]?.body).toEqual({ category: 'sanitation', title: '已维修', body: '{社区}的{问题类别}问题已维修完毕。' })
  })

  it('refuses an unknown placeholder before sending, naming the ones that exist', async () => {
    const api = open([])
    await screen.findByText('这个类别还没有常用语。')
    type('新常用语标题', '已处理')
    type('内容', '{工单号}已处理')
    fireEvent.click(screen.getByText('添加常用语'))
    await waitFor(() => expect(document.querySelector('[data-error-for="body"]')?.textContent).toContain('{工单编号}'))
    expect(api.callsTo('POST', '/api/reply-templates')).toHaveLength(0)
  })

  it('edits and deletes a template after asking', async () => {
    vi.mocked(Taro.showModal).mockResolvedValue({ confirm: true, cancel: false } as Awaited<ReturnType<typeof Taro.showModal>>)
    const api = open()
    await screen.findByText('已清运')
    fireEvent.click(screen.getByText('编辑'))
    type('修改标题', '垃圾已清运')
    fireEvent.click(screen.getByText('保存常用语'))
    await waitFor(() => expect(api.callsTo('PATCH', `/api/reply-templates/${cleared.id}`)).toHaveLength(1))
    expect(api.callsTo('PATCH', `/api/reply-templates/${cleared.id}`)[0]?.body).toEqual({ title: '垃圾已清运', body: cleared.body })
    fireEvent.click(screen.getByText('删除'))
    await waitFor(() => expect(api.callsTo('DELETE', `/api/reply-templates/${cleared.id}`)).toHaveLength(1))
  })
})
