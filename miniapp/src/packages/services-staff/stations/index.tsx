import { View, Text } from '@tarojs/components'
import type { StationView } from '@palm/shared'
import { PageShell } from '../../../components/page-shell'
import { StateView } from '../../../components/state-view'
import { StaffOnly } from '../../../components/access-cards'
import { Tag } from '../../../components/facts'
import { useResource } from '../../../hooks/use-resource'
import { useSession } from '../../../hooks/use-session'
import { legalService } from '../../../services/legal.service'
import type { Session } from '../../../services/session'
import { openPage, Routes } from '../../../utils/routes'
import { STATION_KIND_LABELS, STATION_LEVEL_LABELS } from '../../../utils/format'
import { StaffRoles } from '../components/staff-scope'
import '../components/staff.scss'

/** The stations a staff member runs: their community's room, their street's station, or all (district, justice bureau). */
function isMine(s: StationView, session: Session | undefined): boolean {
  const scope = session?.user.scope ?? {}
  if (scope.communityCode) return s.community?.code === scope.communityCode
  if (scope.streetCode) return s.street?.code === scope.streetCode && s.level !== 'district' && s.level !== 'special'
  return true
}

function Stations() {
  const session = useSession()
  const list = useResource(() => legalService.stations())
  const mine = (list.data ?? []).filter((s) => isMine(s, session))
  return (
    <>
      <View className='list-card-head'>
        <Text className='section-title'>我管理的服务站</Text>
        <Text className='link-row new-station' onClick={() => openPage(Routes.staffStationEdit())}>
          ＋ 新建服务站
        </Text>
      </View>
      {list.data === undefined ? <StateView loading={list.loading} error={list.error} onRetry={() => void list.reload()} /> : null}
      {list.data && mine.length === 0 ? <StateView empty emptyText='辖区内还没有服务站' /> : null}
      {mine.map((s) => (
        <View key={s.id} className='card list-card staff-station' role='button' onClick={() => openPage(Routes.staffStation(s.id))}>
          <View className='list-card-head'>
            <Text className='list-card-title'>{s.name}</Text>
            <Tag tone={s.active ? 'ok' : 'plain'}>{s.active ? STATION_LEVEL_LABELS[s.level] : '已停用'}</Tag>
          </View>
          <View className='list-card-meta'>{`${STATION_KIND_LABELS[s.kind]} · ${s.address}`}</View>
          <View className='list-card-meta'>咨询人员、排班、预约名单 ›</View>
        </View>
      ))}
    </>
  )
}

export default function StaffStationsPage() {
  return (
    <PageShell className='staff-stations'>
      <StaffOnly roles={StaffRoles.stations} back={Routes.staffStations}>
        <Stations />
      </StaffOnly>
    </PageShell>
  )
}
