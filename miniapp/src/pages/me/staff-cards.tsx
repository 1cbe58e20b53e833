import { useState } from 'react'
import { View, Text, Switch, Button } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { pressable, namedSwitch } from '../../components/a11y'
import { authService } from '../../services/auth.service'
import type { DutyReason, DutyView } from '@palm/shared'
import { dutyService } from '../../services/duty.service'
import { formatTime } from '../../utils/format'
import { isApiError } from '../../services/api-error'
import { errorMessage, showError } from '../../services/show-error'
import type { Session } from '../../services/session'
import { isWeapp } from '../../utils/platform'

/** Why a worker is or is not on duty now, in plain words. */
export const DUTY_REASON_LABELS: Record<DutyReason, string> = {
  in_roster: '在排班时间内',
  no_roster: '未排班，按在岗开关',
  switched_off: '已离岗（开关关闭）',
  on_leave: '请假中',
  outside_roster: '现在不在您的排班时间内',
  disabled: '账号已停用'
}

/** The reason with the end of a leave when there is one. */
export function dutyReasonText(reason: DutyReason, leaveUntil?: string): string {
  return reason === 'on_leave' && leaveUntil ? `请假中，至 ${formatTime(leaveUntil)}` : DUTY_REASON_LABELS[reason]
}

/**
 * 在岗 for grid workers: the switch says whether they take new tickets; the roster and leave
 * decide whether routing counts them now (onDutyNow), and the reason says why when the two differ.
 */
export function DutyCard() {
  const [duty, setDuty] = useState<DutyView>()
  const [error, setError] = useState<unknown>()
  const [busy, setBusy] = useState(false)

  function load() {
    setError(undefined)
    dutyService.mine().then(setDuty).catch(setError)
  }
  useDidShow(load)

  async function toggle(onDuty: boolean) {
    if (busy) return
    setBusy(true)
    const before = duty
    if (duty) setDuty({ ...duty, onDuty })
    try {
      setDuty(await dutyService.setMine(onDuty))
      void Taro.showToast({ title: onDuty ? '已在岗，新工单会派给您' : '已离岗，新工单交社区处理', icon: 'none' })
    } catch (err) {
      setDuty(before)
      void showError(err)
    } finally {
      setBusy(false)
    }
  }

  const differs = duty && duty.onDuty !== duty.onDutyNow
  return (
    <View className='card duty-card'>
      <View className='card-title'>在岗状态</View>
      {error ? (
        <View className='duty-error' role='alert'>
          <Text className='muted'>{errorMessage(error)}</Text>
          <Button className='btn btn-ghost duty-retry' {...pressable(load)} onClick={load}>
            重试
          </Button>
        </View>
      ) : !duty ? (
        <Text className='muted'>加载中…</Text>
      ) : (
        <>
          <View className='row'>
            <View className='me-setting'>
              <Text>在岗</Text>
              <Text className='muted'>{duty.onDuty ? '在岗：本网格的新工单派给您' : '离岗：新工单交社区处理'}</Text>
            </View>
            <Switch className='duty-switch' checked={duty.onDuty} disabled={busy || undefined} color='#c8102e' {...namedSwitch('在岗')} onChange={(e) => void toggle(Boolean(e.detail.value))} />
          </View>
          <View className={`duty-now${duty.onDutyNow ? ' is-on' : ''}`} role='status'>
            <Text>{duty.onDutyNow ? '现在计为在岗：新工单会派给您' : '现在计为不在岗：新工单交社区处理'}</Text>
            {differs || (!duty.onDutyNow && duty.reason !== 'switched_off') ? <Text className='duty-reason'>{`原因：${dutyReasonText(duty.reason, duty.leaveUntil)}`}</Text> : null}
            {duty.grids.length > 1
              ? duty.grids.map((g) => <Text key={g.gridCode} className='duty-grid'>{`${g.gridName}：${g.onDutyNow ? '在岗' : dutyReasonText(g.reason, duty.leaveUntil)}`}</Text>)
              : null}
          </View>
        </>
      )}
    </View>
  )
}

/**
 * 微信绑定: in the mini-program a staff member binds the WeChat account once (wx.login code), so
 * later sign-ins are one tap and reminders reach them. H5 cannot call wx.login: it explains where
 * binding happens, and still allows unbinding.
 */
export function WeChatBindingCard({ session }: { session: Session }) {
  const [busy, setBusy] = useState(false)
  const bound = Boolean(session.user.wechatBound)
  if (session.user.totpEnabled && !bound) {
    return (
      <View className='card wechat-card'>
        <View className='card-title'>微信绑定</View>
        <View className='muted'>您的账号使用动态验证码登录，为了安全不能绑定微信一键登录。</View>
      </View>
    )
  }

  async function bind() {
    if (busy) return
    setBusy(true)
    try {
      await authService.bindWeChat()
      void Taro.showToast({ title: '已绑定微信', icon: 'success' })
    } catch (err) {
      if (isApiError(err) && err.code === 'forbidden') {
        void Taro.showModal({ title: '无法绑定', content: '使用动态验证码登录的账号不能绑定微信：一键登录会跳过动态验证码。', showCancel: false, confirmText: '知道了' })
      } else if (isApiError(err) && err.code === 'wechat_already_bound') {
        void Taro.showModal({ title: '无法绑定', content: '这个微信已绑定了另一个账号。请先在那个账号中解除绑定，或换一个微信。', showCancel: false, confirmText: '知道了' })
      } else void showError(err)
    } finally {
      setBusy(false)
    }
  }

  async function unbind() {
    if (busy) return
    const res = await Taro.showModal({ title: '解除微信绑定', content: '解除后，需要用户名和密码登录，也收不到工单提醒。确定解除吗？', confirmText: '解除' })
    if (!res.confirm) return
    setBusy(true)
    try {
      await authService.unbindWeChat()
      void Taro.showToast({ title: '已解除绑定', icon: 'none' })
    } catch (err) {
      void showError(err)
    } finally {
      setBusy(false)
    }
  }

  return (
    <View className='card wechat-card'>
      <View className='card-title'>微信绑定</View>
      <View className='muted wechat-state' role='status'>
        {bound ? '已绑定微信：可在小程序中微信一键登录，并接收新工单、超期和督办提醒。' : '未绑定微信。绑定后可在小程序中微信一键登录，并接收工单提醒。'}
      </View>
      {!bound && !isWeapp ? <View className='muted wechat-hint'>绑定需在微信“掌上平城”小程序中进行：用账号密码登录后，在“我的”中点“绑定微信”。</View> : null}
      <View className='btn-row'>
        {bound ? (
          <Button className={`btn wechat-unbind${busy ? ' btn-disabled' : ''}`} disabled={busy || undefined} {...pressable(() => void unbind())} onClick={() => void unbind()}>
            解除绑定
          </Button>
        ) : isWeapp ? (
          <Button className={`btn btn-primary wechat-bind${busy ? ' btn-disabled' : ''}`} disabled={busy || undefined} onClick={() => void bind()}>
            {busy ? '正在绑定…' : '绑定微信'}
          </Button>
        ) : null}
      </View>
    </View>
  )
}
