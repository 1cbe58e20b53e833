import { describe, expect, it, vi } from 'vitest'
import { fireEvent, render, screen, waitFor } from '@testing-library/react'
import Taro from '@tarojs/taro'
import FraudTipPage from './index'
import { fakeApi, problem } from '../../../../test/fake-api'
import { saveSession } from '../../../services/session'

const categories = [
  { code: 'telecom_fraud', name: '电信诈骗', kind: 'fraud_tip', acceptWithin: 30, resolveWithin: 450, active: true },
  { code: 'online_fraud', name: '网络诈骗', kind: 'fraud_tip', acceptWithin: 30, resolveWithin: 450, active: true }
]
const PHONE_ERROR = '请输入正确的电话号码（手机、带区号的座机，或 400、95 开头的号码）'
const URL_ERROR = '请输入完整网址，以 http:// 或 https:// 开头'

function routes(extra: Parameters<typeof fakeApi>[0] = {}) {
  return fakeApi({ 'GET /api/tickets/categories': { statusCode: 200, data: categories }, ...extra })
}

async function renderForm() {
  saveSession({ accessToken: 'acc', refreshToken: 'ref', user: { id: 'r1', role: 'resident', displayName: '演示居民', scope: {} } })
  render(<FraudTipPage />)
  await screen.findByText('请选择诈骗类型')
}

const type = (label: string, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } })
const errorFor = (field: string) => document.querySelector(`[data-error-for="${field}"]`)?.textContent ?? ''
const submit = () => fireEvent.click(screen.getByText('提交线索'))

async function fillValid() {
  fireEvent.change(screen.getByLabelText('诈骗类型'), { target: { value: '0' } })
  type('发生了什么', '对方自称客服，说我的快递丢了要理赔，让我下载会议软件共享屏幕。')
}

describe('fraud tip form: the shared schema checks the leads before sending', () => {
  it('shows the phone error for a number that is not a mainland number and sends nothing', async () => {
    const api = routes()
    await renderForm()
    await fillValid()
    type('对方电话', '12345')
    submit()
    await waitFor(() => expect(errorFor('phone')).toBe(PHONE_ERROR))
    expect(api.callsTo('POST', '/api/tickets')).toHaveLength(0)
  })

  it('shows the URL error for a javascript: link and for text without a scheme, and sends nothing', async () => {
    const api = routes()
    await renderForm()
    await fillValid()
    type('网址链接', 'javascript:alert(1)')
    submit()
    await waitFor(() => expect(errorFor('url')).toBe(URL_ERROR))
    type('网址链接', 'www.example.com/pay')
    submit()
    await waitFor(() => expect(errorFor('url')).toBe(URL_ERROR))
    expect(api.callsTo('POST', '/api/tickets')).toHaveLength(0)
  })

  it('shows both errors at once, and an amount that is not a number', async () => {
    const api = routes()
    await renderForm()
    await fillValid()
    type('对方电话', '138-0000')
    type('网址链接', 'ftp://files.example.com')
    type('损失金额（元）', '五百')
    submit()
    await waitFor(() => expect(errorFor('phone')).toBe(PHONE_ERROR))
    expect(errorFor('url')).toBe(URL_ERROR)
    expect(errorFor('amountLost')).toBe('请输入正确的金额（元），没有损失可不填')
    expect(api.callsTo('POST', '/api/tickets')).toHaveLength(0)
  })

  it('asks for the type and what happened when they are missing', async () => {
    routes()
    await renderForm()
    submit()
    await waitFor(() => expect(errorFor('category')).toBe('请选择诈骗类型'))
    expect(errorFor('whatHappened')).toBe('请说明发生了什么')
  })

  it('sends a valid anonymous tip once, with its leads in details, and opens the ticket', async () => {
    const api = routes({ 'POST /api/tickets': { statusCode: 201, data: { id: 'tip-1', number: 'PC-9', state: 'submitted' } } })
    await renderForm()
    await fillValid()
    type('对方电话', '010-6512 3456')
    type('网址链接', 'https://pay.example.com/refund')
    type('收款账户', '6222 0000 1111 2222')
    type('损失金额（元）', '1999.5')
    fireEvent.click(screen.getByLabelText('匿名举报'))
    submit()
    await waitFor(() => expect(Taro.redirectTo).toHaveBeenCalledWith({ url: '/packages/ticket/detail/index?id=tip-1' }))
    const posts = api.callsTo('POST', '/api/tickets')
    expect(posts).toHaveLength(1)
    expect(posts[0]?.header['Idempotency-Key']).toMatch(/^[0-9a-f-]{36}$/)
    expect(posts[0]?.body).toEqual({
      kind: 'fraud_tip',
      category: 'telecom_fraud',
      description: '对方自称客服，说我的快递丢了要理赔，让我下载会议软件共享屏幕。',
      anonymous: true,
      allowPublication: false,
      details: { phone: '010-6512 3456', url: 'https://pay.example.com/refund', paymentAccount: '6222 0000 1111 2222', amountLost: 1999.5 }
    })
  })

  it('puts the server’s field errors (details.phone) on the phone field', async () => {
    routes({ 'POST /api/tickets': problem(400, 'validation_failed', [{ path: 'details.phone', code: 'custom', message: 'not a mainland number' }]) })
    await renderForm()
    await fillValid()
    type('对方电话', '13800000000')
    submit()
    await waitFor(() => expect(errorFor('phone')).toBe(PHONE_ERROR))
    expect(vi.mocked(Taro.redirectTo)).not.toHaveBeenCalled()
  })

  it('retries after a network failure with the same Idempotency-Key, so the tip is filed once', async () => {
    vi.mocked(Taro.showModal).mockResolvedValueOnce({ confirm: true, cancel: false } as Awaited<ReturnType<typeof Taro.showModal>>)
    let online = false
    const api = routes({
      'POST /api/tickets': () => {
        if (!online) {
          online = true
          throw { errMsg: 'request:fail' }
        }
        return { statusCode: 201, data: { id: 'tip-2', number: 'PC-10', state: 'submitted' } }
      }
    })
    await renderForm()
    await fillValid()
    submit()
    await waitFor(() => expect(Taro.redirectTo).toHaveBeenCalledWith({ url: '/packages/ticket/detail/index?id=tip-2' }))
    const keys = api.callsTo('POST', '/api/tickets').map((c) => c.header['Idempotency-Key'])
    expect(keys).toHaveLength(2)
    expect(keys[1]).toBe(keys[0])
  })
})
