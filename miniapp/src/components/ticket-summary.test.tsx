import { describe, expect, it } from 'vitest'
import { render } from '@testing-library/react'
import type { TicketView } from '@palm/shared'
import { TicketSummary } from './ticket-summary'

function ticket(overrides: Partial<TicketView>): TicketView {
  const now = new Date().toISOString()
  return {
    id: 't1',
    number: 'PC-1',
    kind: 'report',
    category: 'sanitation',
    categoryName: '环境卫生',
    state: 'accepted',
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
    acceptedAt: now,
    resolvedAt: null,
    closedAt: null,
    actions: [],
    viewer: { isReporter: false, isFollower: false },
    attachments: [],
    timeline: [],
    ...overrides
  }
}

describe('ticket summary: handling facts', () => {
  it("tells staff a 代报 with the resident's phone, and a patrol find", () => {
    const onBehalf = render(<TicketSummary ticket={ticket({ source: 'on_behalf', onBehalf: { phone: '13912345678', name: '王大爷' } })} staffView />)
    expect(onBehalf.container.textContent).toContain('网格员代报（王大爷，电话 13912345678）')
    const patrol = render(<TicketSummary ticket={ticket({ source: 'patrol' })} staffView />)
    expect(patrol.container.textContent).toContain('巡查发现')
  })

  it('says the clock stands while suspended, and marks the 24×7 clock of an emergency', () => {
    const suspended = render(<TicketSummary ticket={ticket({ state: 'suspended' })} staffView />)
    expect(suspended.container.textContent).toContain('已挂起，计时暂停')
    expect(suspended.container.textContent).not.toContain('预计办结')
    const emergency = render(<TicketSummary ticket={ticket({ emergency: true })} staffView />)
    expect(emergency.container.textContent).toContain('紧急事项，24 小时计时')
  })
})
