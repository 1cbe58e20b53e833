import { View, Text } from '@tarojs/components'
import { isStaffRole, type Role } from '@palm/shared'
import { PageShell } from '../../../components/page-shell'
import { StaffOnly } from '../../../components/access-cards'
import { useSession } from '../../../hooks/use-session'
import { ROLE_LABELS } from '../../../utils/format'
import { openPage, Routes } from '../../../utils/routes'
import { StaffRoles, hasRole } from '../components/staff-scope'
import '../components/staff.scss'

const ENTRIES: Array<{ key: string; title: string; sub: string; url: string; roles: readonly Role[] }> = [
  { key: 'points', title: '核酸检测点', sub: '新增、编辑检测点，审核增设申请', url: Routes.staffPoints, roles: StaffRoles.points },
  { key: 'stations', title: '法律服务站', sub: '服务站、咨询人员、排班与预约', url: Routes.staffStations, roles: StaffRoles.stations },
  { key: 'hazards', title: '隐患台账', sub: '核实、鉴定、整改、销账，导出表格', url: Routes.staffHazards, roles: StaffRoles.hazards },
  { key: 'activities', title: '志愿活动', sub: '发布活动、签到码、报名名单', url: Routes.staffActivities, roles: StaffRoles.activities },
  { key: 'volunteers', title: '志愿者审核', sub: '审核反诈志愿者注册', url: Routes.staffVolunteers, roles: StaffRoles.volunteers },
  { key: 'alerts', title: '反诈预警', sub: '发布预警信息', url: Routes.staffAlerts, roles: StaffRoles.alerts },
  { key: 'places', title: '一码通', sub: '楼栋、商铺、设施的上报二维码', url: Routes.gridPlaces(), roles: ['grid_worker', 'community_staff', 'street_admin', 'district_admin'] },
  { key: 'profile', title: '网格档案', sub: '人、地、物、情、事、组织', url: Routes.gridProfile(), roles: ['grid_worker', 'community_staff', 'street_admin', 'district_admin'] }
]

/** The staff side of the resident services: one entry per service the staff member's role may run. */
export default function ServicesStaffHub() {
  const session = useSession()
  const staffRoles = ['grid_worker', 'community_staff', 'street_admin', 'district_admin', 'department_staff'] as const
  return (
    <PageShell className='services-staff-hub'>
      <StaffOnly roles={staffRoles} back={Routes.staffServices}>
        <View className='muted'>{session && isStaffRole(session.user.role) ? `${ROLE_LABELS[session.user.role] ?? ''} · ${session.user.displayName}` : ''}</View>
        <View className='card staff-links'>
          {ENTRIES.filter((e) => hasRole(session, e.roles)).map((e) => (
            <View key={e.key} className={`row staff-link-${e.key}`} role='button' onClick={() => openPage(e.url)}>
              <View className='switch-text'>
                <Text>{e.title}</Text>
                <Text className='muted'>{e.sub}</Text>
              </View>
              <Text className='muted'>›</Text>
            </View>
          ))}
        </View>
      </StaffOnly>
    </PageShell>
  )
}
