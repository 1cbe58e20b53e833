import { View, Text } from '@tarojs/components'
import { useRouter } from '@tarojs/taro'
import { PageShell } from '../../../components/page-shell'
import { StateView } from '../../../components/state-view'
import { InfoRow, Tag } from '../../../components/facts'
import { SignInCard } from '../../../components/access-cards'
import { useResource } from '../../../hooks/use-resource'
import { useSession } from '../../../hooks/use-session'
import { volunteersService } from '../../../services/volunteers.service'
import { formatTime, ACTIVITY_KIND_LABELS, formatSpan } from '../../../utils/format'
import { Routes } from '../../../utils/routes'
import { closedTag, seatsLine } from '../components/activity-card'
import { SignupPanel } from '../components/signup-panel'
import '../components/alliance.scss'

/** One activity: what, where, when, seats and waiting list; the volunteer's sign-up and check-in. */
export default function ActivityPage() {
  const { params } = useRouter()
  const id = params.id ?? ''
  const session = useSession()
  const res = useResource(() => volunteersService.activity(id))
  const a = res.data
  if (!a)
    return (
      <PageShell>
        <StateView loading={res.loading} error={res.error} onRetry={() => void res.reload()} />
      </PageShell>
    )

  return (
    <PageShell className='activity-page'>
      <View className='card'>
        <View className='list-card-head'>
          <Text className='list-card-title'>{a.title}</Text>
          <View>
            {closedTag(a, Date.now()) ? <Tag className='activity-closed-tag'>{closedTag(a, Date.now())}</Tag> : null}
            <Tag>{ACTIVITY_KIND_LABELS[a.kind]}</Tag>
          </View>
        </View>
        <InfoRow label='时间'>{formatSpan(a.startsAt, a.endsAt)}</InfoRow>
        <InfoRow label='地点'>{a.place}</InfoRow>
        {a.community ? <InfoRow label='组织'>{a.community.name}</InfoRow> : null}
        <InfoRow label='报名截止'>{formatTime(a.signupDeadline)}</InfoRow>
        <InfoRow label='名额' className='activity-seats'>
          {seatsLine(a)}
        </InfoRow>
        {a.description ? <View className='alert-body'>{a.description}</View> : null}
      </View>
      {session ? (
        <SignupPanel
          activity={a}
          onChanged={(mine) => {
            res.setData({ ...a, mySignup: mine })
            void res.reload(true)
          }}
        />
      ) : (
        <SignInCard reason='登录后报名参加志愿活动。' back={Routes.activity(id)} />
      )}
    </PageShell>
  )
}
