import { describe, expect, it } from 'vitest'
import { render, screen } from '@testing-library/react'
import { TicketDetails, detailLines } from './ticket-details'

describe('ticket details (issue 11: fraud clues were stored but shown to nobody)', () => {
  it('shows a fraud tip’s phone, URL, account, app, amount and story, labelled', () => {
    render(
      <TicketDetails
        ticket={{
          kind: 'fraud_tip',
          details: { phone: '13912345678', url: 'https://bad.example/pay', paymentAccount: '6222 0000 1111', appName: '某某理财', amountLost: 12000, whatHappened: '对方冒充客服' }
        }}
      />
    )
    expect(screen.getByText('对方电话：')).toBeTruthy()
    expect(screen.getByText('13912345678')).toBeTruthy()
    expect(screen.getByText('https://bad.example/pay')).toBeTruthy()
    expect(screen.getByText('6222 0000 1111')).toBeTruthy()
    expect(screen.getByText('某某理财')).toBeTruthy()
    expect(screen.getByText('12,000 元')).toBeTruthy()
    expect(screen.getByText('对方冒充客服')).toBeTruthy()
  })

  it('labels a hazard’s kind in words, leaves out ids, and shows nothing for a kind without details', () => {
    expect(detailLines({ kind: 'hazard_tip', details: { hazardKind: 'gas', building: '3 号楼' } })).toEqual([
      { label: '隐患类型', text: '燃气' },
      { label: '楼栋', text: '3 号楼' }
    ])
    const legal = detailLines({ kind: 'legal_consultation', details: { bookingId: 'b1', stationId: 's1', slotId: 'x', topic: '劳动合同', startsAt: '2026-12-03T06:30:00.000Z' } })
    expect(legal.map((l) => l.label)).toEqual(['咨询事项', '预约时间'])
    expect(legal[1].text).toContain('14:30')
    expect(detailLines({ kind: 'report', details: undefined })).toEqual([])
  })
})
