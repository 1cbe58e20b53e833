import { describe, expect, it } from 'vitest'
import { fireEvent, render, screen, waitFor } from '@testing-library/react'
import Taro from '@tarojs/taro'
import type { TicketView } from '@palm/shared'
import HazardNewPage from './index'
import { pendingTipStep } from '../hazards/pending-tips'
import { fakeApi } from '../../../../test/fake-api'
import { saveSession } from '../../../services/session'

function tip(state: TicketView['state'], actions: TicketView['actions']): TicketView {
  const now = new Date().toISOString()
  return {
    id: 'tip-1',
    number: 'PC-9',
    kind: 'hazard_tip',
    category: 'self_built_house',
    categoryName: '自建房',
    state,
    stateGroup: 'open',
    createdAt: now,
    updatedAt: now,
    dueAt: now,
    acceptDueAt: now,
    resolveDueAt: now,
    overdue: false,
    description: '墙体开裂',
    level: 'grid',
    routing: { reason: 'grid' },
    anonymous: true,
    allowPublication: false,
    rating: null,
    resolution: null,
    reopenCount: 0,
    acceptedAt: null,
    resolvedAt: null,
    closedAt: null,
    actions,
    viewer: { isReporter: false, isFollower: false },
    details: { hazardKind: 'self_built_house', place: '永和社区7号院', building: '7号楼' },
    attachments: [],
    timeline: []
  }
}

const hazard = { id: 'hz-1', number: 'YH-1', status: 'verified' }

describe('hazard 入账 from a tip', () => {
  it('offers 签收并入账 for a tip not yet accepted, and 入账 once it is', () => {
    expect(pendingTipStep({ state: 'assigned', actions: ['accept', 'return'] })).toBe('accept-then-enter')
    expect(pendingTipStep({ state: 'accepted', actions: ['resolve'] })).toBe('enter')
    expect(pendingTipStep({ state: 'assigned', actions: [] })).toBe('needs-handler')
  })

  it('accepts a tip that is still waiting, then enters it with the building the resident gave', async () => {
    saveSession({ accessToken: 'a', refreshToken: 'r', user: { id: 'w', role: 'grid_worker', displayName: '网格员', scope: { gridCode: 'g1', communityCode: 'c1' } } })
    ;(Taro as unknown as { __setRouterParams: (p: Record<string, string>) => void }).__setRouterParams({ ticketId: 'tip-1' })
    const order: string[] = []
    const api = fakeApi({
      'GET /api/tickets/tip-1': { statusCode: 200, data: tip('assigned', ['accept']) },
      'POST /api/tickets/tip-1/transitions': () => {
        order.push('accept')
        return { statusCode: 200, data: tip('accepted', []) }
      },
      'POST /api/hazards/from-ticket/tip-1': () => {
        order.push('enter')
        return { statusCode: 200, data: hazard }
      }
    })
    render(<HazardNewPage />)
    const building = (await screen.findByLabelText('楼栋（选填）')) as HTMLInputElement
    expect(building.value).toBe('7号楼')
    fireEvent.click(screen.getByText('签收并入账'))
    await waitFor(() => expect(order).toEqual(['accept', 'enter']))
    expect(api.callsTo('POST', '/api/tickets/tip-1/transitions')[0]?.body).toEqual({ event: 'accept' })
    expect(api.callsTo('POST', '/api/hazards/from-ticket/tip-1')[0]?.body).toMatchObject({ riskLevel: 'medium', building: '7号楼' })
    await waitFor(() => expect(Taro.redirectTo).toHaveBeenCalled())
  })

  it('keeps a corrected building and does not accept a tip that is already accepted', async () => {
    saveSession({ accessToken: 'a', refreshToken: 'r', user: { id: 'w', role: 'grid_worker', displayName: '网格员', scope: { gridCode: 'g1', communityCode: 'c1' } } })
    ;(Taro as unknown as { __setRouterParams: (p: Record<string, string>) => void }).__setRouterParams({ ticketId: 'tip-1' })
    const api = fakeApi({
      'GET /api/tickets/tip-1': { statusCode: 200, data: tip('accepted', ['resolve']) },
      'POST /api/hazards/from-ticket/tip-1': { statusCode: 200, data: hazard }
    })
    render(<HazardNewPage />)
    const building = await screen.findByLabelText('楼栋（选填）')
    fireEvent.change(building, { target: { value: '7号楼东单元' } })
    fireEvent.click(screen.getByText('登记入账'))
    await waitFor(() => expect(api.callsTo('POST', '/api/hazards/from-ticket/tip-1')).toHaveLength(1))
    expect(api.callsTo('POST', '/api/hazards/from-ticket/tip-1')[0]?.body).toMatchObject({ building: '7号楼东单元' })
    expect(api.callsTo('POST', '/api/tickets/tip-1/transitions')).toHaveLength(0)
  })
})
