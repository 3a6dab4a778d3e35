/**
 * Stand-in for @tarojs/taro in the `ui` jest project. APIs are jest.fn()s (tests set their results,
 * e.g. `jest.mocked(Taro.request).mockResolvedValue({ statusCode: 200, data })`); page lifecycle hooks run
 * once after mount, which is when Taro fires them for a freshly opened page.
 */
import { useEffect } from 'react'

type Callback = () => void
const runOnce = (fn: Callback) => useEffect(() => { fn() }, [])

export const useLoad = runOnce
export const useLaunch = runOnce
export const useReady = runOnce
export const useDidShow = runOnce
export const useDidHide = (_fn: Callback) => undefined
export const usePullDownRefresh = (_fn: Callback) => undefined
export const useReachBottom = (_fn: Callback) => undefined
export const useRouter = jest.fn(() => ({ params: {} as Record<string, string | undefined>, path: '' }))

const selectorQuery = {
  select: () => selectorQuery,
  selectAll: () => selectorQuery,
  fields: () => selectorQuery,
  boundingClientRect: () => selectorQuery,
  exec: (cb?: (res: unknown[]) => void) => cb?.([null]),
}

const Taro = {
  request: jest.fn(),
  navigateTo: jest.fn(() => Promise.resolve({ errMsg: 'navigateTo:ok' })),
  redirectTo: jest.fn(() => Promise.resolve({ errMsg: 'redirectTo:ok' })),
  switchTab: jest.fn(() => Promise.resolve({ errMsg: 'switchTab:ok' })),
  navigateBack: jest.fn(() => Promise.resolve({ errMsg: 'navigateBack:ok' })),
  showToast: jest.fn(() => Promise.resolve({ errMsg: 'showToast:ok' })),
  showLoading: jest.fn(() => Promise.resolve({ errMsg: 'showLoading:ok' })),
  hideLoading: jest.fn(() => Promise.resolve({ errMsg: 'hideLoading:ok' })),
  getStorageSync: jest.fn(),
  setStorageSync: jest.fn(),
  getSystemInfoSync: jest.fn(() => ({ pixelRatio: 2, windowWidth: 375, windowHeight: 667, platform: 'devtools' })),
  createSelectorQuery: jest.fn(() => selectorQuery),
  getEnv: jest.fn(() => 'WEB'),
  getStorageInfoSync: jest.fn(),
  downloadFile: jest.fn(),
  openDocument: jest.fn(),
  uploadFile: jest.fn(),
  chooseImage: jest.fn(),
  reLaunch: jest.fn(() => Promise.resolve({ errMsg: 'reLaunch:ok' })),
  setNavigationBarTitle: jest.fn(),
  stopPullDownRefresh: jest.fn(),
  ENV_TYPE: { WEAPP: 'WEAPP', WEB: 'WEB' },
  pageScrollTo: jest.fn(() => Promise.resolve({ errMsg: 'pageScrollTo:ok' })),
  useLoad, useLaunch, useReady, useDidShow, useDidHide, usePullDownRefresh, useReachBottom, useRouter,
}

export default Taro

// Named exports NutUI React Taro imports (`import { getEnv } from '@tarojs/taro'`).
export const getEnv = (...args: unknown[]) => (Taro.getEnv as (...a: unknown[]) => unknown)(...args)
export const ENV_TYPE = Taro.ENV_TYPE
export const getSystemInfoSync = (...args: unknown[]) => (Taro.getSystemInfoSync as (...a: unknown[]) => unknown)(...args)
export const createSelectorQuery = () => Taro.createSelectorQuery()
export const nextTick = (fn: () => void) => setTimeout(fn, 0)
export const pxTransform = (n: number) => `${n}px`
export const getWindowInfo = () => ({ pixelRatio: 2, windowWidth: 375, windowHeight: 667, screenWidth: 375, screenHeight: 667 })
export const getDeviceInfo = () => ({ platform: 'devtools' })
export const usePageScroll = (_fn: Callback) => undefined
export const useUnload = (_fn: Callback) => undefined
export const usePageNotFound = (_fn: Callback) => undefined
