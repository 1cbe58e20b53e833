import { appConfig } from '../config'

export const isWeapp = appConfig.platform === 'weapp'
export const isH5 = appConfig.platform === 'h5'

/** H5 opened in WeChat's built-in browser, where OAuth (snsapi_base) replaces wx.login. */
export function isInsideWeChatBrowser(): boolean {
  return isH5 && typeof navigator !== 'undefined' && /MicroMessenger/i.test(navigator.userAgent)
}
