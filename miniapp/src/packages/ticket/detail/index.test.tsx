import { describe, expect, it } from 'vitest'
import { render, screen } from '@testing-library/react'
import Taro from '@tarojs/taro'
import type { TicketPublicView } from '@palm/shared'
import TicketDetailPage from './index'
import { fakeApi } from '../../../../test/fake-api'
import { saveSession } from '../../../services/session'

const now = new Date().toISOString()
/** What the server answers a follower (issue 14): no text (publication not allowed), no photos, no address. */
const followed: TicketPublicView = {
  visibility: 'public',
  id: 't9',
  number: 'PC-9',
  kind: 'report',
  category: 'sanitation',
  categoryName: '环境卫生',
  state: 'resolved',
  stateGroup: 'done',
  createdAt: now,
  updatedAt: now,
  dueAt: now,
  overdue: false,
  description: null,
  community: { code: '140213066001', name: '永和社区' },
  rating: null,
  resolvedAt: now,
  closedAt: null,
  actions: ['rate', 'reopen'],
  viewer: { isReporter: false, isFollower: true },
  timeline: [
    { at: now, event: 'submit', fromState: null, toState: 'submitted', actor: { role: 'resident' }, note: null },
    { at: now, event: 'resolve', fromState: 'accepted', toState: 'resolved', actor: { role: 'grid_worker' }, note: '已联系李*（138****5678），已清运' }
  ]
}

describe('ticket detail for a follower', () => {
  it('shows the public view without crashing: state, community, the masked reply, and rate and reopen', async () => {
    fakeApi({ 'GET /api/tickets/t9': { statusCode: 200, data: followed } })
    saveSession({ accessToken: 'a', refreshToken: 'r', user: { id: 'r3', role: 'resident', displayName: '赵强', scope: {} } })
    ;(Taro as unknown as { __setRouterParams: (p: Record<string, string>) => void }).__setRouterParams({ id: 't9' })
    render(<TicketDetailPage />)
    expect(await screen.findByText('您关注的工单，具体内容仅提交人和办理人员可见。')).toBeTruthy()
    expect(screen.getByText('永和社区')).toBeTruthy()
    expect(screen.getAllByText('已联系李*（138****5678），已清运').length).toBeGreaterThan(0)
    expect(screen.getByText('评价')).toBeTruthy()
    expect(screen.getByText('重新办理')).toBeTruthy()
    expect(screen.queryByText('关注此工单，接收办理进展')).toBeNull()
  })
})
