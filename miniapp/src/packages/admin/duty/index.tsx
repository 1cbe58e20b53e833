import { useState } from 'react'
import { View, Text } from '@tarojs/components'
import { SUPERVISOR_ROLES, type DutyBoardView } from '@palm/shared'
import { PageShell } from '../../../components/page-shell'
import { StateView } from '../../../components/state-view'
import { CommunityPicker } from '../../../components/community-picker'
import { StaffOnly } from '../../../components/access-cards'
import { useResource } from '../../../hooks/use-resource'
import { useSession } from '../../../hooks/use-session'
import { dutyService } from '../../../services/duty.service'
import { formatTime } from '../../../utils/format'
import { Routes, openPage } from '../../../utils/routes'
import { dutyReasonText } from '../../../pages/me/staff-cards'
import '../components/admin.scss'
import { ActionButton } from '../../../components/buttons'

function Board({ board }: { board: DutyBoardView }) {
  return (
    <>
      <View className='muted duty-at'>{`${board.communityName} · ${formatTime(board.at)} 的在岗情况`}</View>
      {board.grids.length === 0 ? <StateView empty emptyText='本社区还没有网格' /> : null}
      {board.grids.map((g) => (
        <View key={g.gridCode} className={`card duty-grid duty-grid-${g.gridCode}`}>
          <View className='list-card-head'>
            <Text className='card-title'>{g.gridName}</Text>
            <Text className={`admin-tag ${g.onDutyCount > 0 ? 'is-ok' : 'is-danger'}`}>{g.onDutyCount > 0 ? `${g.onDutyCount} 人在岗` : '无人在岗，新工单进社区队列'}</Text>
          </View>
          {g.workers.length === 0 ? <View className='muted'>本网格还没有网格员</View> : null}
          {g.workers.map((w) => (
            <View key={w.id} className='duty-worker'>
              <View className='duty-worker-text'>
                <Text>{w.displayName}</Text>
                <Text className='muted'>{dutyReasonText(w.reason)}</Text>
              </View>
              <Text className={`admin-tag ${w.onDutyNow ? 'is-ok' : ''}`}>{w.onDutyNow ? '在岗' : '不在岗'}</Text>
            </View>
          ))}
          <ActionButton kind='ghost' className='duty-roster' onClick={() => openPage(Routes.adminRoster(g.gridCode))}>
            排班与请假
          </ActionButton>
        </View>
      ))}
    </>
  )
}

function DutyBoard() {
  const session = useSession()
  const own = session?.user.scope.communityCode
  const [communityCode, setCommunityCode] = useState<string | undefined>(own)
  const res = useResource(() => (communityCode ? dutyService.board(communityCode) : Promise.resolve(undefined)), { deps: [communityCode] })
  return (
    <>
      {own ? null : (
        <View className='card'>
          <View className='field-label'>选择社区</View>
          <CommunityPicker depth='community' initial={{ streetCode: session?.user.scope.streetCode }} onChange={(p) => setCommunityCode(p?.community?.code)} />
        </View>
      )}
      {!communityCode ? (
        <StateView empty emptyText='请选择要查看的社区' />
      ) : res.loading || res.error || !res.data ? (
        <StateView loading={res.loading} error={res.error} onRetry={() => void res.reload()} />
      ) : (
        <Board board={res.data} />
      )}
    </>
  )
}

/** 排班与在岗: who is on duty now in each grid of a community, and the way to each grid's roster. */
export default function AdminDutyPage() {
  return (
    <PageShell className='admin-page admin-duty'>
      <StaffOnly roles={SUPERVISOR_ROLES} back={Routes.adminDuty}>
        <DutyBoard />
      </StaffOnly>
    </PageShell>
  )
}
