import type { AuditAction, AuditEventView } from '@palm/shared'
import { ROLE_LABELS } from '../../../utils/format'

/** Plain Chinese for each action (docs/audit.md lists them). */
export const AUDIT_ACTION_LABELS: Record<AuditAction, string> = {
  'auth.sign_in': '工作人员登录',
  'auth.sign_in_failed': '登录失败',
  'auth.wechat_sign_in': '微信登录',
  'ticket.transition': '工单办理',
  'ticket.view_contact': '查看工单个人信息',
  'ticket.export': '导出工单',
  'account.create': '新建账号',
  'account.update': '修改账号',
  'account.reset_password': '重置密码',
  'account.reset_totp': '重置验证器',
  'account.disable': '停用账号',
  'account.enable': '启用账号',
  'account.password_change': '本人修改密码',
  'account.wechat_bind': '绑定微信',
  'account.wechat_unbind': '解绑微信',
  'category.create': '新增事项分类',
  'category.update': '修改事项分类',
  'reply_template.create': '新增常用语',
  'reply_template.update': '修改常用语',
  'reply_template.delete': '删除常用语',
  'department.create': '新增职能部门',
  'department.update': '修改职能部门',
  'routing_rule.create': '新增分拨规则',
  'routing_rule.update': '修改分拨规则',
  'routing_rule.delete': '删除分拨规则',
  'territory.import': '导入辖区',
  'duty.on_duty': '上岗/离岗',
  'duty.roster': '修改排班',
  'duty.leave_add': '登记请假',
  'duty.leave_delete': '取消请假',
  'service.write': '便民服务办理',
  'service.view_personal': '查看居民个人信息',
  'service.export': '导出台账',
  'audit.export': '导出审计日志',
  'publication.release': '公开栏放行',
  'publication.withhold': '公开栏不予公开',
  'privacy.consent_given': '居民同意隐私政策',
  'privacy.consent_withdrawn': '居民撤回同意',
  'privacy.export': '居民导出个人数据',
  'privacy.account_delete': '居民注销账号',
  'open311.key_create': '新建 Open311 密钥',
  'open311.key_revoke': '吊销 Open311 密钥',
  'open311.key_use': '使用 Open311 密钥',
  'place.create': '新建一码通地点',
  'place.delete': '删除一码通地点',
  'grid_profile.counts': '修改网格人口数',
  'grid_profile.import': '导入网格人口数',
  'grid_profile.entry_add': '添加网格档案条目',
  'grid_profile.entry_delete': '删除网格档案条目',
  'grid_contact.office': '修改社区办公信息',
  'grid_contact.worker_card': '修改网格员工作电话',
  'stats.weights_update': '修改考评权重'
}

/** The filter choices of the page: all, or one of the most asked-for kinds. */
export const ACTION_CHOICES: ReadonlyArray<{ value: AuditAction | 'all'; label: string }> = [
  { value: 'all', label: '全部' },
  { value: 'ticket.transition', label: '工单办理' },
  { value: 'ticket.view_contact', label: '查看个人信息' },
  { value: 'auth.sign_in_failed', label: '登录失败' },
  { value: 'account.create', label: '新建账号' },
  { value: 'service.export', label: '导出' }
]

/** One line of a row: when, who (role and id), what, which object. */
export function describeEvent(e: AuditEventView): { title: string; who: string; what: string } {
  const label = (AUDIT_ACTION_LABELS as Record<string, string>)[e.action] ?? e.action
  const when = new Date(e.at).toLocaleString('zh-CN', { hour12: false })
  const role = e.actorRole ? (ROLE_LABELS[e.actorRole] ?? e.actorRole) : ''
  const who = e.actorId ? `${role} ${e.actorId.slice(0, 8)}` : '系统 / 未登录'
  const object = e.objectId ? `${e.objectType} ${e.objectId.slice(0, 12)}` : e.objectType
  return { title: `${when} · ${label}`, who: `${who}${e.clientAddress ? ` · ${e.clientAddress}` : ''}`, what: object }
}
