import { useRef, useState } from 'react'
import { View, Input } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { VolunteerLimits, type ActivityView, type SignupView } from '@palm/shared'
import { ActionButton } from '../../../components/buttons'
import { FormNotice } from '../../../components/fields'
import { useAction } from '../../../hooks/use-resource'
import { isApiError } from '../../../services/api-error'
import { newIdempotencyKey } from '../../../services/idempotency'
import { volunteersService } from '../../../services/volunteers.service'
import { openPage, Routes } from '../../../utils/routes'
import { formatTime, formatHours } from '../../../utils/format'
import { errorMessage } from '../../../services/show-error'
import { useMyVolunteer } from './use-volunteer'
import { namedInput } from '../../../components/a11y'
import { askSubscriptionFromTap } from '../../../services/subscribe'

/**
 * What the volunteer can do with one activity, by state: sign up (or join the waiting list when
 * full), cancel, and check in and out with the venue code. Refusals are shown in place, by code.
 */
export function SignupPanel({ activity, onChanged }: { activity: ActivityView; onChanged: (mine: SignupView | null) => void }) {
  const action = useAction()
  const [notice, setNotice] = useState<string>()
  const [needsApproval, setNeedsApproval] = useState(false)
  const [code, setCode] = useState('')
  const key = useRef(newIdempotencyKey())
  const mine = activity.mySignup && activity.mySignup.status !== 'cancelled' ? activity.mySignup : null
  const volunteer = useMyVolunteer()
  const now = Date.now()

  async function attempt(work: () => Promise<SignupView>, done: string) {
    setNotice(undefined)
    await action.run(async () => {
      try {
        const signup = await work()
        onChanged(signup.status === 'cancelled' ? null : signup)
        void Taro.showToast({ title: done, icon: 'success' })
      } catch (err) {
        if (isApiError(err) && !err.isNetworkError && err.status < 500) key.current = newIdempotencyKey()
        if (isApiError(err) && err.code === 'activity_full') {
          const join = await Taro.showModal({ title: '名额已满', content: '名额刚刚被报满了。是否加入候补？有人取消时按顺序递补，并通知您。', confirmText: '加入候补', cancelText: '不了' })
          if (join.confirm) {
            const signup = await volunteersService.signUp(activity.id, true, key.current).catch((e: unknown) => {
              setNotice(errorMessage(e))
              return undefined
            })
            if (signup) onChanged(signup)
          }
          return
        }
        setNeedsApproval(isApiError(err) && err.code === 'volunteer_not_approved')
        setNotice(errorMessage(err))
      }
    })
  }

  const signUp = (joinWaitlist: boolean) => {
    // Within the tap, before any await: WeChat shows the grant dialog only then (the reminders need it).
    void askSubscriptionFromTap()
    return attempt(() => volunteersService.signUp(activity.id, joinWaitlist, key.current), joinWaitlist ? '已加入候补' : '报名成功')
  }
  async function cancel() {
    const ok = await Taro.showModal({
      title: mine?.status === 'waitlisted' ? '取消候补' : '取消报名',
      content: '取消后名额会让给候补的志愿者。确定取消吗？',
      confirmText: '确定取消',
      cancelText: '再想想'
    })
    if (ok.confirm) await attempt(() => volunteersService.cancelSignup(activity.id), '已取消')
  }
  const codeOk = code.trim().length > 0

  let body
  if (activity.cancelled) body = <View className='signup-state'>该活动已取消</View>
  else if (mine?.status === 'waitlisted') {
    body = (
      <>
        <View className='signup-state waitlist-state'>{`候补第 ${mine.waitlistPosition ?? '-'} 位`}</View>
        <View className='muted'>有人取消时按候补顺序递补，递补成功会通知您。</View>
        <ActionButton kind='plain' className='btn-block signup-cancel' busy={action.busy} onClick={() => void cancel()}>
          取消候补
        </ActionButton>
      </>
    )
  } else if (mine?.checkoutAt) {
    body = <View className='signup-state'>{`已完成服务，记入 ${formatHours(mine.hours)}`}</View>
  } else if (mine) {
    const checkingOut = Boolean(mine.checkinAt)
    const attendance = attendanceWindow(activity, checkingOut, now)
    body = (
      <>
        <View className='signup-state confirmed-state'>{checkingOut ? `已签到（${formatTime(mine.checkinAt)}）` : '已报名，请准时参加'}</View>
        <View className='muted'>到场后输入现场工作人员提供的签到码。签到时间：活动开始前 30 分钟至结束；签退：活动开始后至结束后 30 分钟。</View>
        {attendance.open ? null : <View className='signup-state checkin-closed'>{attendance.why}</View>}
        {attendance.open ? (
          <View className='checkin-row'>
            <Input className='field-input checkin-code' type='number' maxlength={16} placeholder='签到码' {...namedInput('签到码')} value={code} onInput={(e) => setCode(e.detail.value)} />
            <ActionButton
              className='checkin-submit'
              disabled={!codeOk}
              busy={action.busy}
              onClick={() => void attempt(() => (checkingOut ? volunteersService.checkOut : volunteersService.checkIn)(activity.id, code.trim()), checkingOut ? '已签退' : '签到成功')}
            >
              {checkingOut ? '签退' : '签到'}
            </ActionButton>
          </View>
        ) : null}
        {!checkingOut && now < Date.parse(activity.startsAt) ? (
          <ActionButton kind='plain' className='btn-block signup-cancel' busy={action.busy} onClick={() => void cancel()}>
            取消报名
          </ActionButton>
        ) : null}
      </>
    )
  } else if (now > Date.parse(activity.signupDeadline)) body = <View className='signup-state'>报名已截止</View>
  else if (volunteer.data === null) {
    body = (
      <>
        <View className='signup-state volunteer-needed'>报名需先注册为反诈志愿者，社区审核通过后即可报名。</View>
        <ActionButton className='btn-block go-register' onClick={() => openPage(Routes.allianceRegister)}>
          注册志愿者
        </ActionButton>
      </>
    )
  } else if (volunteer.data?.status === 'pending') {
    body = <View className='signup-state volunteer-pending'>您的志愿者申请正在等待社区审核，审核通过后即可报名。</View>
  } else if (volunteer.data?.status === 'rejected') {
    body = <View className='signup-state volunteer-rejected'>{`您的志愿者申请未通过${volunteer.data.rejectionReason ? `：${volunteer.data.rejectionReason}` : ''}。可在联盟首页查看。`}</View>
  } else if (activity.remaining > 0) {
    body = (
      <ActionButton className='btn-block signup-submit' busy={action.busy} busyText='正在报名…' onClick={() => void signUp(false)}>
        报名参加
      </ActionButton>
    )
  } else {
    body = (
      <>
        <View className='signup-state full-state'>名额已满</View>
        <View className='muted'>{`已有 ${activity.waitlisted} 人候补。加入候补后，有人取消时按顺序递补。`}</View>
        <ActionButton kind='ghost' className='btn-block waitlist-submit' busy={action.busy} onClick={() => void signUp(true)}>
          加入候补
        </ActionButton>
      </>
    )
  }

  return (
    <View className='card signup-panel'>
      <FormNotice message={notice} className='signup-notice' />
      {needsApproval ? (
        <ActionButton kind='ghost' className='btn-block go-register' onClick={() => openPage(Routes.alliance)}>
          查看我的志愿者状态
        </ActionButton>
      ) : null}
      {body}
    </View>
  )
}

const MINUTE = 60_000

/**
 * Whether the code can be entered now (the server's windows: check-in from 30 minutes before the
 * start until the end, check-out from the start until 30 minutes after the end) and, if not, when.
 */
export function attendanceWindow(activity: Pick<ActivityView, 'startsAt' | 'endsAt'>, checkingOut: boolean, now: number): { open: boolean; why?: string } {
  const starts = Date.parse(activity.startsAt)
  const ends = Date.parse(activity.endsAt)
  const opens = checkingOut ? starts : starts - VolunteerLimits.checkinEarlyMinutes * MINUTE
  const closes = checkingOut ? ends + VolunteerLimits.checkoutLateMinutes * MINUTE : ends
  if (now < opens) return { open: false, why: `${checkingOut ? '签退' : '签到'}将于 ${formatTime(new Date(opens).toISOString())} 开放` }
  if (now > closes) return { open: false, why: checkingOut ? '签退时间已过，如有疑问请联系组织社区' : '签到时间已过' }
  return { open: true }
}
