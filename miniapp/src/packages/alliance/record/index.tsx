import { View, Text } from '@tarojs/components'
import type { VolunteerRecordView } from '@palm/shared'
import { PageShell } from '../../../components/page-shell'
import { StateView } from '../../../components/state-view'
import { ActionButton } from '../../../components/buttons'
import { InfoRow } from '../../../components/facts'
import { SignInCard } from '../../../components/access-cards'
import { useResource } from '../../../hooks/use-resource'
import { useSession } from '../../../hooks/use-session'
import { isApiError } from '../../../services/api-error'
import { volunteersService } from '../../../services/volunteers.service'
import { formatTime, ACTIVITY_KIND_LABELS, formatHours, formatSpan } from '../../../utils/format'
import { openPage, Routes } from '../../../utils/routes'
import '../components/alliance.scss'

type Entry = VolunteerRecordView['service']['items'][number]

function Entries({ items, empty }: { items: Entry[]; empty: string }) {
  if (items.length === 0) return <View className='muted'>{empty}</View>
  return (
    <>
      {items.map((e) => (
        <View key={e.activityId} className='record-entry row'>
          <View className='switch-text'>
            <Text>{e.title}</Text>
            <Text className='muted'>{`${formatSpan(e.startsAt, e.endsAt)} · ${ACTIVITY_KIND_LABELS[e.kind]} · ${e.organiser}`}</Text>
          </View>
          <Text className='rank-hours'>{formatHours(e.hours)}</Text>
        </View>
      ))}
    </>
  )
}

/**
 * 志愿服务记录, laid out after 《志愿服务记录与证明出具办法》: basic information, service (activities
 * and hours), training and awards, each naming the organiser who can certify it.
 */
function Record() {
  const res = useResource(() => volunteersService.myRecord())
  if (isApiError(res.error) && res.error.status === 404) {
    return (
      <View className='card'>
        <View className='card-title'>暂无服务记录</View>
        <View className='muted'>注册成为志愿者并参加活动后，这里会记录您的服务时长。</View>
        <ActionButton className='btn-block' onClick={() => openPage(Routes.alliance)}>
          去注册
        </ActionButton>
      </View>
    )
  }
  const r = res.data
  if (!r) return <StateView loading={res.loading} error={res.error} onRetry={() => void res.reload()} />
  return (
    <>
      <View className='card'>
        <View className='record-total'>
          <View className='record-total-item'>
            <View className='record-total-num service-hours'>{r.service.totalHours}</View>
            <View className='muted'>服务时长（小时）</View>
          </View>
          <View className='record-total-item'>
            <View className='record-total-num'>{r.service.activityCount}</View>
            <View className='muted'>参加活动（次）</View>
          </View>
        </View>
      </View>
      <View className='card'>
        <View className='card-title'>基本信息</View>
        <InfoRow label='志愿者编号'>{r.basic.number}</InfoRow>
        <InfoRow label='姓名'>{r.basic.name}</InfoRow>
        <InfoRow label='手机'>{r.basic.phone}</InfoRow>
        <InfoRow label='所在社区'>{r.basic.community.name}</InfoRow>
        {r.basic.skills.length ? <InfoRow label='特长'>{r.basic.skills.join('、')}</InfoRow> : null}
        <InfoRow label='注册时间'>{formatTime(r.basic.registeredAt)}</InfoRow>
        <InfoRow label='记录单位'>{r.basic.organisation}</InfoRow>
      </View>
      <View className='card'>
        <View className='card-title'>服务信息</View>
        <Entries items={r.service.items} empty='暂无服务记录' />
      </View>
      <View className='card'>
        <View className='card-title'>{`培训信息（${formatHours(r.training.totalHours)}）`}</View>
        <Entries items={r.training.items} empty='暂无培训记录' />
      </View>
      <View className='card'>
        <View className='card-title'>表彰奖励</View>
        {r.awards.items.length === 0 ? <View className='muted'>暂无</View> : null}
        {r.awards.items.map((a) => (
          <InfoRow key={a.id} label={formatTime(a.awardedAt).split(' ')[0] ?? ''}>{`${a.title}（${a.issuer}）`}</InfoRow>
        ))}
      </View>
      <View className='muted'>{`记录生成于 ${formatTime(r.generatedAt)}。如需出具志愿服务证明，请联系记录单位。`}</View>
    </>
  )
}

export default function RecordPage() {
  const session = useSession()
  return <PageShell className='service-record'>{session ? <Record /> : <SignInCard reason='登录后查看您的志愿服务记录。' back={Routes.serviceRecord} />}</PageShell>
}
