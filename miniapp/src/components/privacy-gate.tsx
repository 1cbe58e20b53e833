import { useEffect, useState } from 'react'
import { View, Button } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { syncConsentOnSignIn, syncConsentToServer } from '../services/privacy.service'
import { onSessionChange } from '../services/session'
import { hasCurrentConsent, recordPrivacyConsent } from '../services/settings'
import { Routes, openPage } from '../utils/routes'
import { dialogProps, useDialogFocus } from './a11y'
import './privacy-gate.scss'

/**
 * The short privacy notice before first use (docs/domain.md "What residents expect"): what is collected,
 * why, who sees it, with the decision recorded. Declining still lets the resident read public pages.
 */
export function PrivacyGate() {
  const [visible, setVisible] = useState(() => !hasCurrentConsent())
  // The server keeps the consent record (docs/residents-data.md): a consent given on this phone is
  // sent when someone signs in, so their submissions are not refused with consent_required.
  useEffect(() => onSessionChange((session) => void (session && hasCurrentConsent() ? syncConsentOnSignIn(session.user.id) : undefined)), [])
  // The tab bar is drawn above page content (natively in WeChat), so it is hidden while the notice shows.
  useEffect(() => {
    if (!visible) return undefined
    Taro.hideTabBar({ animation: false }).catch(() => undefined)
    return () => void Taro.showTabBar({ animation: false }).catch(() => undefined)
  }, [visible])
  useDialogFocus(visible, '.privacy-gate')
  if (!visible) return null
  return (
    <View className='privacy-gate' {...dialogProps('隐私保护提示')}>
      <View className='privacy-sheet'>
        <View className='privacy-title'>隐私保护提示</View>
        {/* Three short points instead of a paragraph: read at a glance, on a small screen, by elders too. */}
        <View className='privacy-text'>欢迎使用“掌上平城”。为处理您上报的事项：</View>
        <View className='privacy-points' role='list'>
          <View className='privacy-point' role='listitem'>
            提交时才收集问题描述、照片和位置（位置仅在您同意定位时）；
          </View>
          <View className='privacy-point' role='listitem'>
            只交给负责该区域的网格员、社区和相关部门处理；
          </View>
          <View className='privacy-point' role='listitem'>
            公开回复时隐去姓名、电话和详细地址。
          </View>
        </View>
        <View className='privacy-link' role='link' onClick={() => openPage(Routes.privacy)}>
          阅读完整的《隐私政策》
        </View>
        <View className='btn-row'>
          <Button
            className='btn privacy-decline'
            onClick={() => {
              recordPrivacyConsent(false)
              setVisible(false)
              void Taro.showToast({ title: '您仍可浏览公开信息', icon: 'none' })
            }}
          >
            不同意
          </Button>
          <Button
            className='btn btn-primary privacy-accept'
            onClick={() => {
              recordPrivacyConsent(true)
              void syncConsentToServer(true)
              setVisible(false)
            }}
          >
            同意并继续
          </Button>
        </View>
      </View>
    </View>
  )
}
