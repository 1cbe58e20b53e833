import { describe, expect, it, vi } from 'vitest'
import { renderHook, waitFor } from '@testing-library/react'
import Taro from '@tarojs/taro'
import type { PlaceSceneView } from '@palm/shared'
import { draftPatchFor, reportUrlWithScene, usePlacePrefill } from './use-place-prefill'

type RequestArg = { url: string; method?: string }
const request = vi.mocked(Taro.request) as unknown as ReturnType<typeof vi.fn<(o: RequestArg) => Promise<{ statusCode: number; data: unknown }>>>

const SCENE = 'demolvd3.gbm.rc-nGMV4Az4HFbPA'
const PLACE: PlaceSceneView = {
  place: { id: 'p1', name: '绿地世纪城3号楼', kind: 'building', address: '绿地世纪城小区3号楼' },
  point: { lat: 40.0578, lng: 113.2988, coordSystem: 'wgs84' },
  grid: { code: '066-002', name: '永和社区第2网格' },
  community: { code: '140213066001', name: '永和社区' },
  street: { code: '140213066', name: '水泊寺街道' },
  expiresAt: '2027-12-02T00:00:00.000Z'
}

/** The page opened with these router params (WeChat hands `scene` URL-encoded). */
function openedWith(params: Record<string, string>) {
  ;(Taro as unknown as { getCurrentInstance: () => unknown }).getCurrentInstance = () => ({ router: { params } })
}

describe('a place QR code opening the report form', () => {
  it('resolves the scene without a token and fills the point, label, community and address', async () => {
    openedWith({ scene: encodeURIComponent(SCENE) })
    request.mockResolvedValueOnce({ statusCode: 200, data: PLACE })
    const update = vi.fn()
    const { result } = renderHook(() => usePlacePrefill(update))
    expect(result.current.status).toBe('loading')
    await waitFor(() => expect(result.current.status).toBe('ok'))
    const call = request.mock.calls.at(-1)?.[0] as RequestArg & { header?: Record<string, string> }
    expect(call.url).toBe(`/api/places/scene/${encodeURIComponent(SCENE)}`)
    expect(call.header?.Authorization).toBeUndefined()
    expect(update).toHaveBeenCalledWith({
      location: { lat: 40.0578, lng: 113.2988 },
      locationLabel: '水泊寺街道 永和社区 · 永和社区第2网格',
      communityCode: '140213066001',
      communityName: '永和社区',
      address: '绿地世纪城3号楼（绿地世纪城小区3号楼）'
    })
  })

  it('an expired code changes nothing in the draft and says so in Chinese', async () => {
    openedWith({ scene: SCENE })
    request.mockResolvedValueOnce({ statusCode: 410, data: { type: '/problems/qr-scene-expired', title: 'Gone', status: 410, code: 'qr_scene_expired' } })
    const update = vi.fn()
    const { result } = renderHook(() => usePlacePrefill(update))
    await waitFor(() => expect(result.current.status).toBe('error'))
    expect(result.current).toMatchObject({ message: expect.stringContaining('已过期') })
    expect(update).not.toHaveBeenCalled()
  })

  it('without a scene nothing is asked, and sign-in comes back to the form with the scene when there is one', () => {
    openedWith({})
    const update = vi.fn()
    const { result } = renderHook(() => usePlacePrefill(update))
    expect(result.current.status).toBe('none')
    expect(request).not.toHaveBeenCalled()
    expect(reportUrlWithScene()).toBe('/packages/report/new/index')
    openedWith({ scene: SCENE })
    expect(reportUrlWithScene()).toBe(`/packages/report/new/index?scene=${encodeURIComponent(SCENE)}`)
  })

  it('a place without an address puts its name in the address field', () => {
    expect(draftPatchFor({ ...PLACE, place: { ...PLACE.place, address: null } }).address).toBe('绿地世纪城3号楼')
  })
})
