import { describe, expect, it, vi } from 'vitest'
import { fireEvent, render, screen } from '@testing-library/react'
import Taro from '@tarojs/taro'
import { AlertViewSchema, type AlertView } from '@palm/shared'
import AlertsPage from './index'
import HomePage from '../../../pages/home/index'
import { fakeApi, problem } from '../../../../test/fake-api'
import { Routes } from '../../../utils/routes'

const alert: AlertView = AlertViewSchema.parse({
  id: 'al-1',
  title: '警惕冒充客服退款诈骗',
  body: '近期有骗子冒充电商客服，以“商品质量问题退款”为由诱导转账。',
  level: 'urgent',
  publisher: '区反诈中心',
  publishedAt: '2026-11-30T02:00:00.000Z'
})

function openAs(params: Record<string, string>) {
  ;(Taro as unknown as { __setRouterParams: (p: Record<string, string>) => void }).__setRouterParams(params)
  render(<AlertsPage />)
}

describe('通知公告: the alerts feed under the home tile', () => {
  it('the home tile opens the alerts page of the alliance subpackage, registered in app.config', async () => {
    render(<HomePage />)
    fireEvent.click(screen.getByRole('link', { name: /^通知公告/ }))
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/alliance/alerts/index?view=notices' })
    expect(Routes.notices).toBe('/packages/alliance/alerts/index?view=notices')
    // app.config.ts calls the build-time global defineAppConfig; here it only hands the object back.
    vi.stubGlobal('defineAppConfig', <T,>(config: T) => config)
    const appConfig = (await import('../../../app.config')).default as { subPackages?: Array<{ root: string; pages: string[] }> }
    vi.unstubAllGlobals()
    const alliance = appConfig.subPackages?.find((p) => p.root === 'packages/alliance')
    expect(alliance?.pages).toContain('alerts/index')
  })

  it('lists the alerts without sign-in, under the title 通知公告', async () => {
    const api = fakeApi({ 'GET /api/anti-fraud/alerts': { statusCode: 200, data: { items: [alert], nextCursor: null } } })
    openAs({ view: 'notices' })
    await screen.findByText('警惕冒充客服退款诈骗')
    expect(screen.getByText('紧急')).toBeTruthy()
    expect(screen.getByText(/区反诈中心 · /)).toBeTruthy()
    expect(screen.getByText('区反诈中心、街道和社区发布的反诈预警与提醒，最新的在最前。')).toBeTruthy()
    expect(Taro.setNavigationBarTitle).toHaveBeenCalledWith({ title: '通知公告' })
    const calls = api.callsTo('GET', '/api/anti-fraud/alerts')
    expect(calls).toHaveLength(1)
    expect(calls[0]?.header.Authorization).toBeUndefined()
  })

  it('says so when there are no notices', async () => {
    fakeApi({ 'GET /api/anti-fraud/alerts': { statusCode: 200, data: { items: [] } } })
    openAs({ view: 'notices' })
    await screen.findByText('暂无通知公告')
  })

  it('opened from the alliance hub it stays 反诈预警', async () => {
    fakeApi({ 'GET /api/anti-fraud/alerts': { statusCode: 200, data: { items: [] } } })
    openAs({})
    await screen.findByText('暂无预警')
    expect(Taro.setNavigationBarTitle).not.toHaveBeenCalled()
    expect(screen.queryByText(/最新的在最前/)).toBeNull()
  })

  it('shows the error with 重试 when the feed cannot be loaded, and loads on retry', async () => {
    let calls = 0
    fakeApi({ 'GET /api/anti-fraud/alerts': () => (++calls === 1 ? problem(503, 'unavailable') : { statusCode: 200, data: { items: [alert] } }) })
    openAs({ view: 'notices' })
    fireEvent.click(await screen.findByText('重试'))
    await screen.findByText('警惕冒充客服退款诈骗')
  })
})
