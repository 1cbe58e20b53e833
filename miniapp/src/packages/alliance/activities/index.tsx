import { useState } from 'react'
import { useRouter } from '@tarojs/taro'
import { PageShell } from '../../../components/page-shell'
import { StateView } from '../../../components/state-view'
import { Chips } from '../../../components/fields'
import { useResource } from '../../../hooks/use-resource'
import { useSession } from '../../../hooks/use-session'
import { volunteersService } from '../../../services/volunteers.service'
import { openPage, Routes } from '../../../utils/routes'
import { ActivityCard } from '../components/activity-card'
import '../components/alliance.scss'

type Filter = 'all' | 'mine'

/** Upcoming activities soonest first; "我报名的" keeps the caller's sign-ups and waiting-list places. */
export default function ActivitiesPage() {
  const { params } = useRouter()
  const session = useSession()
  const [filter, setFilter] = useState<Filter>(params.mine ? 'mine' : 'all')
  const list = useResource(() => volunteersService.activities())
  const items = (list.data ?? []).filter((a) => filter === 'all' || (a.mySignup && a.mySignup.status !== 'cancelled'))
  const options = session
    ? [
        { value: 'all' as const, label: '全部活动' },
        { value: 'mine' as const, label: '我报名的' }
      ]
    : [{ value: 'all' as const, label: '全部活动' }]
  return (
    <PageShell className='activities'>
      <Chips options={options} value={filter} onChange={setFilter} className='activity-filter' />
      {list.data ? null : <StateView loading={list.loading} error={list.error} onRetry={() => void list.reload()} />}
      {list.data && items.length === 0 ? <StateView empty emptyText={filter === 'mine' ? '您还没有报名的活动' : '近期暂无活动'} /> : null}
      {items.map((a) => (
        <ActivityCard key={a.id} activity={a} onOpen={() => openPage(Routes.activity(a.id))} />
      ))}
    </PageShell>
  )
}
