import { describe, expect, it } from 'vitest'
import { fireEvent, render, screen, waitFor } from '@testing-library/react'
import { fakeApi } from '../../../test/fake-api'
import { saveSession } from '../../services/session'
import MePage from './index'
import HomePage from '../home/index'
import { getSettings, getPrivacyConsent } from '../../services/settings'

describe('长辈模式 and the privacy notice', () => {
  it('switching 长辈模式 on enlarges the page and is remembered', () => {
    const { container } = render(<MePage />)
    expect(container.querySelector('.page')?.className).not.toContain('elder')
    fireEvent.click(screen.getByRole('switch'))
    expect(container.querySelector('.page')?.className).toContain('elder')
    expect(getSettings().elderMode).toBe(true)
  })

  it('shows the privacy notice on first use and records the consent with its version and time', () => {
    render(<HomePage />)
    expect(screen.getByRole('dialog', { name: '隐私保护提示' })).toBeTruthy()
    fireEvent.click(screen.getByText('同意并继续'))
    expect(screen.queryByRole('dialog')).toBeNull()
    const consent = getPrivacyConsent()
    expect(consent).toMatchObject({ granted: true, policyVersion: expect.any(String), client: 'h5' })
    expect(Number.isNaN(Date.parse(consent?.at ?? ''))).toBe(false)
  })

  it('records a refusal and still lets the resident use the public pages', () => {
    render(<HomePage />)
    fireEvent.click(screen.getByText('不同意'))
    expect(getPrivacyConsent()?.granted).toBe(false)
    expect(screen.getByText('回复公开')).toBeTruthy()
  })
})

describe('我的 for staff', () => {
  const me = { id: 'w', role: 'grid_worker', displayName: '王网格', scope: { gridCode: 'g1' }, username: 'wangwg', onDuty: false, totpEnabled: false, mustChangePassword: false, wechatBound: false }

  it('lets a grid worker go on duty and says why the roster keeps them off duty now', async () => {
    saveSession({ accessToken: 'a', refreshToken: 'r', user: { id: 'w', role: 'grid_worker', displayName: '王网格', scope: { gridCode: 'g1' } } })
    const api = fakeApi({
      'GET /api/me': { statusCode: 200, data: me },
      'GET /api/me/duty': { statusCode: 200, data: { onDuty: false, onDutyNow: false, reason: 'switched_off', grids: [] } },
      'PUT /api/me/duty': { statusCode: 200, data: { onDuty: true, onDutyNow: false, reason: 'outside_roster', grids: [] } }
    })
    render(<MePage />)
    const duty = await screen.findByLabelText('在岗')
    fireEvent.click(duty)
    await waitFor(() => expect(api.callsTo('PUT', '/api/me/duty')[0]?.body).toEqual({ onDuty: true }))
    expect(await screen.findByText(/不在您的排班时间内/)).toBeTruthy()
    expect(screen.getByText('修改密码')).toBeTruthy()
  })

  it('explains in H5 that WeChat binding happens in the mini-program, and links admins to the hub', async () => {
    saveSession({ accessToken: 'a', refreshToken: 'r', user: { id: 'c', role: 'community_staff', displayName: '社区', scope: { communityCode: 'c1' } } })
    fakeApi({ 'GET /api/me': { statusCode: 200, data: { ...me, role: 'community_staff', scope: { communityCode: 'c1' } } } })
    render(<MePage />)
    expect(screen.getByText(/绑定需在微信“掌上平城”小程序中进行/)).toBeTruthy()
    expect(screen.getByText('管理（账号、排班、配置）')).toBeTruthy()
    expect(screen.queryByLabelText('在岗')).toBeNull()
  })
})
