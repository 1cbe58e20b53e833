import { View, Text, Switch, Button } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { isStaffRole, type Role } from '@palm/shared'
import { PageShell } from '../../components/page-shell'
import { pressable, namedSwitch } from '../../components/a11y'
import { useSession } from '../../hooks/use-session'
import { useSettings } from '../../hooks/use-settings'
import { authService } from '../../services/auth.service'
import { getSession } from '../../services/session'
import { updateSettings } from '../../services/settings'
import { ROLE_LABELS } from '../../utils/format'
import { Routes, openPage, openSignedIn } from '../../utils/routes'
import { DutyCard, WeChatBindingCard } from './staff-cards'
import './index.scss'

/** Roles that manage accounts or duty (the admin hub shows each its own links). */
const ADMIN_ROLES: readonly Role[] = ['community_staff', 'street_admin', 'district_admin']

function Row({ label, onClick, className = '' }: { label: string; onClick: () => void; className?: string }) {
  return (
    <View className={`row me-row ${className}`} {...pressable(onClick)} aria-label={label} onClick={onClick}>
      <Text>{label}</Text>
      <Text className='muted' aria-hidden='true'>
        ›
      </Text>
    </View>
  )
}

export default function MePage() {
  const session = useSession()
  const { elderMode } = useSettings()
  const staff = session ? isStaffRole(session.user.role) : false

  // Staff flags (WeChat bound, duty, a forced password change) come fresh from the server each visit.
  useDidShow(() => {
    const s = getSession()
    if (s && isStaffRole(s.user.role)) authService.refreshMe().catch(() => undefined)
  })

  async function handleSignOut() {
    const res = await Taro.showModal({ title: '退出登录', content: '退出后，本机保存的登录信息和未提交的草稿会被清除。', confirmText: '退出' })
    if (!res.confirm) return
    await authService.signOut()
    void Taro.showToast({ title: '已退出', icon: 'none' })
  }

  return (
    <PageShell className='me'>
      <View className='card me-user'>
        <View className='me-avatar' aria-hidden='true'>
          {session ? session.user.displayName.slice(0, 1) : '平'}
        </View>
        {session ? (
          <View className='me-user-text'>
            <Text className='me-name'>{session.user.displayName}</Text>
            <Text className='muted'>{`${ROLE_LABELS[session.user.role] ?? session.user.role}${session.user.username ? ` · ${session.user.username}` : ''}`}</Text>
          </View>
        ) : (
          <View className='me-user-text'>
            <Text className='me-name'>未登录</Text>
            <Button className='btn btn-primary me-sign-in' {...pressable(() => openPage(Routes.signIn()))} onClick={() => openPage(Routes.signIn())}>
              登录
            </Button>
          </View>
        )}
      </View>

      {session && staff && session.user.role === 'grid_worker' ? <DutyCard /> : null}

      {staff ? (
        <View className='card'>
          <View className='card-title'>工作台</View>
          <Row className='row-inbox' label='待办工单' onClick={() => openPage(Routes.staffInbox)} />
          <Row className='row-stats' label='统计' onClick={() => openPage(Routes.staffStats)} />
          <Row className='row-services-staff' label='便民服务管理' onClick={() => openPage(Routes.staffServices)} />
          {session && ADMIN_ROLES.includes(session.user.role) ? <Row className='row-admin' label='管理（账号、排班、配置）' onClick={() => openPage(Routes.adminHub)} /> : null}
        </View>
      ) : null}

      {session && staff ? <WeChatBindingCard session={session} /> : null}

      <View className='card'>
        <Row className='row-my-tickets' label='我的工单' onClick={() => openSignedIn(Routes.myTickets)} />
        <Row className='row-bookings' label='我的法律咨询预约' onClick={() => openSignedIn(Routes.myBookings)} />
        <Row className='row-signups' label='我的志愿活动与服务记录' onClick={() => openSignedIn(Routes.alliance)} />
        <Row label='回复公开' onClick={() => openPage(Routes.publicBoard)} />
      </View>

      <View className='card'>
        <View className='card-title'>设置</View>
        <View className='row'>
          <View className='me-setting'>
            <Text>长辈模式</Text>
            <Text className='muted'>字体更大、按钮更大、选项更少</Text>
          </View>
          <Switch className='elder-switch' checked={elderMode} color='#c8102e' {...namedSwitch('长辈模式')} onChange={(e) => updateSettings({ elderMode: Boolean(e.detail.value) })} />
        </View>
        {staff ? <Row className='row-change-password' label='修改密码' onClick={() => openPage(Routes.changePassword())} /> : null}
        <Row className='row-privacy' label='隐私政策与我的数据（导出、撤回同意、注销）' onClick={() => openPage(Routes.privacy)} />
      </View>

      {session ? (
        <Button className='btn btn-block me-sign-out' {...pressable(() => void handleSignOut())} onClick={() => void handleSignOut()}>
          退出登录
        </Button>
      ) : null}
    </PageShell>
  )
}
