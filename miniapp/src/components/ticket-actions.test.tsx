import { describe, expect, it, vi } from 'vitest'
import { fireEvent, render, screen, waitFor } from '@testing-library/react'
import Taro from '@tarojs/taro'
import { availableEvents, type TicketView } from '@palm/shared'
import { TicketActions } from './ticket-actions'
import { transferPlan } from './ticket-actions-transfer'
import { fakeApi, problem } from '../../test/fake-api'
import { saveSession } from '../services/session'

function ticketIn(state: TicketView['state'], actions: TicketView['actions']): TicketView {
  const now = new Date().toISOString()
  return {
    id: 't1',
    number: 'PC-1',
    kind: 'report',
    category: 'sanitation',
    categoryName: '环境卫生',
    state,
    stateGroup: 'open',
    createdAt: now,
    updatedAt: now,
    dueAt: now,
    acceptDueAt: now,
    resolveDueAt: now,
    overdue: false,
    description: '路灯坏了',
    level: 'grid',
    routing: { reason: 'grid 066-001' },
    anonymous: false,
    allowPublication: true,
    rating: null,
    resolution: null,
    reopenCount: 0,
    acceptedAt: null,
    resolvedAt: null,
    closedAt: null,
    actions,
    viewer: { isReporter: false, isFollower: false },
    attachments: [],
    timeline: []
  }
}

describe('ticket actions', () => {
  it('shows the events the state machine allows for the role, narrowed to what the server allows', () => {
    saveSession({ accessToken: 'a', refreshToken: 'r', user: { id: 'w', role: 'grid_worker', displayName: '网格员', scope: { gridCode: '066-001' } } })
    const allowedByMachine = availableEvents('assigned', 'grid_worker')
    expect(allowedByMachine).toEqual(expect.arrayContaining(['accept', 'return', 'transfer', 'escalate']))
    render(<TicketActions ticket={ticketIn('assigned', ['accept', 'return', 'escalate'])} role='grid_worker' onChanged={() => undefined} />)
    expect(screen.getByText('签收')).toBeTruthy()
    expect(screen.getByText('退单')).toBeTruthy()
    expect(screen.getByText('上报')).toBeTruthy()
    expect(screen.queryByText('转派')).toBeNull()
    expect(screen.queryByText('办结')).toBeNull()
  })

  it('accepts with one tap and an Idempotency-Key, then shows the new state', async () => {
    const api = fakeApi({ 'POST /api/tickets/t1/transitions': { statusCode: 200, data: ticketIn('accepted', ['reply', 'resolve']) } })
    const onChanged = vi.fn()
    render(<TicketActions ticket={ticketIn('assigned', ['accept'])} role='grid_worker' onChanged={onChanged} />)
    fireEvent.click(screen.getByText('签收'))
    await waitFor(() => expect(onChanged).toHaveBeenCalled())
    const call = api.callsTo('POST', '/api/tickets/t1/transitions')[0]
    expect(call?.body).toEqual({ event: 'accept' })
    expect(call?.header['Idempotency-Key']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  })

  it('asks for a reason before returning a ticket, and sends it', async () => {
    const api = fakeApi({ 'POST /api/tickets/t1/transitions': { statusCode: 200, data: ticketIn('returned', []) } })
    render(<TicketActions ticket={ticketIn('assigned', ['return'])} role='grid_worker' onChanged={() => undefined} />)
    fireEvent.click(screen.getByText('退单'))
    fireEvent.click(screen.getByText('确认退单'))
    expect(await screen.findByText('请填写原因')).toBeTruthy()
    expect(api.calls).toHaveLength(0)
    fireEvent.change(screen.getByPlaceholderText('退单原因'), { target: { value: '不属于本网格' } })
    fireEvent.click(screen.getByText('确认退单'))
    await waitFor(() => expect(api.callsTo('POST', '/api/tickets/t1/transitions')).toHaveLength(1))
    expect(api.calls[0]?.body).toEqual({ event: 'return', note: '不属于本网格' })
  })

  it('rates with a score and a comment', async () => {
    const api = fakeApi({ 'POST /api/tickets/t1/transitions': { statusCode: 200, data: ticketIn('closed', []) } })
    render(<TicketActions ticket={ticketIn('resolved', ['rate', 'reopen'])} role='resident' onChanged={() => undefined} />)
    fireEvent.click(screen.getByText('评价'))
    fireEvent.click(screen.getByLabelText('4 星'))
    fireEvent.change(screen.getByPlaceholderText('评价内容（选填）'), { target: { value: '还不错' } })
    fireEvent.click(screen.getByText('确认评价'))
    await waitFor(() => expect(api.calls).toHaveLength(1))
    expect(api.calls[0]?.body).toEqual({ event: 'rate', rating: { score: 4, comment: '还不错' } })
  })

  it('shows a clear message when the state changed meanwhile (409 invalid_transition)', async () => {
    fakeApi({ 'POST /api/tickets/t1/transitions': problem(409, 'invalid_transition') })
    render(<TicketActions ticket={ticketIn('assigned', ['accept'])} role='grid_worker' onChanged={() => undefined} />)
    fireEvent.click(screen.getByText('签收'))
    await waitFor(() => expect(Taro.showModal).toHaveBeenCalledWith(expect.objectContaining({ content: '工单状态已变化，请刷新后再操作' })))
  })

  it('shows nothing to a role with no event in this state', () => {
    const { container } = render(<TicketActions ticket={ticketIn('closed', [])} role='grid_worker' onChanged={() => undefined} />)
    expect(container.textContent).toBe('')
  })

  it('offers a grid worker only their own grids as 转派 targets, never departments or communities, and sends the chosen grid', async () => {
    saveSession({
      accessToken: 'a',
      refreshToken: 'r',
      user: { id: 'w', role: 'grid_worker', displayName: '网格员', scope: { gridCode: '066-001', gridCodes: ['066-001', '066-002'], communityCode: '066', streetCode: '06' } }
    })
    const api = fakeApi({
      'GET /api/territory/grids': {
        statusCode: 200,
        data: [
          { code: '066-001', name: '一网格', communityCode: '066' },
          { code: '066-002', name: '二网格', communityCode: '066' },
          { code: '066-003', name: '三网格', communityCode: '066' }
        ]
      },
      'POST /api/tickets/t1/transitions': { statusCode: 200, data: ticketIn('assigned', []) }
    })
    const ticket = { ...ticketIn('accepted', ['transfer']), grid: { code: '066-001', name: '一网格' } }
    render(<TicketActions ticket={ticket} role='grid_worker' onChanged={() => undefined} />)
    fireEvent.click(screen.getByText('转派'))
    const group = await screen.findByRole('radiogroup', { name: '转派到' })
    await waitFor(() => expect(group.textContent).toContain('二网格'))
    const choices = screen.getAllByRole('radio').map((r) => r.textContent)
    expect(choices).toHaveLength(2)
    expect(choices.join()).not.toContain('三网格')
    expect(screen.queryByText('转派给部门')).toBeNull()
    expect(screen.queryByLabelText('职能部门')).toBeNull()
    expect(api.callsTo('GET', '/api/territory/departments')).toHaveLength(0)
    fireEvent.click(screen.getByText('二网格'))
    fireEvent.change(screen.getByPlaceholderText('转派说明'), { target: { value: '属于二网格' } })
    fireEvent.click(screen.getByText('确认转派'))
    await waitFor(() => expect(api.callsTo('POST', '/api/tickets/t1/transitions')).toHaveLength(1))
    expect(api.calls.find((c) => c.method === 'POST')?.body).toEqual({ event: 'transfer', note: '属于二网格', target: { gridCode: '066-002' } })
  })

  it('plans 转派 targets per role as the server accepts them', () => {
    expect(transferPlan('grid_worker')).toMatchObject({ territory: 'own-grids', departments: 'none' })
    expect(transferPlan('community_staff')).toMatchObject({ territory: 'community', departments: 'none' })
    expect(transferPlan('street_admin')).toMatchObject({ territory: 'street', departments: 'all' })
    expect(transferPlan('district_admin')).toMatchObject({ territory: 'district', departments: 'all' })
    expect(transferPlan('department_staff')).toMatchObject({ territory: 'none', departments: 'own' })
  })

  it("offers community staff their community's grids and queue only, and no departments", async () => {
    saveSession({ accessToken: 'a', refreshToken: 'r', user: { id: 'c', role: 'community_staff', displayName: '社区', scope: { communityCode: '066', streetCode: '06' } } })
    const api = fakeApi({
      'GET /api/territory/grids': { statusCode: 200, data: [{ code: '066-001', name: '一网格', communityCode: '066' }] },
      'POST /api/tickets/t1/transitions': { statusCode: 200, data: ticketIn('assigned', []) }
    })
    render(<TicketActions ticket={ticketIn('assigned', ['transfer'])} role='community_staff' onChanged={() => undefined} />)
    fireEvent.click(screen.getByText('转派'))
    const select = await screen.findByLabelText('转派到')
    await waitFor(() => expect(select.textContent).toContain('一网格'))
    expect(select.textContent).toContain('整个社区（社区队列）')
    expect(screen.queryByLabelText('职能部门')).toBeNull()
    expect(api.callsTo('GET', '/api/territory/streets')).toHaveLength(0)
    expect(api.callsTo('GET', '/api/territory/departments')).toHaveLength(0)
  })

  it('lets community staff hand a ticket to a named grid worker of their community', async () => {
    saveSession({ accessToken: 'a', refreshToken: 'r', user: { id: 'c', role: 'community_staff', displayName: '社区', scope: { communityCode: '066', streetCode: '06' } } })
    const workerId = '5f0c9a43-7d0e-4c1e-9a51-2b1f7c3d9e10'
    const api = fakeApi({
      'GET /api/territory/grids': { statusCode: 200, data: [{ code: '066-001', name: '一网格', communityCode: '066' }] },
      'GET /api/admin/accounts': {
        statusCode: 200,
        data: {
          items: [
            {
              id: workerId,
              username: 'w1',
              role: 'grid_worker',
              displayName: '老王',
              gridCodes: ['066-001'],
              gridNames: ['一网格'],
              disabled: false,
              locked: false,
              hasTotp: false,
              wechatBound: false,
              mustChangePassword: false,
              onDuty: true,
              createdAt: ''
            }
          ],
          nextCursor: null
        }
      },
      'POST /api/tickets/t1/transitions': { statusCode: 200, data: ticketIn('assigned', []) }
    })
    render(<TicketActions ticket={ticketIn('assigned', ['transfer'])} role='community_staff' onChanged={() => undefined} />)
    fireEvent.click(screen.getByText('转派'))
    const select = await screen.findByLabelText('或指定网格员')
    expect(select.textContent).toContain('老王（一网格）')
    expect(api.callsTo('GET', '/api/admin/accounts')[0]?.query.get('role')).toBe('grid_worker')
    fireEvent.change(select, { target: { value: '0' } })
    fireEvent.change(screen.getByPlaceholderText('转派说明'), { target: { value: '请老王处理' } })
    fireEvent.click(screen.getByText('确认转派'))
    await waitFor(() => expect(api.callsTo('POST', '/api/tickets/t1/transitions')).toHaveLength(1))
    expect(api.callsTo('POST', '/api/tickets/t1/transitions')[0]?.body).toEqual({ event: 'transfer', note: '请老王处理', target: { assigneeId: workerId } })
  })

  it('asks for an extension of a chosen number of days after the resolve deadline, with a reason', async () => {
    saveSession({ accessToken: 'a', refreshToken: 'r', user: { id: 'w', role: 'grid_worker', displayName: '网格员', scope: { gridCode: '066-001' } } })
    const api = fakeApi({ 'POST /api/tickets/t1/transitions': { statusCode: 200, data: ticketIn('accepted', []) } })
    const ticket = { ...ticketIn('accepted', ['extend_request']), resolveDueAt: '2026-12-04T10:00:00.000Z' }
    render(<TicketActions ticket={ticket} role='grid_worker' onChanged={() => undefined} />)
    fireEvent.click(screen.getByText('申请延期'))
    fireEvent.click(screen.getByText('延长 7 天'))
    fireEvent.click(screen.getByText('确认申请延期'))
    expect(await screen.findByText('请填写原因')).toBeTruthy()
    expect(api.calls).toHaveLength(0)
    fireEvent.change(screen.getByPlaceholderText('延期原因'), { target: { value: '等待配件' } })
    fireEvent.click(screen.getByText('确认申请延期'))
    await waitFor(() => expect(api.calls).toHaveLength(1))
    expect(api.calls[0]?.body).toEqual({ event: 'extend_request', note: '等待配件', extension: { dueAt: '2026-12-11T10:00:00.000Z' } })
  })

  it('tells the approver what is asked, and shows a pending extension and a suspension in the card', () => {
    const ticket = {
      ...ticketIn('accepted', ['extend_approve', 'extend_deny']),
      resolveDueAt: '2026-12-04T10:00:00.000Z',
      extension: { state: 'pending' as const, dueAt: '2026-12-07T10:00:00.000Z', approverRole: 'community_staff' as const }
    }
    render(<TicketActions ticket={ticket} role='community_staff' onChanged={() => undefined} />)
    expect(screen.getByRole('status').textContent).toContain('延期申请待社区工作人员审批')
    fireEvent.click(screen.getByText('批准延期'))
    expect(screen.getByText(/申请将办结时限由 .* 延至 /)).toBeTruthy()
    const { container } = render(<TicketActions ticket={{ ...ticketIn('suspended', []), suspendedAt: '2026-12-01T02:00:00.000Z' }} role='grid_worker' onChanged={() => undefined} />)
    expect(container.textContent).toContain('已挂起')
  })

  it('records a callback only with its result and a note', async () => {
    const api = fakeApi({ 'POST /api/tickets/t1/transitions': { statusCode: 200, data: ticketIn('closed', []) } })
    render(<TicketActions ticket={{ ...ticketIn('resolved', ['callback']), needsCallback: true }} role='community_staff' onChanged={() => undefined} />)
    expect(screen.getByRole('status').textContent).toContain('待回访')
    fireEvent.click(screen.getByText('回访'))
    fireEvent.change(screen.getByPlaceholderText('回访情况'), { target: { value: '已电话联系' } })
    fireEvent.click(screen.getByText('确认回访'))
    expect((await screen.findAllByText('请选择回访结果')).length).toBeGreaterThan(0)
    expect(api.calls).toHaveLength(0)
    fireEvent.click(screen.getByText('居民满意'))
    fireEvent.click(screen.getByText('确认回访'))
    await waitFor(() => expect(api.calls).toHaveLength(1))
    expect(api.calls[0]?.body).toEqual({ event: 'callback', note: '已电话联系', callbackResult: 'satisfied' })
  })

  it('fills the reply with a 常用语 of the category, placeholders replaced', async () => {
    fakeApi({
      'GET /api/reply-templates': { statusCode: 200, data: { items: [{ id: 'r1', category: 'sanitation', title: '已清运', body: '您反映的{问题类别}问题（{工单编号}）已清运。', updatedAt: '' }] } }
    })
    render(<TicketActions ticket={ticketIn('accepted', ['reply'])} role='grid_worker' onChanged={() => undefined} />)
    fireEvent.click(screen.getByText('回复'))
    fireEvent.click(await screen.findByText('已清运'))
    expect((screen.getByPlaceholderText('回复内容（居民可见）') as HTMLTextAreaElement).value).toBe('您反映的环境卫生问题（PC-1）已清运。')
  })

  it('presses (催办) with one tap after a confirmation', async () => {
    vi.mocked(Taro.showModal).mockResolvedValueOnce({ confirm: true, cancel: false } as Taro.showModal.SuccessCallbackResult)
    const api = fakeApi({ 'POST /api/tickets/t1/transitions': { statusCode: 200, data: ticketIn('assigned', []) } })
    render(<TicketActions ticket={ticketIn('assigned', ['press'])} role='resident' onChanged={() => undefined} />)
    fireEvent.click(screen.getByText('催办'))
    await waitFor(() => expect(api.calls).toHaveLength(1))
    expect(api.calls[0]?.body).toEqual({ event: 'press' })
  })

  it('sends a one-tap step without the note of a form opened before it', async () => {
    const api = fakeApi({ 'POST /api/tickets/t1/transitions': { statusCode: 200, data: ticketIn('in_progress', []) } })
    render(<TicketActions ticket={ticketIn('suspended', ['reply', 'resume'])} role='grid_worker' onChanged={() => undefined} />)
    fireEvent.click(screen.getByText('回复'))
    fireEvent.change(screen.getByPlaceholderText('回复内容（居民可见）'), { target: { value: '草稿，未发送' } })
    fireEvent.click(screen.getByText('恢复办理'))
    await waitFor(() => expect(api.callsTo('POST', '/api/tickets/t1/transitions')).toHaveLength(1))
    expect(api.calls.find((c) => c.method === 'POST')?.body).toEqual({ event: 'resume' })
  })
})
