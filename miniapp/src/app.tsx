import './zod-setup'
import type { PropsWithChildren } from 'react'
import Taro, { useLaunch } from '@tarojs/taro'
import { isH5 } from './utils/platform'
import { completeWeChatWebOAuth } from './services/wechat-web-auth'
import { showError } from './services/show-error'
import './app.scss'

function App({ children }: PropsWithChildren) {
  useLaunch(() => {
    if (!isH5) return
    completeWeChatWebOAuth()
      .then((session) => {
        if (session) void Taro.showToast({ title: '已通过微信登录', icon: 'none' })
      })
      .catch((err: unknown) => void showError(err))
  })
  return children
}

export default App
