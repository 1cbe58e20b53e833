import { describe, expect, it } from 'vitest'
import { fireEvent, render, screen, waitFor } from '@testing-library/react'
import Taro from '@tarojs/taro'
import ChangePasswordPage from './index'
import { passwordFormProblems } from './password-rules'
import { fakeApi, problem } from '../../../../test/fake-api'
import { apiRequest } from '../../../services/api-client'
import { getSession, saveSession } from '../../../services/session'

function signInAs(mustChangePassword: boolean) {
  saveSession({ accessToken: 'a', refreshToken: 'r', user: { id: 'u1', role: 'grid_worker', displayName: '王网格', username: 'wangwg', scope: { gridCode: 'g1' }, mustChangePassword } })
}

function fill(current: string, next: string, confirm = next) {
  fireEvent.change(screen.getByLabelText('当前密码'), { target: { value: current } })
  fireEvent.change(screen.getByLabelText('新密码'), { target: { value: next } })
  fireEvent.change(screen.getByLabelText('确认新密码'), { target: { value: confirm } })
  fireEvent.click(screen.getByRole('button', { name: '修改密码' }))
}

describe('forced password change', () => {
  it('checks length, kinds of character, the username and the confirmation before sending', () => {
    expect(passwordFormProblems({ currentPassword: 'x', newPassword: 'Short1!', confirmPassword: 'Short1!' }).newPassword).toMatch(/至少 10 个字符/)
    expect(passwordFormProblems({ currentPassword: 'x', newPassword: 'alllowercase', confirmPassword: 'alllowercase' }).newPassword).toMatch(/至少三类/)
    expect(passwordFormProblems({ currentPassword: 'x', newPassword: 'Wangwg-2026!', confirmPassword: 'Wangwg-2026!', username: 'wangwg' }).newPassword).toMatch(/用户名/)
    expect(passwordFormProblems({ currentPassword: 'x', newPassword: 'Maple-River-42', confirmPassword: 'Maple-River-43' }).confirmPassword).toMatch(/不一致/)
    expect(passwordFormProblems({ currentPassword: 'x', newPassword: 'Maple-River-42', confirmPassword: 'Maple-River-42' })).toEqual({})
  })

  it('lists the rules and refuses a weak password without calling the server', () => {
    signInAs(true)
    const api = fakeApi({})
    render(<ChangePasswordPage />)
    expect(screen.getByText(/至少 10 个字符/)).toBeTruthy()
    fill('OneTime-1', 'short')
    expect(screen.getByText(/新密码至少 10 个字符/)).toBeTruthy()
    expect(api.calls).toHaveLength(0)
  })

  it('shows the server refusing a common password on the new-password field', async () => {
    signInAs(true)
    fakeApi({ 'POST /api/me/password': problem(400, 'weak_password', [{ path: 'newPassword', code: 'weak_password', message: 'is too common' }]) })
    render(<ChangePasswordPage />)
    fill('OneTime-1', 'Password123!')
    expect(await screen.findByText(/太常见/)).toBeTruthy()
    expect(getSession()?.user.mustChangePassword).toBe(true)
  })

  it('changes the password, keeps the fresh session and continues to the staff inbox', async () => {
    signInAs(true)
    const api = fakeApi({
      'POST /api/me/password': {
        statusCode: 200,
        data: {
          accessToken: 'a2',
          refreshToken: 'r2',
          expiresIn: 900,
          user: {
            id: 'u1',
            role: 'grid_worker',
            displayName: '王网格',
            scope: { gridCode: 'g1' },
            username: 'wangwg',
            onDuty: false,
            totpEnabled: false,
            mustChangePassword: false,
            wechatBound: false
          }
        }
      }
    })
    render(<ChangePasswordPage />)
    fill('OneTime-1', 'Maple-River-42')
    await waitFor(() => expect(Taro.redirectTo).toHaveBeenCalledWith({ url: '/packages/staff/inbox/index' }))
    expect(api.callsTo('POST', '/api/me/password')[0]?.body).toEqual({ currentPassword: 'OneTime-1', newPassword: 'Maple-River-42' })
    expect(getSession()).toMatchObject({ accessToken: 'a2', user: { mustChangePassword: false } })
  })

  it('says so when the current password is wrong', async () => {
    signInAs(true)
    fakeApi({ 'POST /api/me/password': problem(400, 'invalid_credentials', [{ path: 'currentPassword', code: 'invalid_credentials', message: 'is wrong' }]) })
    render(<ChangePasswordPage />)
    fill('Wrong-1', 'Maple-River-42')
    expect(await screen.findByText(/当前密码不正确/)).toBeTruthy()
  })

  it('sends the app to the password change page from any call answered 403 password_change_required', async () => {
    signInAs(false)
    fakeApi({ 'GET /api/tickets': problem(403, 'password_change_required') })
    await expect(apiRequest({ path: '/api/tickets' })).rejects.toMatchObject({ code: 'password_change_required' })
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/auth/change-password/index' })
    expect(getSession()?.user.mustChangePassword).toBe(true)
  })
})
