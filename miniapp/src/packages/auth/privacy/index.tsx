import { useState } from 'react'
import { View, Button, Text } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { isStaffRole } from '@palm/shared'
import { pressable } from '../../../components/a11y'
import { PageShell } from '../../../components/page-shell'
import { appConfig } from '../../../config'
import { useSession } from '../../../hooks/use-session'
import { privacyService, syncConsentToServer } from '../../../services/privacy.service'
import { saveTextFile } from '../../../services/file-export'
import { clearSession } from '../../../services/session'
import { getPrivacyConsent, recordPrivacyConsent } from '../../../services/settings'
import { showError } from '../../../services/show-error'
import { formatTime } from '../../../utils/format'
import { Routes, replacePage } from '../../../utils/routes'
import './index.scss'

const SECTIONS: Array<{ title: string; text: string }> = [
  {
    title: '我们收集什么',
    text: '您提交随手拍时填写的问题描述、照片、位置或所选社区、详细地址；登录所需的微信标识（不含手机号）。定位只在您填写表单并点击“获取当前位置”时使用，拒绝后仍可手动选择社区。'
  },
  { title: '为什么收集', text: '把事项交给负责该网格的网格员、社区或职能部门处理，在规定时限内回复您，并统计办理情况。' },
  {
    title: '谁能看到',
    text: '只有负责该区域或该类事项的工作人员能看到您的事项。您同意公开后，办结的回复会出现在“回复公开”中，姓名、电话、身份证号、车牌和门牌号会被隐去；无法确定时由社区工作人员审核后再公开。匿名举报不会向处理人员显示举报人。'
  },
  {
    title: '保存多久',
    text: '事项关闭一段时间后（默认 180 天），其中的姓名、电话和详细地址会被隐去，只保留网格和社区用于统计。您可以随时撤回同意，撤回后不能再提交新的事项、预约或报名，也不再向您发送订阅消息，直到您再次同意。'
  },
  {
    title: '您的权利',
    text: '您可以导出我们保存的关于您的全部信息，撤回同意，或注销账号。注销后，您的微信标识、姓名和电话会被删除，未开始的预约和报名会被取消；您上报过的事项会以“已注销用户”的名义保留，供政府部门继续办理。'
  }
]

/** 导出我的数据: shows the JSON copy and offers to copy it (WeChat) or download it (H5). */
function ExportCard() {
  const [state, setState] = useState<{ status: 'idle' | 'loading' | 'error' } | { status: 'done'; json: string }>({ status: 'idle' })
  const load = async () => {
    setState({ status: 'loading' })
    try {
      const data = await privacyService.exportMyData()
      const json = JSON.stringify(data, null, 2)
      setState({ status: 'done', json })
      if (appConfig.platform === 'h5' && typeof document !== 'undefined') {
        await saveTextFile(`我的数据-${data.exportedAt.slice(0, 10)}.json`, json, 'application/json;charset=utf-8')
      }
    } catch (err) {
      setState({ status: 'error' })
      showError(err)
    }
  }
  return (
    <View className='card privacy-export'>
      <View className='privacy-section-title'>导出我的数据</View>
      <View className='privacy-section-text'>包括账号、同意记录、上报的事项及其办理过程、关注、预约、志愿服务记录、消息和订阅。</View>
      <View className='btn-row'>
        <Button className='btn export-data' aria-label='导出我的数据' disabled={state.status === 'loading' || undefined} {...pressable(() => void load())} onClick={() => void load()}>
          导出我的数据
        </Button>
      </View>
      {state.status === 'loading' ? (
        <View className='muted' aria-live='polite'>
          正在导出…
        </View>
      ) : null}
      {state.status === 'error' ? <View className='muted'>导出失败，请稍后重试。</View> : null}
      {state.status === 'done' ? (
        <View className='export-result'>
          <View className='btn-row'>
            <Button
              className='btn export-copy'
              aria-label='复制导出的数据'
              {...pressable(() => void Taro.setClipboardData({ data: state.json }))}
              onClick={() => void Taro.setClipboardData({ data: state.json })}
            >
              复制全部
            </Button>
          </View>
          <View className='export-json' role='region' aria-label='导出的数据'>
            <Text userSelect>{state.json}</Text>
          </View>
        </View>
      ) : null}
    </View>
  )
}

/** 注销账号, after a confirmation that says what happens. */
function DeleteAccountCard() {
  const [busy, setBusy] = useState(false)
  const remove = async () => {
    const answer = await Taro.showModal({
      title: '注销账号',
      content: '注销后，您的微信标识、姓名和电话将被删除，未开始的预约和活动报名将被取消，且无法恢复。您上报的事项会以“已注销用户”保留供继续办理。确定注销吗？',
      confirmText: '确定注销',
      confirmColor: '#c0392b'
    })
    if (!answer.confirm) return
    setBusy(true)
    try {
      await privacyService.deleteAccount()
      clearSession()
      recordPrivacyConsent(false)
      void Taro.showToast({ title: '账号已注销', icon: 'none' })
      replacePage(Routes.home)
    } catch (err) {
      showError(err)
    } finally {
      setBusy(false)
    }
  }
  return (
    <View className='card privacy-delete'>
      <View className='privacy-section-title'>注销账号</View>
      <View className='privacy-section-text'>注销会删除您的个人信息并退出登录。再次使用时将创建一个新账号。</View>
      <View className='btn-row'>
        <Button className='btn btn-danger delete-account' aria-label='注销账号' disabled={busy || undefined} {...pressable(() => void remove())} onClick={() => void remove()}>
          注销账号
        </Button>
      </View>
      {busy ? (
        <View className='muted' aria-live='polite'>
          正在注销…
        </View>
      ) : null}
    </View>
  )
}

export default function PrivacyPage() {
  const session = useSession()
  const resident = session ? !isStaffRole(session.user.role) : false
  const [consent, setConsent] = useState(getPrivacyConsent)
  const grant = async () => {
    setConsent(recordPrivacyConsent(true))
    if (session && !(await syncConsentToServer(true))) void Taro.showToast({ title: '同意未能保存到服务器，请稍后重试', icon: 'none' })
  }
  const withdraw = async () => {
    const answer = await Taro.showModal({ title: '撤回同意', content: '撤回后，您将不能提交新的事项、预约或报名，也不再收到订阅消息，直到再次同意。确定撤回吗？' })
    if (!answer.confirm) return
    setConsent(recordPrivacyConsent(false))
    if (session) await syncConsentToServer(false)
    void Taro.showToast({ title: '已撤回同意', icon: 'none' })
  }
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
        <View className='muted consent-state'>{consent ? `您已于 ${formatTime(consent.at)} ${consent.granted ? '同意' : '拒绝或撤回'}本政策` : '您尚未作出选择'}</View>
        <View className='btn-row'>
          {consent?.granted && consent.policyVersion === appConfig.privacyPolicyVersion ? (
            <Button className='btn consent-withdraw' aria-label='撤回同意' {...pressable(() => void withdraw())} onClick={() => void withdraw()}>
              撤回同意
            </Button>
          ) : (
            <Button className='btn btn-primary consent-grant' aria-label='同意隐私政策' {...pressable(() => void grant())} onClick={() => void grant()}>
              同意
            </Button>
          )}
        </View>
      </View>
      {resident ? (
        <>
          <ExportCard />
          <DeleteAccountCard />
        </>
      ) : null}
    </PageShell>
  )
}
