import './zod-setup'
import type { PropsWithChildren } from 'react'
import Taro, { useLaunch } from '@tarojs/taro'
import { isH5 } from './utils/platform'
import { completeWeChatWebOAuth } from './services/wechat-web-auth'
import { showError } from './services/show-error'
import { setUpH5Document } from './h5/document-setup'
import { getSettings, onSettingsChange } from './services/settings'
import { installH5Accessibility } from './components/a11y'
import './app.scss'

// Before the first page renders: the rem base and the CSP-safe tab links (src/h5/document-setup.ts).
if (isH5 && typeof window !== 'undefined') setUpH5Document(window)

function App({ children }: PropsWithChildren) {
  useLaunch(() => {
    if (!isH5) return
    installH5Accessibility()
    // 长辈模式 also enlarges the H5 tab bar, which Taro draws outside every page (app.scss).
    const markElder = (on: boolean) => document.documentElement.classList.toggle('elder-mode', on)
    markElder(getSettings().elderMode)
    onSettingsChange((s) => markElder(s.elderMode))
    completeWeChatWebOAuth()
      .then((session) => {
        if (session) void Taro.showToast({ title: '已通过微信登录', icon: 'none' })
      })
      .catch((err: unknown) => void showError(err))
  })
  return children
}

export default App
