import { describe, expect, it, vi } from 'vitest'
import Taro from '@tarojs/taro'
import { apiRequest } from './api-client'
import { ApiError } from './api-error'
import { PRIVACY_PATH } from './auth-gate'
import { saveSession } from './session'
import { getPrivacyConsent, recordPrivacyConsent } from './settings'

type RequestArg = { url: string; method?: string; header: Record<string, string>; data?: unknown }
const request = vi.mocked(Taro.request) as unknown as ReturnType<typeof vi.fn<(o: RequestArg) => Promise<{ statusCode: number; data: unknown }>>>

describe('403 consent_required', () => {
  it('opens the privacy notice once, from the one HTTP caller, and still rejects with the error', async () => {
    recordPrivacyConsent(true)
    saveSession({ accessToken: 'a', refreshToken: 'r', user: { id: 'u1', role: 'resident', displayName: '居民', scope: {} } })
    const refused = { statusCode: 403, data: { type: '/problems/consent-required', title: 'Forbidden', status: 403, code: 'consent_required', detail: 'Agree first.' } }
    request.mockResolvedValueOnce(refused).mockResolvedValueOnce(refused)
    const navigate = vi.mocked(Taro.navigateTo)
    navigate.mockClear()
    const first = await apiRequest({ method: 'POST', path: '/api/tickets', body: {} }).catch((e: unknown) => e)
    await apiRequest({ method: 'POST', path: '/api/tickets', body: {} }).catch(() => undefined)
    expect(first).toBeInstanceOf(ApiError)
    expect((first as ApiError).code).toBe('consent_required')
    expect(navigate).toHaveBeenCalledTimes(1)
    expect(navigate).toHaveBeenCalledWith({ url: PRIVACY_PATH })
    // the phone's record no longer counts, so the notice offers 同意 (which posts to the server)
    expect(getPrivacyConsent()).toBeUndefined()
  })
})
