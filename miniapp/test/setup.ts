/**
 * A global mock of @tarojs/taro for jsdom (recipes/taro.md §4.3). Storage is a real in-memory map,
 * so code that writes a draft and reads it after a remount behaves as on a phone. Each test starts
 * with empty storage and fresh mocks; tests program Taro.request & co. per case.
 */
import { afterEach, beforeEach, vi } from 'vitest'
import { cleanup } from '@testing-library/react'
import { useEffect } from 'react'

const memory = vi.hoisted(() => ({ storage: new Map<string, unknown>(), routerParams: {} as Record<string, string> }))

vi.mock('@tarojs/taro', () => {
  const ok = (name: string) => vi.fn(() => Promise.resolve({ errMsg: `${name}:ok` }))
  const Taro = {
    request: vi.fn(() => Promise.reject(new Error('Taro.request not programmed in this test'))),
    uploadFile: vi.fn(() => Promise.reject(new Error('Taro.uploadFile not programmed in this test'))),
    getStorageSync: vi.fn((key: string) => (memory.storage.has(key) ? memory.storage.get(key) : '')),
    setStorageSync: vi.fn((key: string, value: unknown) => {
      memory.storage.set(key, value)
    }),
    removeStorageSync: vi.fn((key: string) => {
      memory.storage.delete(key)
    }),
    showToast: ok('showToast'),
    showLoading: ok('showLoading'),
    hideLoading: vi.fn(),
    showModal: vi.fn(() => Promise.resolve({ confirm: false, cancel: true })),
    showActionSheet: vi.fn(() => Promise.reject({ errMsg: 'showActionSheet:fail cancel' })),
    navigateTo: ok('navigateTo'),
    redirectTo: ok('redirectTo'),
    switchTab: ok('switchTab'),
    reLaunch: ok('reLaunch'),
    navigateBack: ok('navigateBack'),
    login: vi.fn(() => Promise.resolve({ code: 'wx-code-1', errMsg: 'login:ok' })),
    chooseMedia: vi.fn(() => Promise.reject({ errMsg: 'chooseMedia:fail cancel' })),
    compressImage: vi.fn((o: { src: string }) => Promise.resolve({ tempFilePath: o.src, errMsg: 'compressImage:ok' })),
    getLocation: vi.fn(() => Promise.reject({ errMsg: 'getLocation:fail auth deny' })),
    chooseLocation: vi.fn(() => Promise.reject({ errMsg: 'chooseLocation:fail cancel' })),
    requestSubscribeMessage: vi.fn(() => Promise.resolve({ errMsg: 'requestSubscribeMessage:ok' })),
    previewImage: ok('previewImage'),
    stopPullDownRefresh: vi.fn(),
    setNavigationBarTitle: ok('setNavigationBarTitle'),
    setTabBarBadge: ok('setTabBarBadge'),
    hideTabBar: ok('hideTabBar'),
    showTabBar: ok('showTabBar'),
    removeTabBarBadge: ok('removeTabBarBadge'),
    getEnv: vi.fn(() => 'WEB'),
    ENV_TYPE: { WEAPP: 'WEAPP', WEB: 'WEB' },
    __setRouterParams: (p: Record<string, string>) => {
      memory.routerParams = p
    }
  }
  return {
    default: Taro,
    ...Taro,
    useLoad: (cb: (p: Record<string, string>) => void) => useEffect(() => cb(memory.routerParams), []),
    useDidShow: (cb: () => void) => useEffect(() => cb(), []),
    useLaunch: (cb: () => void) => useEffect(() => cb(), []),
    usePullDownRefresh: () => undefined,
    useReachBottom: () => undefined,
    useRouter: () => ({ params: memory.routerParams, path: '' })
  }
})

beforeEach(() => {
  memory.storage.clear()
  memory.routerParams = {}
})

afterEach(() => {
  cleanup()
  vi.resetAllMocks()
})
