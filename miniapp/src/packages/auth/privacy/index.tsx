import { useState } from 'react'
import { View, Button } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { PageShell } from '../../../components/page-shell'
import { appConfig } from '../../../config'
import { getPrivacyConsent, recordPrivacyConsent } from '../../../services/settings'
import { formatTime } from '../../../utils/format'
import './index.scss'

const SECTIONS: Array<{ title: string; text: string }> = [
  { title: '我们收集什么', text: '您提交随手拍时填写的问题描述、照片、位置或所选社区、详细地址；登录所需的微信标识（不含手机号）。定位只在您填写表单并点击“获取当前位置”时使用，拒绝后仍可手动选择社区。' },
  { title: '为什么收集', text: '把事项交给负责该网格的网格员、社区或职能部门处理，在规定时限内回复您，并统计办理情况。' },
  { title: '谁能看到', text: '只有负责该区域或该类事项的工作人员能看到您的事项。您同意公开后，办结的回复会出现在“回复公开”中，姓名、电话和详细地址会被隐去。匿名举报不会向处理人员显示举报人。' },
  { title: '保存多久', text: '事项办结后按档案管理规定保存；您可以随时撤回同意，撤回后我们不再向您发送订阅消息。照片在保存前会去除拍摄位置等元数据。' },
  { title: '您的权利', text: '您可以查询、更正您的信息，也可以撤回同意或注销账号。如有疑问，请联系平城区综治中心。' }
]

export default function PrivacyPage() {
  const [consent, setConsent] = useState(getPrivacyConsent)
  return (
    <PageShell className='privacy-page'>
      <View className='card'>
        <View className='card-title'>“掌上平城”隐私政策</View>
        <View className='muted'>版本 {appConfig.privacyPolicyVersion} · 平城区综治中心</View>
      </View>
      {SECTIONS.map((s) => (
        <View key={s.title} className='card'>
          <View className='privacy-section-title'>{s.title}</View>
          <View className='privacy-section-text'>{s.text}</View>
        </View>
      ))}
      <View className='card'>
        <View className='muted consent-state'>
          {consent ? `您已于 ${formatTime(consent.at)} ${consent.granted ? '同意' : '拒绝'}本政策` : '您尚未作出选择'}
        </View>
        <View className='btn-row'>
          {consent?.granted ? (
            <Button
              className='btn consent-withdraw'
              onClick={() => {
                setConsent(recordPrivacyConsent(false))
                void Taro.showToast({ title: '已撤回同意', icon: 'none' })
              }}
            >
              撤回同意
            </Button>
          ) : (
            <Button className='btn btn-primary consent-grant' onClick={() => setConsent(recordPrivacyConsent(true))}>
              同意
            </Button>
          )}
        </View>
      </View>
    </PageShell>
  )
}
