import { SUPERVISOR_ROLES, type Role, type StaffRole } from '@palm/shared'
import { Routes } from '../../../utils/routes'

/** A link of the admin hub and who sees it (the server checks the role again on every call). */
export interface HubLink {
  key: string
  title: string
  text: string
  url: string
  roles: readonly Role[]
}

export const HUB_LINKS: readonly HubLink[] = [
  { key: 'accounts', title: '账号管理', text: '查看账号；管理员可新建、调整辖区、停用、重置密码', url: Routes.adminAccounts, roles: SUPERVISOR_ROLES },
  { key: 'duty', title: '排班与在岗', text: '谁现在在岗、每周排班、请假', url: Routes.adminDuty, roles: SUPERVISOR_ROLES },
  { key: 'contacts', title: '网格联系方式', text: '社区电话、网格员工作电话（居民在“我的网格”里拨打）', url: Routes.gridContacts, roles: SUPERVISOR_ROLES },
  { key: 'categories', title: '事项分类', text: '分类、签收与办结时限', url: Routes.consoleCategories, roles: ['district_admin'] },
  { key: 'departments', title: '职能部门', text: '部门名单与启用', url: Routes.consoleDepartments, roles: ['district_admin'] },
  { key: 'rules', title: '分拨规则', text: '哪类事项交哪个部门，保存前回放', url: Routes.consoleRules, roles: ['district_admin'] },
  { key: 'territory', title: '辖区导入', text: '街道、社区、网格边界（GeoJSON）', url: Routes.territoryImport, roles: ['district_admin'] },
  { key: 'open311', title: 'Open311 密钥', text: '第三方应用（如 12345 平台）提交和查询的密钥', url: Routes.open311Keys, roles: ['district_admin'] },
  { key: 'audit', title: '审计日志', text: '谁在何时做了什么、看了谁的信息；可筛选、导出', url: Routes.auditLog, roles: ['district_admin'] }
]

/** The hub's links for a role, in order. */
export function hubLinksFor(role: Role | undefined): HubLink[] {
  return role ? HUB_LINKS.filter((l) => l.roles.includes(role)) : []
}

/**
 * The roles an admin may create (docs/accounts-and-duty.md): the district every staff role, a
 * street its community staff and grid workers, community staff none (they only list).
 */
export function creatableRoles(role: Role | undefined): StaffRole[] {
  if (role === 'district_admin') return ['grid_worker', 'community_staff', 'street_admin', 'department_staff', 'district_admin']
  if (role === 'street_admin') return ['grid_worker', 'community_staff']
  return []
}

/** Whether the admin may change accounts at all (community staff only look). */
export function managesAccounts(role: Role | undefined): boolean {
  return creatableRoles(role).length > 0
}

export const STAFF_ROLE_LABELS: Record<StaffRole, string> = {
  grid_worker: '网格员',
  community_staff: '社区工作人员',
  street_admin: '街道综治中心',
  district_admin: '区综治中心',
  department_staff: '职能部门'
}

/** The secret of an otpauth:// URI, for typing into an authenticator app by hand. */
export function totpSecretOf(uri: string): string | undefined {
  const m = /[?&]secret=([A-Z2-7=]+)/i.exec(uri)
  return m?.[1]?.toUpperCase()
}

/** "ABCD EFGH IJKL …": a long secret in groups of four, easier to read out and type. */
export function groupByFour(secret: string): string {
  return secret.replace(/(.{4})/g, '$1 ').trim()
}
