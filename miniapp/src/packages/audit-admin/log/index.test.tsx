import { describe, expect, it, vi } from 'vitest'
import { fireEvent, render, screen, waitFor } from '@testing-library/react'
import Taro from '@tarojs/taro'
import { AUDIT_ACTIONS } from '@palm/shared'
import AuditLogPage from './index'
import { AUDIT_ACTION_LABELS } from './audit-labels'
import { hubLinksFor } from '../../admin/components/admin-roles'
import { fakeApi, problem } from '../../../../test/fake-api'
import { saveSession } from '../../../services/session'
import { Routes } from '../../../utils/routes'

const row = (seq: number, action: string, extra: Record<string, unknown> = {}) => ({
  seq,
  at: '2026-12-01T02:00:00.000Z',
  actorId: 'u-worker-1',
  actorRole: 'grid_worker',
  actorScope: { gridCode: '066-012' },
  action,
  objectType: 'ticket',
  objectId: 't-1',
  requestId: 'req-1',
  clientAddress: '10.0.0.8',
  detail: { event: 'accept' },
  hash: 'a'.repeat(64),
  ...extra
})

function asDistrictAdmin() {
  saveSession({ accessToken: 'a', refreshToken: 'r', user: { id: 'da', role: 'district_admin', displayName: '区综治中心', scope: {} } })
  ;(Taro as unknown as { __setRouterParams: (p: Record<string, string>) => void }).__setRouterParams({})
}

describe('审计日志 (district admin)', () => {
  it('is linked from the admin hub for district admins only, registered in app.config, and labels every action', async () => {
    expect(hubLinksFor('district_admin').map((l) => l.url)).toContain(Routes.auditLog)
    expect(hubLinksFor('street_admin').map((l) => l.key)).not.toContain('audit')
    vi.stubGlobal('defineAppConfig', <T,>(config: T) => config)
    const appConfig = (await import('../../../app.config')).default as { subPackages?: Array<{ root: string; pages: string[] }> }
    vi.unstubAllGlobals()
    expect(appConfig.subPackages?.find((p) => p.root === 'packages/audit-admin')?.pages).toContain('log/index')
    expect(AUDIT_ACTIONS.filter((a) => !AUDIT_ACTION_LABELS[a])).toEqual([])
  })

  it('lists the rows newest first and filters by action', async () => {
    asDistrictAdmin()
    const api = fakeApi({ 'GET /api/admin/audit': { statusCode: 200, data: { items: [row(2, 'ticket.transition')], nextCursor: null } } })
    render(<AuditLogPage />)
    await screen.findByText(/#2 .*工单办理/)
    expect(screen.getByText(/10\.0\.0\.8/)).toBeTruthy()
    fireEvent.click(screen.getByText('登录失败'))
    await waitFor(() => expect(api.callsTo('GET', '/api/admin/audit').some((c) => c.query.get('action') === 'auth.sign_in_failed')).toBe(true))
  })

  it('shows the error with 重试 when the trail cannot load', async () => {
    asDistrictAdmin()
    fakeApi({ 'GET /api/admin/audit': problem(503, 'unavailable') })
    render(<AuditLogPage />)
    await screen.findByText('重试')
  })
})
