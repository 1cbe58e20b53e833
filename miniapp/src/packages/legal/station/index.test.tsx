import { describe, expect, it } from 'vitest'
import { fireEvent, render, screen, waitFor } from '@testing-library/react'
import Taro from '@tarojs/taro'
import type { SlotView, StationView } from '@palm/shared'
import LegalStationPage from './index'
import { fakeApi, problem } from '../../../../test/fake-api'
import { saveSession } from '../../../services/session'

const station: StationView = {
  id: 'st-1',
  name: '永和社区法律服务室',
  level: 'community',
  kind: 'legal_service_room',
  street: { code: '140213066', name: '水泊寺街道' },
  community: { code: '140213066001', name: '永和社区' },
  address: '永和社区党群服务中心二楼',
  location: null,
  phone: null,
  topics: ['婚姻家庭', '继承'],
  minLeadMinutes: 120,
  cancelCutoffMinutes: 120,
  active: true,
  providers: [{ id: 'pr-1', stationId: 'st-1', name: '示例律师 陈静', kind: 'lawyer', topics: ['婚姻家庭'], bio: '', active: true }]
}
const start = new Date(Date.now() + 3 * 86_400_000)
start.setUTCHours(1, 0, 0, 0) // 09:00 Beijing
const slot = (id: string, offsetMinutes: number, remaining: number): SlotView => ({
  id,
  stationId: 'st-1',
  provider: { id: 'pr-1', name: '示例律师 陈静', kind: 'lawyer' },
  startsAt: new Date(start.getTime() + offsetMinutes * 60_000).toISOString(),
  endsAt: new Date(start.getTime() + (offsetMinutes + 30) * 60_000).toISOString(),
  capacity: 1,
  booked: 1 - remaining,
  remaining,
  bookable: remaining > 0
})
const slots = [slot('slot-a', 0, 1), slot('slot-b', 30, 0)]

function routes(booking: Parameters<typeof fakeApi>[0][string]) {
  return fakeApi({
    'GET /api/legal/stations/st-1': { statusCode: 200, data: station },
    'GET /api/legal/slots': { statusCode: 200, data: { items: slots } },
    'POST /api/legal/bookings': booking
  })
}

async function openAndFill() {
  saveSession({ accessToken: 'acc', refreshToken: 'ref', user: { id: 'r1', role: 'resident', displayName: '演示居民', scope: {} } })
  ;(Taro as unknown as { __setRouterParams: (p: Record<string, string>) => void }).__setRouterParams({ id: 'st-1' })
  render(<LegalStationPage />)
  await screen.findByText('剩余 1 个名额')
  expect(screen.getByText('已约满')).toBeTruthy()
  fireEvent.click(screen.getByText('剩余 1 个名额'))
  await screen.findByText('填写预约信息')
  fireEvent.click(screen.getAllByText('婚姻家庭').find((el) => el.getAttribute('role') === 'tab') as HTMLElement)
  fireEvent.change(screen.getByLabelText('问题简述'), { target: { value: '想咨询离婚后孩子抚养权的问题。' } })
}

const refusal = () => document.querySelector('.booking-refusal')?.textContent ?? ''

describe('legal booking: refusals are shown clearly', () => {
  it('says the slot is full on 409 slot_full and reloads the slots', async () => {
    const api = routes(problem(409, 'slot_full'))
    await openAndFill()
    fireEvent.click(screen.getByText('确认预约'))
    await waitFor(() => expect(refusal()).toBe('该时段已约满，请选择其他时段'))
    expect(document.querySelector('.booking-refusal')?.getAttribute('role')).toBe('alert')
    await waitFor(() => expect(api.callsTo('GET', '/api/legal/slots').length).toBeGreaterThanOrEqual(2))
    expect(Taro.redirectTo).not.toHaveBeenCalled()
  })

  it('says how far ahead to book on 409 slot_too_soon, with the station’s own lead time', async () => {
    routes(problem(409, 'slot_too_soon'))
    await openAndFill()
    fireEvent.click(screen.getByText('确认预约'))
    await waitFor(() => expect(refusal()).toBe('需至少提前 2 小时预约，该时段已来不及，请选择更晚的时段'))
  })

  it('says the resident already holds the slot on 409 already_booked', async () => {
    routes(problem(409, 'already_booked'))
    await openAndFill()
    fireEvent.click(screen.getByText('确认预约'))
    await waitFor(() => expect(refusal()).toBe('您已预约过该时段，无需重复预约'))
  })

  it('books with topic and description, one Idempotency-Key, and opens the booking', async () => {
    const api = routes({ statusCode: 201, data: { id: 'bk-1' } })
    await openAndFill()
    fireEvent.click(screen.getByText('确认预约'))
    await waitFor(() => expect(Taro.redirectTo).toHaveBeenCalledWith({ url: '/packages/legal/booking/index?id=bk-1' }))
    const posts = api.callsTo('POST', '/api/legal/bookings')
    expect(posts).toHaveLength(1)
    expect(posts[0]?.body).toEqual({ slotId: 'slot-a', topic: '婚姻家庭', description: '想咨询离婚后孩子抚养权的问题。' })
    expect(posts[0]?.header['Idempotency-Key']).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('asks for a description before sending', async () => {
    const api = routes({ statusCode: 201, data: { id: 'bk-1' } })
    await openAndFill()
    fireEvent.change(screen.getByLabelText('问题简述'), { target: { value: '   ' } })
    fireEvent.click(screen.getByText('确认预约'))
    await waitFor(() => expect(document.querySelector('[data-error-for="description"]')?.textContent).toBe('请简单说明您要咨询的问题'))
    expect(api.callsTo('POST', '/api/legal/bookings')).toHaveLength(0)
  })
})
