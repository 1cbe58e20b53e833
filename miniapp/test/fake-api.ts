import { vi } from 'vitest'
import Taro from '@tarojs/taro'

export interface FakeRequest {
  method: string
  path: string
  query: URLSearchParams
  header: Record<string, string>
  body: unknown
}
export interface FakeResponse {
  statusCode: number
  data: unknown
}
type Handler = (req: FakeRequest) => FakeResponse | Promise<FakeResponse>

/** problem+json as the server sends it. */
export function problem(status: number, code: string, errors?: Array<{ path: string; code: string; message: string }>): FakeResponse {
  return { statusCode: status, data: { type: `https://palm.example/problems/${code}`, title: code, status, code, detail: code, ...(errors ? { errors } : {}) } }
}

/**
 * Programs the mocked Taro.request with routes like 'GET /api/tickets/categories'. Unrouted calls
 * answer 404 problem+json, and every call is recorded for assertions.
 */
export function fakeApi(routes: Record<string, Handler | FakeResponse>) {
  const calls: FakeRequest[] = []
  vi.mocked(Taro.request).mockImplementation((async (options: { url: string; method?: string; header?: Record<string, string>; data?: unknown }) => {
    const url = new URL(options.url, 'http://app.local')
    const req: FakeRequest = { method: options.method ?? 'GET', path: url.pathname, query: url.searchParams, header: options.header ?? {}, body: options.data }
    calls.push(req)
    const route = routes[`${req.method} ${req.path}`]
    if (!route) return problem(404, 'not_found')
    return typeof route === 'function' ? route(req) : route
  }) as unknown as typeof Taro.request)
  return { calls, callsTo: (method: string, path: string) => calls.filter((c) => c.method === method && c.path === path) }
}
