import { View, Text } from '@tarojs/components'
import { PageShell } from '../../../components/page-shell'
import { StateView } from '../../../components/state-view'
import { StaffOnly } from '../../../components/access-cards'
import { Tag } from '../../../components/facts'
import { useResource } from '../../../hooks/use-resource'
import { useSession } from '../../../hooks/use-session'
import { volunteersService } from '../../../services/volunteers.service'
import { openPage, Routes } from '../../../utils/routes'
import { formatSpan } from '../../../utils/format'
import { StaffRoles, scopeFilter } from '../components/staff-scope'
import '../components/staff.scss'

function Activities() {
  const session = useSession()
  const list = useResource(() => volunteersService.activities(scopeFilter(session)))
  const mine = (list.data ?? []).filter((a) => a.checkinCode !== undefined)
  return (
    <>
      <View className='list-card-head'>
        <Text className='section-title'>近期活动</Text>
        <Text className='link-row new-activity' onClick={() => openPage(Routes.staffActivityEdit())}>
          ＋ 发布活动
        </Text>
      </View>
      {list.data === undefined ? <StateView loading={list.loading} error={list.error} onRetry={() => void list.reload()} /> : null}
      {list.data && mine.length === 0 ? <StateView empty emptyText='辖区近期没有活动' /> : null}
      {mine.map((a) => (
        <View key={a.id} className='card list-card staff-activity' role='button' onClick={() => openPage(Routes.staffActivityEdit(a.id))}>
          <View className='list-card-head'>
            <Text className='list-card-title'>{a.title}</Text>
            {a.cancelled ? <Tag>已取消</Tag> : <Tag tone='ok'>{`签到码 ${a.checkinCode ?? ''}`}</Tag>}
          </View>
          <View className='list-card-meta'>{formatSpan(a.startsAt, a.endsAt)}</View>
          <View className='list-card-meta'>{`${a.place} · 已报名 ${a.signedUp}/${a.capacity}${a.waitlisted ? ` · 候补 ${a.waitlisted}` : ''}`}</View>
        </View>
      ))}
    </>
  )
}

/** Upcoming activities the staff member runs (those whose venue code they can see). */
export default function StaffActivitiesPage() {
  return (
    <PageShell className='staff-activities'>
      <StaffOnly roles={StaffRoles.activities} back={Routes.staffActivities}>
        <Activities />
      </StaffOnly>
    </PageShell>
  )
}
