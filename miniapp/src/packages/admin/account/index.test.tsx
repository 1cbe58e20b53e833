import { describe, expect, it, vi } from 'vitest'
import { fireEvent, render, screen, waitFor } from '@testing-library/react'
import Taro from '@tarojs/taro'
import AdminAccountPage from './index'
import { buildCreate, buildUpdate } from './account-form'
import { creatableRoles, hubLinksFor, totpSecretOf } from '../components/admin-roles'
import { fakeApi, problem } from '../../../../test/fake-api'
import { saveSession } from '../../../services/session'

const account = {
  id: 'acc-1',
  username: 'wangwg',
  role: 'grid_worker',
  displayName: '王网格',
  gridCodes: ['g1'],
  gridNames: ['一网格'],
  communityCode: 'c1',
  communityName: '永和社区',
  disabled: false,
  locked: false,
  hasTotp: false,
  wechatBound: false,
  mustChangePassword: true,
  onDuty: false,
  createdAt: new Date().toISOString()
}

function asStreetAdmin() {
  saveSession({ accessToken: 'a', refreshToken: 'r', user: { id: 'adm', role: 'street_admin', displayName: '街道', scope: { streetCode: 's1' } } })
  ;(Taro as unknown as { __setRouterParams: (p: Record<string, string>) => void }).__setRouterParams({})
}

describe('admin accounts', () => {
  it('gives each admin role its own links and creatable roles', () => {
    expect(hubLinksFor('community_staff').map((l) => l.key)).toEqual(['accounts', 'duty', 'contacts'])
    expect(hubLinksFor('district_admin').map((l) => l.url)).toEqual(
      expect.arrayContaining(['/packages/console/categories/index', '/packages/console/departments/index', '/packages/console/rules/index', '/packages/territory-admin/import/index'])
    )
    expect(hubLinksFor('street_admin').map((l) => l.key)).not.toContain('territory')
    expect(creatableRoles('street_admin')).toEqual(['grid_worker', 'community_staff'])
    expect(creatableRoles('community_staff')).toEqual([])
  })

  it('checks the form with the shared schema: username pattern, scope of the role, grids of one community', () => {
    const base = { role: 'grid_worker' as const, username: 'Wang WG', displayName: '王', phone: '', grids: [] }
    expect(buildCreate(base).errors).toMatchObject({ username: expect.stringMatching(/小写字母/), gridCodes: expect.any(String) })
    const twoCommunities = {
      ...base,
      username: 'wangwg',
      grids: [
        { code: 'g1', name: '一', communityCode: 'c1' },
        { code: 'g9', name: '九', communityCode: 'c2' }
      ]
    }
    expect(buildCreate(twoCommunities).errors.gridCodes).toMatch(/同一社区/)
    expect(buildCreate({ ...twoCommunities, grids: twoCommunities.grids.slice(0, 1), phone: '13800000000' }).body).toEqual({
      role: 'grid_worker',
      username: 'wangwg',
      displayName: '王',
      phone: '13800000000',
      gridCodes: ['g1']
    })
  })

  it('sends only what changed when editing, and clears a phone with null', () => {
    const state = { role: 'grid_worker' as const, username: 'wangwg', displayName: '王网格', phone: '', grids: [{ code: 'g1', name: '一网格', communityCode: 'c1' }] }
    expect(buildUpdate({ ...account, role: 'grid_worker', phone: '13800000000' }, state, false).body).toEqual({ phone: null })
    expect(buildUpdate({ ...account, role: 'grid_worker' }, state, false).unchanged).toBe(true)
  })

  it('reads otpauth secrets for typing by hand', () => {
    expect(totpSecretOf('otpauth://totp/Palm:admin?secret=JBSWY3DPEHPK3PXP&issuer=Palm')).toBe('JBSWY3DPEHPK3PXP')
  })

  it('creates an account and shows the one-time password once, then opens the account', async () => {
    asStreetAdmin()
    const api = fakeApi({
      'GET /api/territory/streets': { statusCode: 200, data: [{ code: 's1', name: '新华街街道' }] },
      'GET /api/territory/communities': { statusCode: 200, data: [{ code: 'c1', name: '永和社区', streetCode: 's1' }] },
      'POST /api/admin/accounts': { statusCode: 201, data: { account: { ...account, role: 'community_staff', gridCodes: [] }, oneTimePassword: 'Tq7-vX2m-Kp9z' } }
    })
    render(<AdminAccountPage />)
    const roles = screen.getByRole('radiogroup', { name: '角色' })
    expect(roles.textContent).toBe('网格员社区工作人员')
    fireEvent.click(screen.getByRole('radio', { name: '社区工作人员' }))
    fireEvent.change(screen.getByLabelText('用户名'), { target: { value: 'liming' } })
    fireEvent.change(screen.getByLabelText('姓名'), { target: { value: '李明' } })
    fireEvent.change(screen.getByLabelText('手机号'), { target: { value: '13900000000' } })
    const communities = await screen.findByLabelText('选择社区')
    await waitFor(() => expect(communities.textContent).toContain('永和社区'))
    fireEvent.change(communities, { target: { value: '0' } })
    fireEvent.click(screen.getByRole('button', { name: '创建账号' }))
    const dialog = await screen.findByRole('dialog', { name: '账号已创建' })
    expect(dialog.textContent).toContain('Tq7-vX2m-Kp9z')
    expect(api.callsTo('POST', '/api/admin/accounts')[0]?.body).toEqual({ role: 'community_staff', username: 'liming', displayName: '李明', phone: '13900000000', communityCode: 'c1' })
    fireEvent.click(screen.getByText('我已记下，关闭'))
    expect(screen.queryByText('Tq7-vX2m-Kp9z')).toBeNull()
    expect(Taro.redirectTo).toHaveBeenCalledWith({ url: '/packages/admin/account/index?id=acc-1' })
  })

  it('resets a password only after the admin confirms, and shows the new one-time password once', async () => {
    asStreetAdmin()
    ;(Taro as unknown as { __setRouterParams: (p: Record<string, string>) => void }).__setRouterParams({ id: 'acc-1' })
    const api = fakeApi({
      'GET /api/admin/accounts/acc-1': { statusCode: 200, data: account },
      'GET /api/territory/communities': { statusCode: 200, data: [{ code: 'c1', name: '永和社区', streetCode: 's1' }] },
      'GET /api/territory/grids': { statusCode: 200, data: [{ code: 'g1', name: '一网格', communityCode: 'c1' }] },
      'POST /api/admin/accounts/acc-1/reset-password': { statusCode: 200, data: { oneTimePassword: 'Zx8-Pq3r-Lm5n' } }
    })
    render(<AdminAccountPage />)
    const reset = await screen.findByRole('button', { name: '重置密码' })
    vi.mocked(Taro.showModal).mockResolvedValueOnce({ confirm: false, cancel: true } as Taro.showModal.SuccessCallbackResult)
    fireEvent.click(reset)
    await waitFor(() => expect(Taro.showModal).toHaveBeenCalled())
    expect(api.callsTo('POST', '/api/admin/accounts/acc-1/reset-password')).toHaveLength(0)
    vi.mocked(Taro.showModal).mockResolvedValueOnce({ confirm: true, cancel: false } as Taro.showModal.SuccessCallbackResult)
    fireEvent.click(reset)
    const dialog = await screen.findByRole('dialog', { name: '新的初始密码' })
    expect(dialog.textContent).toContain('Zx8-Pq3r-Lm5n')
    expect(api.callsTo('POST', '/api/admin/accounts/acc-1/reset-password')).toHaveLength(1)
  })

  it('puts a taken username on the username field', async () => {
    asStreetAdmin()
    fakeApi({
      'GET /api/territory/streets': { statusCode: 200, data: [{ code: 's1', name: '新华街街道' }] },
      'GET /api/territory/communities': { statusCode: 200, data: [{ code: 'c1', name: '永和社区', streetCode: 's1' }] },
      'GET /api/territory/grids': { statusCode: 200, data: [{ code: 'g1', name: '一网格', communityCode: 'c1' }] },
      'POST /api/admin/accounts': problem(409, 'username_taken')
    })
    render(<AdminAccountPage />)
    fireEvent.click(screen.getByRole('radio', { name: '网格员' }))
    fireEvent.change(screen.getByLabelText('用户名'), { target: { value: 'wangwg' } })
    fireEvent.change(screen.getByLabelText('姓名'), { target: { value: '王' } })
    const communities = await screen.findByLabelText('选择社区')
    await waitFor(() => expect(communities.textContent).toContain('永和社区'))
    fireEvent.change(communities, { target: { value: '0' } })
    const grids = await screen.findByLabelText('选择网格')
    await waitFor(() => expect(grids.textContent).toContain('一网格'))
    fireEvent.change(grids, { target: { value: '0' } })
    fireEvent.click(screen.getByText('添加网格'))
    fireEvent.click(screen.getByRole('button', { name: '创建账号' }))
    expect(await screen.findByText('该用户名已被使用，请换一个')).toBeTruthy()
  })
})
