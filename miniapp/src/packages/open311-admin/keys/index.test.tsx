import { describe, expect, it, vi } from 'vitest'
import { fireEvent, render, screen, waitFor } from '@testing-library/react'
import Taro from '@tarojs/taro'
import Open311KeysPage from './index'
import { hubLinksFor } from '../../admin/components/admin-roles'
import { fakeApi, problem } from '../../../../test/fake-api'
import { saveSession } from '../../../services/session'
import { Routes } from '../../../utils/routes'

const item = { id: 'k1', name: '市 12345 平台', prefix: 'p311_abcd', createdAt: '2026-12-01T02:00:00.000Z', revokedAt: null, lastUsedAt: null, requestCount: 3, ticketCount: 1 }

function asDistrictAdmin() {
  saveSession({ accessToken: 'a', refreshToken: 'r', user: { id: 'da', role: 'district_admin', displayName: '区综治中心', scope: {} } })
  ;(Taro as unknown as { __setRouterParams: (p: Record<string, string>) => void }).__setRouterParams({})
}

describe('Open311 密钥 (district admin)', () => {
  it('is linked from the admin hub for district admins only, and registered in app.config', async () => {
    expect(hubLinksFor('district_admin').map((l) => l.url)).toContain(Routes.open311Keys)
    expect(hubLinksFor('street_admin').map((l) => l.key)).not.toContain('open311')
    vi.stubGlobal('defineAppConfig', <T,>(config: T) => config)
    const appConfig = (await import('../../../app.config')).default as { subPackages?: Array<{ root: string; pages: string[] }> }
    vi.unstubAllGlobals()
    expect(appConfig.subPackages?.find((p) => p.root === 'packages/open311-admin')?.pages).toContain('keys/index')
  })

  it('lists the keys with their use, creates one and shows the key once with a copy button', async () => {
    asDistrictAdmin()
    const api = fakeApi({
      'GET /api/admin/open311/keys': { statusCode: 200, data: { items: [item] } },
      'POST /api/admin/open311/keys': { statusCode: 201, data: { key: 'p311_secretsecret', item: { ...item, id: 'k2', name: '研究所' } } }
    })
    render(<Open311KeysPage />)
    await screen.findByText('市 12345 平台')
    expect(screen.getByText(/调用 3 次 · 提交 1 件/)).toBeTruthy()
    fireEvent.input(screen.getByLabelText('使用方名称'), { detail: { value: '研究所' }, target: { value: '研究所' } })
    fireEvent.click(screen.getByText('创建密钥'))
    await screen.findByText('p311_secretsecret')
    expect(api.callsTo('POST', '/api/admin/open311/keys')[0]?.body).toEqual({ name: '研究所' })
    // The shared Taro mock has no clipboard; this test gives it one.
    const setClipboardData = vi.fn(() => Promise.resolve())
    Object.assign(Taro, { setClipboardData })
    fireEvent.click(screen.getByText('复制密钥'))
    expect(setClipboardData).toHaveBeenCalledWith({ data: 'p311_secretsecret' })
    fireEvent.click(screen.getByText('我已保存'))
    await waitFor(() => expect(screen.queryByText('p311_secretsecret')).toBeNull())
  })

  it('asks for a name before creating, and shows the error with 重试 when the list cannot load', async () => {
    asDistrictAdmin()
    fakeApi({ 'GET /api/admin/open311/keys': problem(503, 'unavailable') })
    render(<Open311KeysPage />)
    await screen.findByText('重试')
    fireEvent.click(screen.getByText('创建密钥'))
    await screen.findByText(/请填写使用方名称/)
  })
})
