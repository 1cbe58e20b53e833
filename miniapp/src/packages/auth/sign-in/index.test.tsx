import { beforeEach, describe, expect, it } from 'vitest'
import { fireEvent, render, screen, waitFor } from '@testing-library/react'
import Taro from '@tarojs/taro'
import SignInPage from './index'
import { fakeApi, problem } from '../../../../test/fake-api'
import { metaService } from '../../../services/meta.service'
import { getSession } from '../../../services/session'

const production = { demoMode: false, signIn: ['wechat_mini', 'staff_password'], policyVersion: '2026-11-01' }
const demo = { demoMode: true, signIn: ['wechat_mini', 'wechat_web', 'staff_password', 'demo'], policyVersion: '2026-11-01' }

function session(mustChangePassword: boolean) {
  return {
    statusCode: 200,
    data: {
      accessToken: 'a',
      refreshToken: 'r',
      expiresIn: 900,
      user: { id: 'u1', role: 'grid_worker', displayName: '王网格', scope: { gridCode: 'g1' }, username: 'wang', onDuty: false, totpEnabled: false, mustChangePassword, wechatBound: false }
    }
  }
}

async function fillAndSubmit(username: string, password: string, totp = '') {
  fireEvent.change(await screen.findByLabelText('用户名'), { target: { value: username } })
  fireEvent.change(screen.getByLabelText('密码'), { target: { value: password } })
  if (totp) fireEvent.change(screen.getByLabelText('动态验证码'), { target: { value: totp } })
  fireEvent.click(screen.getByRole('button', { name: '登录' }))
}

describe('sign-in by server mode', () => {
  beforeEach(() => {
    metaService.forget()
    ;(Taro as unknown as { __setRouterParams: (p: Record<string, string>) => void }).__setRouterParams({})
  })

  it('shows no demo personas outside demo mode, and the staff form with 用户名, 密码 and 动态验证码', async () => {
    fakeApi({ 'GET /api/meta': { statusCode: 200, data: production } })
    render(<SignInPage />)
    expect(await screen.findByLabelText('用户名')).toBeTruthy()
    expect(screen.getByLabelText('密码')).toBeTruthy()
    expect(screen.getByLabelText('动态验证码')).toBeTruthy()
    expect(screen.queryByText('选择演示身份')).toBeNull()
  })

  it('shows the persona picker in demo mode, and the street persona needs only a street', async () => {
    const api = fakeApi({
      'GET /api/meta': { statusCode: 200, data: demo },
      'GET /api/territory/streets': { statusCode: 200, data: [{ code: '06', name: '新华街街道' }] },
      'POST /api/auth/demo': { statusCode: 200, data: { ...session(false).data, user: { ...session(false).data.user, role: 'street_admin', scope: { streetCode: '06' } } } }
    })
    render(<SignInPage />)
    expect(await screen.findByText('选择演示身份')).toBeTruthy()
    fireEvent.click(screen.getByText('街道综治中心'))
    const streets = await screen.findByLabelText('选择街道')
    await waitFor(() => expect(streets.textContent).toContain('新华街街道'))
    expect(screen.queryByLabelText('选择社区')).toBeNull()
    fireEvent.change(streets, { target: { value: '0' } })
    fireEvent.click(screen.getByText('以街道综治中心身份进入'))
    await waitFor(() => expect(api.callsTo('POST', '/api/auth/demo')).toHaveLength(1))
    expect(api.callsTo('POST', '/api/auth/demo')[0]?.body).toEqual({ persona: 'street_admin', streetCode: '06' })
  })

  it('says the password is wrong in plain Chinese and keeps the user signed out', async () => {
    fakeApi({ 'GET /api/meta': { statusCode: 200, data: production }, 'POST /api/auth/staff': problem(401, 'invalid_credentials') })
    render(<SignInPage />)
    await fillAndSubmit('wang', 'wrong-password')
    expect(await screen.findByText(/用户名或密码不正确/)).toBeTruthy()
    expect(getSession()).toBeUndefined()
  })

  it('says how many minutes a locked account must wait', async () => {
    fakeApi({
      'GET /api/meta': { statusCode: 200, data: production },
      'POST /api/auth/staff': { statusCode: 403, data: { ...(problem(403, 'account_locked').data as object), retryAfterSeconds: 840, minutesLeft: 14 } }
    })
    render(<SignInPage />)
    await fillAndSubmit('wang', 'whatever-1A')
    expect(await screen.findByText(/账号已锁定，请 14 分钟后再试/)).toBeTruthy()
  })

  it('names disabled accounts, missing and reused authenticator codes', async () => {
    let answer = problem(401, 'account_disabled')
    fakeApi({ 'GET /api/meta': { statusCode: 200, data: production }, 'POST /api/auth/staff': () => answer })
    render(<SignInPage />)
    await fillAndSubmit('wang', 'Secret-pass-1')
    expect(await screen.findByText('该账号已停用，请联系管理员。')).toBeTruthy()
    answer = problem(401, 'totp_required')
    fireEvent.click(screen.getByRole('button', { name: '登录' }))
    expect(await screen.findByText(/该账号需要动态验证码：请打开身份验证器/)).toBeTruthy()
    answer = problem(401, 'totp_reused')
    fireEvent.change(screen.getByLabelText('动态验证码'), { target: { value: '123456' } })
    fireEvent.click(screen.getByRole('button', { name: '登录' }))
    expect(await screen.findByText(/刚刚已用过/)).toBeTruthy()
  })

  it('sends the authenticator code and goes to the forced password change when the password is a one-time one', async () => {
    const api = fakeApi({ 'GET /api/meta': { statusCode: 200, data: production }, 'POST /api/auth/staff': session(true) })
    render(<SignInPage />)
    await fillAndSubmit(' Wang ', 'OneTime-pass-7', '123456')
    await waitFor(() => expect(Taro.redirectTo).toHaveBeenCalled())
    expect(api.callsTo('POST', '/api/auth/staff')[0]?.body).toEqual({ username: 'Wang', password: 'OneTime-pass-7', totp: '123456' })
    expect(Taro.redirectTo).toHaveBeenCalledWith({ url: `/packages/auth/change-password/index?redirect=${encodeURIComponent('/packages/staff/inbox/index')}` })
  })

  it('goes straight to the staff inbox when no change is needed', async () => {
    fakeApi({ 'GET /api/meta': { statusCode: 200, data: production }, 'POST /api/auth/staff': session(false) })
    render(<SignInPage />)
    await fillAndSubmit('wang', 'Good-pass-123')
    await waitFor(() => expect(Taro.redirectTo).toHaveBeenCalledWith({ url: '/packages/staff/inbox/index' }))
  })

  it('offers 重试 when the server mode cannot be read', async () => {
    fakeApi({})
    render(<SignInPage />)
    expect(await screen.findByText('重试')).toBeTruthy()
  })
})
