import { describe, expect, it, vi } from 'vitest'
import { fireEvent, render, screen, waitFor } from '@testing-library/react'
import Taro from '@tarojs/taro'
import type { ActivityView, SignupView, VolunteerView } from '@palm/shared'
import ActivityPage from './index'
import { attendanceWindow } from '../components/signup-panel'
import { closedTag } from '../components/activity-card'
import { fakeApi, problem } from '../../../../test/fake-api'
import { saveSession } from '../../../services/session'

const startsAt = new Date(Date.now() + 6 * 86_400_000).toISOString()
const base: ActivityView = {
  id: 'act-1',
  title: '老年人防诈骗讲座',
  description: '讲解保健品、养老投资类骗局。',
  kind: 'publicity',
  place: '绿地世纪城会所',
  location: null,
  community: { code: '140213066001', name: '永和社区' },
  streetCode: '140213066',
  startsAt,
  endsAt: new Date(Date.parse(startsAt) + 2 * 3_600_000).toISOString(),
  signupDeadline: new Date(Date.parse(startsAt) - 2 * 3_600_000).toISOString(),
  capacity: 2,
  signedUp: 2,
  remaining: 0,
  waitlisted: 2,
  cancelled: false,
  mySignup: null
}
const waitlisted: SignupView = { id: 'su-1', activityId: 'act-1', status: 'waitlisted', waitlistPosition: 3, checkinAt: null, checkoutAt: null, hours: 0, createdAt: new Date().toISOString() }

const approved: VolunteerView = {
  id: 'vol-1',
  number: 'PCFZ-000001',
  name: '演示志愿者',
  phone: '138****0000',
  community: { code: '140213066001', name: '永和社区' },
  skills: [],
  status: 'approved',
  rejectionReason: null,
  createdAt: new Date().toISOString(),
  approvedAt: new Date().toISOString()
}

function open(routes: Parameters<typeof fakeApi>[0]) {
  const api = fakeApi({ 'GET /api/volunteers/me': { statusCode: 200, data: approved }, ...routes })
  saveSession({ accessToken: 'acc', refreshToken: 'ref', user: { id: 'v1', role: 'volunteer', displayName: '演示志愿者', scope: {} } })
  ;(Taro as unknown as { __setRouterParams: (p: Record<string, string>) => void }).__setRouterParams({ id: 'act-1' })
  render(<ActivityPage />)
  return api
}

describe('activity sign-up: the waiting list', () => {
  it('offers the waiting list when full, joins it, and shows the place in the queue', async () => {
    let joined = false
    const api = open({
      'GET /api/activities/act-1': () => ({ statusCode: 200, data: joined ? { ...base, waitlisted: 3, mySignup: waitlisted } : base }),
      'POST /api/activities/act-1/signups': () => {
        joined = true
        return { statusCode: 201, data: waitlisted }
      }
    })
    await screen.findByText('名额已满')
    expect(screen.getByText('已有 2 人候补。加入候补后，有人取消时按顺序递补。')).toBeTruthy()
    expect(screen.queryByText('报名参加')).toBeNull()
    fireEvent.click(screen.getByText('加入候补'))
    await screen.findByText('候补第 3 位')
    expect(screen.getByText('取消候补')).toBeTruthy()
    const posts = api.callsTo('POST', '/api/activities/act-1/signups')
    expect(posts).toHaveLength(1)
    expect(posts[0]?.body).toEqual({ joinWaitlist: true })
    expect(posts[0]?.header['Idempotency-Key']).toMatch(/^[0-9a-f-]{36}$/)
    await waitFor(() => expect(screen.getByText('名额已满，3 人候补')).toBeTruthy())
  })

  it('when the last seat goes while signing up (409 activity_full), asks and then queues with a fresh key', async () => {
    vi.mocked(Taro.showModal).mockResolvedValue({ confirm: true, cancel: false } as Awaited<ReturnType<typeof Taro.showModal>>)
    let calls = 0
    const api = open({
      'GET /api/activities/act-1': { statusCode: 200, data: { ...base, signedUp: 1, remaining: 1, waitlisted: 0 } },
      'POST /api/activities/act-1/signups': () => (++calls === 1 ? problem(409, 'activity_full') : { statusCode: 201, data: { ...waitlisted, waitlistPosition: 1 } })
    })
    fireEvent.click(await screen.findByText('报名参加'))
    await screen.findByText('候补第 1 位')
    expect(Taro.showModal).toHaveBeenCalledWith(expect.objectContaining({ title: '名额已满', confirmText: '加入候补' }))
    const posts = api.callsTo('POST', '/api/activities/act-1/signups')
    expect(posts.map((p) => p.body)).toEqual([{ joinWaitlist: false }, { joinWaitlist: true }])
    expect(posts[1]?.header['Idempotency-Key']).not.toBe(posts[0]?.header['Idempotency-Key'])
  })

  it('tells a resident who is not an approved volunteer why, in place', async () => {
    open({
      'GET /api/activities/act-1': { statusCode: 200, data: { ...base, remaining: 1, signedUp: 1 } },
      'POST /api/activities/act-1/signups': problem(403, 'volunteer_not_approved')
    })
    fireEvent.click(await screen.findByText('报名参加'))
    await waitFor(() => expect(document.querySelector('.signup-notice')?.textContent).toBe('请先注册成为志愿者，并等待社区审核通过'))
    expect(screen.getByText('查看我的志愿者状态')).toBeTruthy()
  })
})

describe('activity sign-up: who may sign up, and when the code can be entered (issue 11)', () => {
  const open1 = { ...base, remaining: 1, signedUp: 1 }

  it('tells a volunteer still waiting for approval that they are pending, with no sign-up button', async () => {
    open({ 'GET /api/activities/act-1': { statusCode: 200, data: open1 }, 'GET /api/volunteers/me': { statusCode: 200, data: { ...approved, status: 'pending', approvedAt: null } } })
    await screen.findByText('您的志愿者申请正在等待社区审核，审核通过后即可报名。')
    expect(screen.queryByText('报名参加')).toBeNull()
  })

  it('sends a resident who never registered to the registration, not to a refused button', async () => {
    open({ 'GET /api/activities/act-1': { statusCode: 200, data: open1 }, 'GET /api/volunteers/me': { statusCode: 204, data: '' } })
    await screen.findByText('注册志愿者')
    expect(screen.queryByText('报名参加')).toBeNull()
  })

  it('shows when check-in opens instead of a code box days before the start', async () => {
    const confirmed: SignupView = { ...waitlisted, status: 'confirmed', waitlistPosition: undefined }
    open({ 'GET /api/activities/act-1': { statusCode: 200, data: { ...base, mySignup: confirmed } } })
    await screen.findByText(/^签到将于 .* 开放$/)
    expect(screen.queryByText('签到')).toBeNull()
  })

  it('opens check-out only from the start: a volunteer checked in early sees when', () => {
    const starts = Date.now() + 10 * 60_000
    const activity = { startsAt: new Date(starts).toISOString(), endsAt: new Date(starts + 3_600_000).toISOString() }
    expect(attendanceWindow(activity, false, Date.now())).toEqual({ open: true })
    expect(attendanceWindow(activity, true, Date.now()).open).toBe(false)
    expect(attendanceWindow(activity, true, Date.now()).why).toMatch(/^签退将于 /)
    expect(attendanceWindow(activity, true, starts + 1)).toEqual({ open: true })
    expect(attendanceWindow(activity, true, starts + 3_600_000 + 31 * 60_000).open).toBe(false)
  })

  it('tags an activity 已截止 once sign-up closed, 已结束 after its end, 已取消 when cancelled', async () => {
    const deadline = Date.parse(base.signupDeadline)
    expect(closedTag(base, deadline - 1)).toBeNull()
    expect(closedTag(base, deadline + 1)).toBe('已截止')
    expect(closedTag(base, Date.parse(base.endsAt) + 1)).toBe('已结束')
    expect(closedTag({ ...base, cancelled: true }, deadline - 1)).toBe('已取消')
    open({ 'GET /api/activities/act-1': { statusCode: 200, data: { ...base, signupDeadline: new Date(Date.now() - 60_000).toISOString() } } })
    expect(await screen.findByText('已截止')).toBeTruthy()
  })
})
