import { View, Text } from '@tarojs/components'
import { PageShell } from '../../../components/page-shell'
import { StateView } from '../../../components/state-view'
import { ActionButton } from '../../../components/buttons'
import { InfoRow, Tag } from '../../../components/facts'
import { useResource } from '../../../hooks/use-resource'
import { useSession } from '../../../hooks/use-session'
import { volunteersService } from '../../../services/volunteers.service'
import { formatTime, ALERT_LEVEL_LABELS, VOLUNTEER_STATUS_LABELS } from '../../../utils/format'
import { openPage, openSignedIn, Routes } from '../../../utils/routes'
import { useMyVolunteer } from '../components/use-volunteer'
import '../components/alliance.scss'
import { pressable } from '../../../components/a11y'

function MyStatus() {
  const session = useSession()
  const me = useMyVolunteer()
  if (!session) {
    return (
      <View className='card'>
        <View className='card-title'>加入平城反诈志愿者联盟</View>
        <View className='muted'>登录后注册成为志愿者，参加反诈宣传活动，记录志愿服务时长。</View>
        <ActionButton className='btn-block join-alliance' onClick={() => openSignedIn(Routes.allianceRegister)}>
          登录并注册
        </ActionButton>
      </View>
    )
  }
  if (me.data === undefined) return <StateView loading={me.loading} error={me.error} onRetry={() => void me.reload()} />
  const v = me.data
  if (!v) {
    return (
      <View className='card'>
        <View className='card-title'>您还不是志愿者</View>
        <View className='muted'>注册后由社区审核，通过后即可报名活动。</View>
        <ActionButton className='btn-block join-alliance' onClick={() => openPage(Routes.allianceRegister)}>
          注册成为志愿者
        </ActionButton>
      </View>
    )
  }
  return (
    <View className='card my-volunteer'>
      <View className='list-card-head'>
        <Text className='list-card-title'>{v.name}</Text>
        <Tag tone={v.status === 'approved' ? 'ok' : v.status === 'pending' ? 'warn' : 'danger'} className='volunteer-status'>
          {VOLUNTEER_STATUS_LABELS[v.status]}
        </Tag>
      </View>
      <InfoRow label='志愿者编号'>{v.number}</InfoRow>
      <InfoRow label='所在社区'>{v.community.name}</InfoRow>
      {v.status === 'pending' ? <View className='muted'>社区正在审核您的注册，通过后会通知您。</View> : null}
      {v.status === 'rejected' && v.rejectionReason ? <InfoRow label='未通过原因'>{v.rejectionReason}</InfoRow> : null}
    </View>
  )
}

const LINKS = [
  { key: 'activities', title: '活动报名', sub: '宣传、培训、走访', url: Routes.activities() },
  { key: 'mine', title: '我的报名', sub: '签到与签退', url: Routes.activities(true) },
  { key: 'record', title: '服务记录', sub: '时长与证明', url: Routes.serviceRecord },
  { key: 'leaderboard', title: '月度排行', sub: '本月服务时长', url: Routes.leaderboard }
]

/** 平城反诈: the volunteer's status, the ways in (activities, record, leaderboard) and the latest alerts. */
export default function AllianceHubPage() {
  const alerts = useResource(() => volunteersService.alerts().then((p) => p.items.slice(0, 3)))
  return (
    <PageShell className='alliance-hub'>
      <View className='alliance-banner'>
        <Text className='alliance-banner-title'>平城反诈志愿者联盟</Text>
        <Text className='alliance-banner-sub'>全民反诈 · 守护好您的“钱袋子”</Text>
      </View>
      <MyStatus />
      <View className='card alliance-links'>
        {LINKS.map((l) => (
          <View key={l.key} className={`alliance-link link-${l.key}`} role='button' onClick={() => (l.key === 'activities' || l.key === 'leaderboard' ? openPage(l.url) : openSignedIn(l.url))}>
            <View className='alliance-link-inner'>
              <Text className='alliance-link-title'>{l.title}</Text>
              <Text className='muted'>{l.sub}</Text>
            </View>
          </View>
        ))}
      </View>
      <View className='list-card-head'>
        <Text className='section-title'>反诈预警</Text>
        <Text className='link-row' {...pressable(() => openPage(Routes.alerts), { role: 'link' })} onClick={() => openPage(Routes.alerts)}>
          全部 ›
        </Text>
      </View>
      <StateView loading={alerts.loading} error={alerts.error} empty={alerts.data?.length === 0} emptyText='暂无预警' onRetry={() => void alerts.reload()} />
      {(alerts.data ?? []).map((a) => (
        <View key={a.id} className={`card alert-card level-${a.level}`}>
          <View className='list-card-head'>
            <Text className='list-card-title'>{a.title}</Text>
            <Tag tone={a.level === 'urgent' ? 'danger' : a.level === 'warning' ? 'warn' : 'plain'}>{ALERT_LEVEL_LABELS[a.level]}</Tag>
          </View>
          <View className='alert-body'>{a.body.length > 80 ? `${a.body.slice(0, 80)}…` : a.body}</View>
          <View className='muted'>{`${a.publisher} · ${formatTime(a.publishedAt)}`}</View>
        </View>
      ))}
    </PageShell>
  )
}
