import { View, Text, Switch, Button } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { isStaffRole } from '@palm/shared'
import { PageShell } from '../../components/page-shell'
import { useSession } from '../../hooks/use-session'
import { useSettings } from '../../hooks/use-settings'
import { authService } from '../../services/auth.service'
import { updateSettings } from '../../services/settings'
import { ROLE_LABELS } from '../../utils/format'
import { Routes, openPage, openSignedIn } from '../../utils/routes'
import { ServiceRoutes } from '../../utils/service-routes'
import './index.scss'

function Row({ label, onClick, className = '' }: { label: string; onClick: () => void; className?: string }) {
  return (
    <View className={`row me-row ${className}`} onClick={onClick} role='button'>
      <Text>{label}</Text>
      <Text className='muted'>›</Text>
    </View>
  )
}

export default function MePage() {
  const session = useSession()
  const { elderMode } = useSettings()
  const staff = session ? isStaffRole(session.user.role) : false

  async function handleSignOut() {
    const res = await Taro.showModal({ title: '退出登录', content: '退出后，本机保存的登录信息和未提交的草稿会被清除。', confirmText: '退出' })
    if (!res.confirm) return
    await authService.signOut()
    void Taro.showToast({ title: '已退出', icon: 'none' })
  }

  return (
    <PageShell className='me'>
      <View className='card me-user'>
        <View className='me-avatar'>{session ? session.user.displayName.slice(0, 1) : '平'}</View>
        {session ? (
          <View className='me-user-text'>
            <Text className='me-name'>{session.user.displayName}</Text>
            <Text className='muted'>{ROLE_LABELS[session.user.role] ?? session.user.role}</Text>
          </View>
        ) : (
          <View className='me-user-text'>
            <Text className='me-name'>未登录</Text>
            <Button className='btn btn-primary me-sign-in' onClick={() => openPage(Routes.signIn())}>
              登录
            </Button>
          </View>
        )}
      </View>

      {staff ? (
        <View className='card'>
          <View className='card-title'>工作台</View>
          <Row className='row-inbox' label='待办工单' onClick={() => openPage(Routes.staffInbox)} />
          <Row className='row-stats' label='统计' onClick={() => openPage(Routes.staffStats)} />
          <Row className='row-services-staff' label='便民服务管理' onClick={() => openPage(ServiceRoutes.staffServices)} />
        </View>
      ) : null}

      <View className='card'>
        <Row className='row-my-tickets' label='我的工单' onClick={() => openSignedIn(Routes.myTickets)} />
        <Row className='row-bookings' label='我的法律咨询预约' onClick={() => openSignedIn(ServiceRoutes.myBookings)} />
        <Row className='row-signups' label='我的志愿活动与服务记录' onClick={() => openSignedIn(ServiceRoutes.alliance)} />
        <Row label='回复公开' onClick={() => openPage(Routes.publicBoard)} />
      </View>

      <View className='card'>
        <View className='card-title'>设置</View>
        <View className='row'>
          <View className='me-setting'>
            <Text>长辈模式</Text>
            <Text className='muted'>字体更大、按钮更大、选项更少</Text>
          </View>
          <Switch className='elder-switch' checked={elderMode} color='#c8102e' onChange={(e) => updateSettings({ elderMode: Boolean(e.detail.value) })} />
        </View>
        <Row label='隐私政策' onClick={() => openPage(Routes.privacy)} />
      </View>

      {session ? (
        <Button className='btn btn-block me-sign-out' onClick={() => void handleSignOut()}>
          退出登录
        </Button>
      ) : null}
    </PageShell>
  )
}
