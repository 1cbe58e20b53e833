import { describe, expect, it, vi } from 'vitest'
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react'
import Taro from '@tarojs/taro'
import { TicketLimits } from '@palm/shared'
import ReportPage from './index'
import { fakeApi, problem, type FakeRequest } from '../../../../test/fake-api'
import { saveSession } from '../../../services/session'
import { StorageKeys, readStored } from '../../../services/storage'
import type { ReportDraft } from '../../../services/report-draft'

const categories = [
  { code: 'sanitation', name: '环境卫生', kind: 'report', acceptWithin: 120, resolveWithin: 1350, active: true },
  { code: 'public_facilities', name: '公共设施', kind: 'report', acceptWithin: 120, resolveWithin: 2250, active: true }
]
const YONGHE = { lat: 40.05, lng: 113.3 }
const ticket = { id: 'ticket-1', number: 'PC-1', state: 'assigned' }

function baseRoutes(extra: Parameters<typeof fakeApi>[0] = {}) {
  return fakeApi({
    'GET /api/tickets/categories': { statusCode: 200, data: categories },
    'GET /api/territory/locate': {
      statusCode: 200,
      data: { street: { code: '140213066', name: '水泊寺街道' }, community: { code: '140213066001', name: '永和社区', synthetic: true }, grid: { code: 'g1', name: '永和一网格', synthetic: true } }
    },
    'GET /api/tickets/nearby': { statusCode: 200, data: { items: [] } },
    'GET /api/territory/streets': { statusCode: 200, data: [{ code: '140213066', name: '水泊寺街道' }] },
    'GET /api/territory/communities': { statusCode: 200, data: [{ code: '140213066001', name: '永和社区', streetCode: '140213066', kind: 'community', synthetic: true }] },
    ...extra
  })
}

function signIn() {
  saveSession({ accessToken: 'acc', refreshToken: 'ref', user: { id: 'r1', role: 'resident', displayName: '演示居民', scope: {} } })
}

async function renderForm() {
  signIn()
  const view = render(<ReportPage />)
  await screen.findByText('请选择问题类别')
  return view
}

function chooseCategory(index = 0) {
  fireEvent.change(screen.getByLabelText('问题类别'), { target: { value: String(index) } })
}

function typeDescription(text: string) {
  fireEvent.change(screen.getByPlaceholderText('请说明发生了什么、在哪里、持续多久了'), { target: { value: text } })
}

async function locate() {
  vi.mocked(Taro.getLocation).mockResolvedValue({ latitude: YONGHE.lat, longitude: YONGHE.lng } as Awaited<ReturnType<typeof Taro.getLocation>>)
  fireEvent.click(screen.getByText('获取当前位置'))
  await screen.findByText(/永和社区/)
}

async function fillValidForm() {
  chooseCategory(0)
  typeDescription('小区门口的路灯坏了一个多星期，晚上很黑')
  await locate()
}

const submit = () => fireEvent.click(screen.getByText('提交'))
const errorFor = (field: string) => document.querySelector(`[data-error-for="${field}"]`)?.textContent ?? ''

describe('report form: validation before sending', () => {
  it('shows the shared schema errors for an empty description and sends nothing', async () => {
    const api = baseRoutes()
    await renderForm()
    chooseCategory(0)
    await locate()
    submit()
    await waitFor(() => expect(errorFor('description')).toBe('请描述您遇到的问题'))
    expect(api.callsTo('POST', '/api/tickets')).toHaveLength(0)
  })

  it('treats a description of blanks as empty, as the shared schema trims it', async () => {
    const api = baseRoutes()
    await renderForm()
    chooseCategory(0)
    typeDescription('     ')
    await locate()
    submit()
    await waitFor(() => expect(errorFor('description')).toBe('请描述您遇到的问题'))
    expect(api.callsTo('POST', '/api/tickets')).toHaveLength(0)
  })

  it('shows the length limit for a description over the shared maximum and sends nothing', async () => {
    const api = baseRoutes()
    await renderForm()
    chooseCategory(0)
    typeDescription('灯'.repeat(TicketLimits.descriptionMax + 1))
    await locate()
    submit()
    await waitFor(() => expect(errorFor('description')).toBe(`问题描述不能超过 ${TicketLimits.descriptionMax} 字`))
    expect(api.callsTo('POST', '/api/tickets')).toHaveLength(0)
  })

  it('asks for a category and a place when they are missing', async () => {
    baseRoutes()
    await renderForm()
    typeDescription('有问题')
    submit()
    await waitFor(() => expect(errorFor('category')).toBe('请选择问题类别'))
    expect(errorFor('location')).toBe('请定位或选择所在社区')
  })
})

describe('report form: answers from the server', () => {
  it('creates the ticket once, with the draft key, and clears the draft after 201', async () => {
    const api = baseRoutes({ 'POST /api/tickets': { statusCode: 201, data: ticket } })
    await renderForm()
    await fillValidForm()
    const key = readStored<ReportDraft>(StorageKeys.reportDraft)?.idempotencyKey
    submit()
    await waitFor(() => expect(Taro.redirectTo).toHaveBeenCalledWith({ url: '/packages/ticket/detail/index?id=ticket-1' }))
    const posts = api.callsTo('POST', '/api/tickets')
    expect(posts).toHaveLength(1)
    expect(posts[0]?.header['Idempotency-Key']).toBe(key)
    expect(posts[0]?.body).toMatchObject({ kind: 'report', category: 'sanitation', location: YONGHE, allowPublication: true })
    expect(readStored(StorageKeys.reportDraft)).toBeUndefined()
  })

  it('puts server field errors on their fields', async () => {
    baseRoutes({
      'POST /api/tickets': problem(400, 'validation_failed', [
        { path: 'description', code: 'too_big', message: 'Too big' },
        { path: 'address', code: 'too_big', message: 'Too big' }
      ])
    })
    await renderForm()
    await fillValidForm()
    submit()
    await waitFor(() => expect(errorFor('description')).toBe(`问题描述不能超过 ${TicketLimits.descriptionMax} 字`))
    expect(errorFor('address')).toBe(`详细地址不能超过 ${TicketLimits.addressMax} 字`)
    expect(readStored<ReportDraft>(StorageKeys.reportDraft)?.description).toContain('路灯')
  })

  it('shows out_of_district on the location field', async () => {
    baseRoutes({ 'POST /api/tickets': problem(400, 'out_of_district') })
    await renderForm()
    await fillValidForm()
    submit()
    await waitFor(() => expect(errorFor('location')).toBe('该位置不在平城区内，请重新定位或选择社区'))
  })

  it.each([
    [403, 'forbidden', '您没有权限进行此操作'],
    [404, 'not_found', '内容不存在或已被删除'],
    [409, 'conflict', '操作冲突，请刷新后重试']
  ])('shows a clear message for %i %s and keeps the draft', async (status, code, message) => {
    baseRoutes({ 'POST /api/tickets': problem(status, code) })
    await renderForm()
    await fillValidForm()
    submit()
    await waitFor(() => {
      const shown = [...vi.mocked(Taro.showToast).mock.calls.map((c) => c[0]?.title), ...vi.mocked(Taro.showModal).mock.calls.map((c) => c[0]?.content)]
      expect(shown).toContain(message)
    })
    expect(readStored<ReportDraft>(StorageKeys.reportDraft)?.description).toContain('路灯')
  })

  it('keeps the draft when offline, offers a retry, and the retry reuses the same Idempotency-Key', async () => {
    let online = false
    const api = baseRoutes({
      'POST /api/tickets': () => {
        if (!online) throw { errMsg: 'request:fail' }
        return { statusCode: 201, data: ticket }
      }
    })
    await renderForm()
    await fillValidForm()
    submit()
    await screen.findByText('重试提交')
    expect(Taro.showModal).toHaveBeenCalledWith(expect.objectContaining({ confirmText: '重试' }))
    const stored = readStored<ReportDraft>(StorageKeys.reportDraft)
    expect(stored?.description).toContain('路灯')

    online = true
    fireEvent.click(screen.getByText('重试提交'))
    await waitFor(() => expect(Taro.redirectTo).toHaveBeenCalled())
    const keys = api.callsTo('POST', '/api/tickets').map((c: FakeRequest) => c.header['Idempotency-Key'])
    expect(keys).toHaveLength(2)
    expect(keys[0]).toBe(stored?.idempotencyKey)
    expect(keys[1]).toBe(keys[0])
  })

  it('restores the draft after the app is killed and reopened', async () => {
    baseRoutes()
    const first = await renderForm()
    await fillValidForm()
    first.unmount()
    render(<ReportPage />)
    await waitFor(() => expect(document.querySelector('.category-picker')?.textContent).toContain('环境卫生'))
    expect(screen.getByPlaceholderText('请说明发生了什么、在哪里、持续多久了')).toHaveProperty('value', '小区门口的路灯坏了一个多星期，晚上很黑')
    expect(screen.getByText(/永和社区/)).toBeTruthy()
  })

  it('submits once on a double tap', async () => {
    let release: () => void = () => undefined
    const api = baseRoutes({
      'POST /api/tickets': () =>
        new Promise((resolve) => {
          release = () => resolve({ statusCode: 201, data: ticket })
        })
    })
    await renderForm()
    await fillValidForm()
    const button = screen.getByText('提交')
    await act(async () => {
      fireEvent.click(button)
      fireEvent.click(button)
    })
    fireEvent.click(screen.getByText('正在提交…'))
    await waitFor(() => expect(api.callsTo('POST', '/api/tickets')).toHaveLength(1))
    release()
    await waitFor(() => expect(Taro.redirectTo).toHaveBeenCalledTimes(1))
    expect(api.callsTo('POST', '/api/tickets')).toHaveLength(1)
  })
})

describe('report form: location', () => {
  it('lets the resident pick a community when location is denied, and sends the community', async () => {
    const api = baseRoutes({ 'POST /api/tickets': { statusCode: 201, data: ticket } })
    await renderForm()
    chooseCategory(1)
    typeDescription('健身器材坏了')
    vi.mocked(Taro.getLocation).mockRejectedValue({ errMsg: 'getLocation:fail auth deny' })
    fireEvent.click(screen.getByText('获取当前位置'))
    await screen.findByText(/未能获取您的位置/)
    await waitFor(() => expect(screen.getByLabelText('选择街道').querySelectorAll('option').length).toBeGreaterThan(1))
    fireEvent.change(screen.getByLabelText('选择街道'), { target: { value: '0' } })
    await waitFor(() => expect(screen.getByLabelText('选择社区').querySelectorAll('option').length).toBeGreaterThan(1))
    fireEvent.change(screen.getByLabelText('选择社区'), { target: { value: '0' } })
    await screen.findByText('水泊寺街道 永和社区（手动选择）')
    submit()
    await waitFor(() => expect(api.callsTo('POST', '/api/tickets')).toHaveLength(1))
    const body = api.callsTo('POST', '/api/tickets')[0]?.body as Record<string, unknown>
    expect(body.communityCode).toBe('140213066001')
    expect(body.location).toBeUndefined()
  })

  it('shows nearby open reports of the category and follows one instead of filing', async () => {
    const api = baseRoutes({
      'GET /api/tickets/nearby': {
        statusCode: 200,
        data: {
          items: [{ id: 'near-1', number: 'PC-9', category: 'sanitation', state: 'accepted', createdAt: new Date().toISOString(), distance: 80, followers: 2, following: false, summary: '路灯不亮' }]
        }
      },
      'POST /api/tickets/near-1/follow': { statusCode: 200, data: {} }
    })
    await renderForm()
    await fillValidForm()
    await screen.findByText('附近已有 1 件相同问题正在处理')
    fireEvent.click(screen.getByText('关注'))
    await screen.findByText('已关注')
    expect(api.callsTo('POST', '/api/tickets/near-1/follow')).toHaveLength(1)
    expect(api.callsTo('GET', '/api/tickets/nearby')[0]?.query.get('category')).toBe('sanitation')
  })
})

describe('report form: a grid worker files for a resident (代报) or from patrol (巡查发现)', () => {
  async function renderAsGridWorker() {
    saveSession({ accessToken: 'acc', refreshToken: 'ref', user: { id: 'w1', role: 'grid_worker', displayName: '李网格', scope: {} } })
    render(<ReportPage />)
    await screen.findByText('请选择问题类别')
  }

  it('files a patrol find by default, and a resident never sees the choice', async () => {
    const api = baseRoutes({ 'POST /api/tickets': { statusCode: 201, data: ticket } })
    await renderAsGridWorker()
    expect(screen.getByText('巡查发现')).toBeTruthy()
    await fillValidForm()
    submit()
    await waitFor(() => expect(api.callsTo('POST', '/api/tickets')).toHaveLength(1))
    expect(api.callsTo('POST', '/api/tickets')[0]?.body).toMatchObject({ source: 'patrol' })
  })

  it('asks for the resident’s phone before sending a 代报, then sends it with the name', async () => {
    const api = baseRoutes({ 'POST /api/tickets': { statusCode: 201, data: ticket } })
    await renderAsGridWorker()
    fireEvent.click(screen.getByText('代群众上报'))
    await fillValidForm()
    submit()
    await waitFor(() => expect(errorFor('onBehalfPhone')).toBe('代报需填写群众的 11 位手机号，便于回访'))
    expect(api.callsTo('POST', '/api/tickets')).toHaveLength(0)
    fireEvent.change(screen.getByPlaceholderText('11 位手机号'), { target: { value: '13912345678' } })
    fireEvent.change(screen.getByPlaceholderText('如：王阿姨'), { target: { value: '王阿姨' } })
    submit()
    await waitFor(() => expect(api.callsTo('POST', '/api/tickets')).toHaveLength(1))
    expect(api.callsTo('POST', '/api/tickets')[0]?.body).toMatchObject({ source: 'on_behalf', onBehalf: { phone: '13912345678', name: '王阿姨' } })
  })

  it('shows a resident no source choice and sends no source', async () => {
    const api = baseRoutes({ 'POST /api/tickets': { statusCode: 201, data: ticket } })
    await renderForm()
    expect(screen.queryByText('巡查发现')).toBeNull()
    await fillValidForm()
    submit()
    await waitFor(() => expect(api.callsTo('POST', '/api/tickets')).toHaveLength(1))
    expect(api.callsTo('POST', '/api/tickets')[0]?.body).not.toHaveProperty('source')
  })
})
