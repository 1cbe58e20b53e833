import { describe, expect, it, vi } from 'vitest'
import Taro from '@tarojs/taro'
import { fireEvent, render, screen, waitFor } from '@testing-library/react'
import { fakeApi } from '../../../../test/fake-api'
import { getSession, saveSession } from '../../../services/session'
import { recordPrivacyConsent } from '../../../services/settings'
import PrivacyPage from './index'

const resident = { id: 'r1', role: 'resident' as const, displayName: '居民', scope: {} }

describe('隐私政策与我的数据', () => {
  it('records 同意 on the server with the policy version', async () => {
    saveSession({ accessToken: 'a', refreshToken: 'r', user: resident })
    const api = fakeApi({ 'POST /api/me/consent': { statusCode: 200, data: { policyVersion: '2026-11-01', at: '2026-12-02T00:00:00Z' } } })
    render(<PrivacyPage />)
    fireEvent.click(screen.getByRole('button', { name: '同意隐私政策' }))
    await waitFor(() => expect(api.callsTo('POST', '/api/me/consent')[0]?.body).toMatchObject({ policyVersion: '2026-11-01' }))
  })

  it('withdraws on the server after a confirmation', async () => {
    saveSession({ accessToken: 'a', refreshToken: 'r', user: resident })
    recordPrivacyConsent(true)
    vi.mocked(Taro.showModal).mockResolvedValueOnce({ confirm: true, cancel: false, errMsg: 'showModal:ok' })
    const api = fakeApi({ 'DELETE /api/me/consent': { statusCode: 204, data: '' } })
    render(<PrivacyPage />)
    fireEvent.click(screen.getByRole('button', { name: '撤回同意' }))
    await waitFor(() => expect(api.callsTo('DELETE', '/api/me/consent')).toHaveLength(1))
  })

  it('shows the exported data', async () => {
    saveSession({ accessToken: 'a', refreshToken: 'r', user: resident })
    fakeApi({ 'GET /api/me/export': { statusCode: 200, data: { exportedAt: '2026-12-02T00:00:00Z', policyVersion: '2026-11-01', account: { id: 'r1' }, tickets: [] } } })
    render(<PrivacyPage />)
    fireEvent.click(screen.getByRole('button', { name: '导出我的数据' }))
    expect(await screen.findByRole('region', { name: '导出的数据' })).toBeTruthy()
  })

  it('deletes the account only after the confirmation, then signs out', async () => {
    saveSession({ accessToken: 'a', refreshToken: 'r', user: resident })
    const api = fakeApi({ 'DELETE /api/me': { statusCode: 200, data: { deletedAt: 'x', bookingsCancelled: 0, signupsCancelled: 0, followsRemoved: 0, ticketsAnonymised: 0 } } })
    vi.mocked(Taro.showModal).mockResolvedValueOnce({ confirm: false, cancel: true, errMsg: 'showModal:ok' })
    render(<PrivacyPage />)
    fireEvent.click(screen.getByRole('button', { name: '注销账号' }))
    await waitFor(() => expect(Taro.showModal).toHaveBeenCalled())
    expect(api.callsTo('DELETE', '/api/me')).toHaveLength(0)
    vi.mocked(Taro.showModal).mockResolvedValueOnce({ confirm: true, cancel: false, errMsg: 'showModal:ok' })
    fireEvent.click(screen.getByRole('button', { name: '注销账号' }))
    await waitFor(() => expect(api.callsTo('DELETE', '/api/me')).toHaveLength(1))
    await waitFor(() => expect(getSession()).toBeUndefined())
  })

  it('offers no export or deletion to staff', () => {
    saveSession({ accessToken: 'a', refreshToken: 'r', user: { id: 's', role: 'community_staff', displayName: '社区', scope: { communityCode: 'c1' } } })
    render(<PrivacyPage />)
    expect(screen.queryByRole('button', { name: '注销账号' })).toBeNull()
  })
})
