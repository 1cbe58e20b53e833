import { describe, expect, it, vi } from 'vitest'
import Taro from '@tarojs/taro'
import { apiRequest, apiUpload } from './api-client'
import { ApiError } from './api-error'
import { getSession, saveSession } from './session'

type RequestArg = { url: string; method?: string; header: Record<string, string>; data?: unknown }
const request = vi.mocked(Taro.request) as unknown as ReturnType<typeof vi.fn<(o: RequestArg) => Promise<{ statusCode: number; data: unknown }>>>
const uploadFile = vi.mocked(Taro.uploadFile) as unknown as ReturnType<typeof vi.fn<(o: RequestArg) => Promise<{ statusCode: number; data: unknown }>>>

const user = { id: 'u1', role: 'resident' as const, displayName: '居民', scope: {} }
const problem = (status: number, code: string, extra: Record<string, unknown> = {}) => ({
  statusCode: status,
  data: { type: `https://palm.example/problems/${code}`, title: code, status, code, detail: `detail of ${code}`, ...extra }
})

function signIn(accessToken = 'old-access', refreshToken = 'old-refresh') {
  saveSession({ accessToken, refreshToken, user })
}

async function rejection(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p
  } catch (err) {
    expect(err).toBeInstanceOf(ApiError)
    return err as ApiError
  }
  throw new Error('the call resolved although it should have failed')
}

describe('apiRequest', () => {
  it('resolves with the body of a 2xx answer and sends the bearer token', async () => {
    signIn('tok-1')
    request.mockResolvedValueOnce({ statusCode: 200, data: { items: [1, 2] } })
    await expect(apiRequest({ path: '/api/tickets', query: { view: 'mine', state: undefined } })).resolves.toEqual({ items: [1, 2] })
    const call = request.mock.calls[0]?.[0]
    expect(call?.url).toBe('/api/tickets?view=mine')
    expect(call?.header.Authorization).toBe('Bearer tok-1')
  })

  it('rejects a problem+json answer with its status, code, detail and field errors', async () => {
    request.mockResolvedValueOnce(problem(400, 'validation_failed', { errors: [{ path: 'description', code: 'too_small', message: '请填写问题描述' }] }))
    const err = await rejection(apiRequest({ method: 'POST', path: '/api/tickets', body: {} }))
    expect(err.status).toBe(400)
    expect(err.code).toBe('validation_failed')
    expect(err.detail).toBe('detail of validation_failed')
    expect(err.fieldErrors).toEqual({ description: '请填写问题描述' })
  })

  it.each([
    [403, 'forbidden'],
    [404, 'ticket_not_found'],
    [409, 'invalid_transition'],
    [500, 'internal_error']
  ])('rejects %i with code %s instead of resolving', async (status, code) => {
    request.mockResolvedValueOnce(problem(status, code))
    const err = await rejection(apiRequest({ path: '/api/tickets/t1' }))
    expect([err.status, err.code]).toEqual([status, code])
  })

  it('maps a non-problem error page to a code by status', async () => {
    request.mockResolvedValueOnce({ statusCode: 502, data: '<html>Bad gateway</html>' })
    const err = await rejection(apiRequest({ path: '/api/tickets' }))
    expect([err.status, err.code]).toEqual([502, 'internal_error'])
  })

  it('turns a failed request (offline, timeout) into network_error', async () => {
    request.mockRejectedValueOnce({ errMsg: 'request:fail timeout' })
    const err = await rejection(apiRequest({ path: '/api/tickets' }))
    expect(err.code).toBe('network_error')
    expect(err.status).toBe(0)
    expect(err.isNetworkError).toBe(true)
  })

  it('sends the same Idempotency-Key when the caller retries a submission', async () => {
    request.mockRejectedValueOnce({ errMsg: 'request:fail' }).mockResolvedValueOnce({ statusCode: 201, data: { id: 't1' } })
    const submit = () => apiRequest({ method: 'POST', path: '/api/tickets', body: { a: 1 }, idempotencyKey: 'key-123' })
    await rejection(submit())
    await expect(submit()).resolves.toEqual({ id: 't1' })
    const keys = request.mock.calls.map((c) => c[0].header['Idempotency-Key'])
    expect(keys).toEqual(['key-123', 'key-123'])
  })

  it('refreshes once on 401 invalid_token and retries with the new token', async () => {
    signIn()
    request.mockImplementation(async (o) => {
      if (o.url === '/api/auth/refresh') return { statusCode: 200, data: { accessToken: 'new-access', refreshToken: 'new-refresh', expiresIn: 7200, user } }
      return o.header.Authorization === 'Bearer new-access' ? { statusCode: 200, data: { ok: true } } : problem(401, 'invalid_token')
    })
    await expect(apiRequest({ path: '/api/me' })).resolves.toEqual({ ok: true })
    const urls = request.mock.calls.map((c) => c[0].url)
    expect(urls).toEqual(['/api/me', '/api/auth/refresh', '/api/me'])
    expect(request.mock.calls[1]?.[0].data).toEqual({ refreshToken: 'old-refresh' })
    expect(getSession()?.accessToken).toBe('new-access')
    expect(getSession()?.refreshToken).toBe('new-refresh')
  })

  it('shares one refresh among concurrent 401s', async () => {
    signIn()
    let refreshes = 0
    request.mockImplementation(async (o) => {
      if (o.url === '/api/auth/refresh') {
        refreshes++
        await new Promise((r) => setTimeout(r, 20))
        return { statusCode: 200, data: { accessToken: 'new-access', refreshToken: 'new-refresh', expiresIn: 7200, user } }
      }
      return o.header.Authorization === 'Bearer new-access' ? { statusCode: 200, data: o.url } : problem(401, 'invalid_token')
    })
    const results = await Promise.all([apiRequest({ path: '/api/a' }), apiRequest({ path: '/api/b' }), apiRequest({ path: '/api/c' })])
    expect(results).toEqual(['/api/a', '/api/b', '/api/c'])
    expect(refreshes).toBe(1)
  })

  it('retries only once: a second 401 after the refresh rejects', async () => {
    signIn()
    request.mockImplementation(async (o) =>
      o.url === '/api/auth/refresh' ? { statusCode: 200, data: { accessToken: 'new-access', refreshToken: 'new-refresh', expiresIn: 7200, user } } : problem(401, 'invalid_token')
    )
    const err = await rejection(apiRequest({ path: '/api/me' }))
    expect(err.code).toBe('invalid_token')
    expect(request.mock.calls.map((c) => c[0].url)).toEqual(['/api/me', '/api/auth/refresh', '/api/me'])
  })

  it('signs out locally when the refresh token is refused, and rejects with unauthenticated', async () => {
    signIn()
    request.mockImplementation(async (o) => (o.url === '/api/auth/refresh' ? problem(401, 'invalid_token') : problem(401, 'invalid_token')))
    const err = await rejection(apiRequest({ path: '/api/me' }))
    expect(err.code).toBe('unauthenticated')
    expect(getSession()).toBeUndefined()
  })

  it('does not refresh on a 401 without a token (nobody signed in)', async () => {
    request.mockResolvedValueOnce(problem(401, 'unauthenticated'))
    const err = await rejection(apiRequest({ path: '/api/me' }))
    expect(err.code).toBe('unauthenticated')
    expect(request).toHaveBeenCalledTimes(1)
  })
})

describe('apiUpload', () => {
  it('parses the text body Taro.uploadFile hands back', async () => {
    signIn('tok-9')
    uploadFile.mockResolvedValueOnce({ statusCode: 201, data: JSON.stringify({ id: 'up1' }) })
    await expect(apiUpload({ path: '/api/uploads', filePath: 'wxfile://a.jpg', idempotencyKey: 'k1' })).resolves.toEqual({ id: 'up1' })
    const call = uploadFile.mock.calls[0]?.[0] as unknown as { header: Record<string, string>; name: string }
    expect(call.name).toBe('file')
    expect(call.header.Authorization).toBe('Bearer tok-9')
  })

  it('rejects an upload refused by the server with its code', async () => {
    uploadFile.mockResolvedValueOnce({ statusCode: 415, data: JSON.stringify(problem(415, 'unsupported_media_type').data) })
    const err = await rejection(apiUpload({ path: '/api/uploads', filePath: 'x.gif' }))
    expect(err.code).toBe('unsupported_media_type')
  })

  it('turns a failed upload into network_error', async () => {
    uploadFile.mockRejectedValueOnce({ errMsg: 'uploadFile:fail' })
    const err = await rejection(apiUpload({ path: '/api/uploads', filePath: 'x.jpg' }))
    expect(err.code).toBe('network_error')
  })
})

describe('apiUpload in H5 with the picked File at hand', () => {
  it('posts the File itself as multipart, without re-reading the blob: URL', async () => {
    const { rememberLocalFile } = await import('./local-files')
    signIn('tok-5')
    rememberLocalFile('blob:http://app/1', new Blob(['png-bytes'], { type: 'image/png' }))
    const fetchMock = vi.fn(async () => new Response(JSON.stringify({ id: 'up-9' }), { status: 201 }))
    vi.stubGlobal('fetch', fetchMock)
    try {
      await expect(apiUpload({ path: '/api/uploads', filePath: 'blob:http://app/1' })).resolves.toEqual({ id: 'up-9' })
      const [url, init] = fetchMock.mock.calls[0] as unknown as [string, { headers: Record<string, string>; body: FormData }]
      expect(url).toBe('/api/uploads')
      expect(init.headers.Authorization).toBe('Bearer tok-5')
      expect(init.body.get('file')).toBeInstanceOf(Blob)
      expect(uploadFile).not.toHaveBeenCalled()
    } finally {
      vi.unstubAllGlobals()
    }
  })
})
