import { describe, expect, it, vi } from 'vitest'
import Taro from '@tarojs/taro'
import { askSubscriptionFromTap } from './subscribe'
import { fakeApi } from '../../test/fake-api'

describe('asking for the subscribe-message grant at a tap', () => {
  it('asks WeChat for the templates and registers the accepted ones with the server', async () => {
    const api = fakeApi({ 'POST /api/messages/subscriptions': { statusCode: 200, data: {} } })
    const ask = vi.fn(() => Promise.resolve({ errMsg: 'requestSubscribeMessage:ok', TPL_A: 'accept', TPL_B: 'reject' }))
    ;(Taro as unknown as { requestSubscribeMessage: typeof ask }).requestSubscribeMessage = ask
    const accepted = await askSubscriptionFromTap({ platformIsWeapp: true, templateIds: ['TPL_A', 'TPL_B'] })
    expect(ask).toHaveBeenCalledWith(expect.objectContaining({ tmplIds: ['TPL_A', 'TPL_B'] }))
    expect(accepted).toEqual(['TPL_A'])
    expect(api.callsTo('POST', '/api/messages/subscriptions')[0]?.body).toEqual({ templateIds: ['TPL_A'] })
  })

  it('does nothing in H5 or without templates, and never throws when WeChat refuses', async () => {
    const api = fakeApi({})
    const ask = vi.fn(() => Promise.reject(new Error('requestSubscribeMessage:fail')))
    ;(Taro as unknown as { requestSubscribeMessage: typeof ask }).requestSubscribeMessage = ask
    expect(await askSubscriptionFromTap({ platformIsWeapp: false, templateIds: ['TPL_A'] })).toEqual([])
    expect(await askSubscriptionFromTap({ platformIsWeapp: true, templateIds: [] })).toEqual([])
    expect(ask).not.toHaveBeenCalled()
    expect(await askSubscriptionFromTap({ platformIsWeapp: true, templateIds: ['TPL_A'] })).toEqual([])
    expect(api.calls).toHaveLength(0)
  })
})
