import { describe, expect, it, vi } from 'vitest'
import Taro from '@tarojs/taro'
import { ApiError } from './api-error'
import { saveSession } from './session'
import { territoryAdminService } from './territory-admin.service'

type RequestArg = { url: string; method?: string; header: Record<string, string>; data?: unknown; timeout?: number }
const request = vi.mocked(Taro.request) as unknown as ReturnType<typeof vi.fn<(o: RequestArg) => Promise<{ statusCode: number; data: unknown }>>>

const file = { type: 'FeatureCollection', coordinateSystem: 'WGS-84', features: [] }

describe('territoryAdminService.importTerritory', () => {
  it('posts the parsed file as JSON with dryRun in the query and a long timeout', async () => {
    saveSession({ accessToken: 'tok', refreshToken: 'ref', user: { id: 'a', role: 'district_admin', displayName: '区综治中心', scope: {} } })
    request.mockResolvedValueOnce({ statusCode: 200, data: { valid: true } })
    await expect(territoryAdminService.importTerritory(file, true)).resolves.toEqual({ valid: true })
    const call = request.mock.calls.at(-1)?.[0]
    expect(call?.url).toBe('/api/admin/territory/import?dryRun=true')
    expect(call?.method).toBe('POST')
    expect(call?.data).toEqual(file)
    expect(call?.timeout).toBeGreaterThanOrEqual(60_000)
  })

  it('rejects a blocked import with the code the page branches on (territory_invalid)', async () => {
    request.mockResolvedValueOnce({ statusCode: 422, data: { type: '/problems/territory-invalid', title: 'x', status: 422, code: 'territory_invalid', detail: 'The file has 1 error(s)' } })
    const err = await territoryAdminService.importTerritory(file, false).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect((err as ApiError).code).toBe('territory_invalid')
  })

  it('rejects a file over the limit with payload_too_large', async () => {
    request.mockResolvedValueOnce({ statusCode: 413, data: { type: '/problems/payload-too-large', title: 'x', status: 413, code: 'payload_too_large' } })
    const err = await territoryAdminService.importTerritory(file, true).catch((e: unknown) => e)
    expect((err as ApiError).code).toBe('payload_too_large')
  })
})
