import { STATE_GROUP, type TicketEvent, type TicketState, type TimelineEvent } from '@palm/shared'

export const STATE_LABELS: Record<TicketState, string> = {
  submitted: '已提交',
  assigned: '待签收',
  accepted: '已签收',
  in_progress: '处理中',
  resolved: '已办结',
  closed: '已关闭',
  returned: '已退回',
  rejected: '不予受理',
  cancelled: '已撤销'
}

export const EVENT_LABELS: Record<TimelineEvent, string> = {
  submit: '提交',
  assign: '分派',
  accept: '签收',
  start: '开始处理',
  reply: '回复',
  resolve: '办结',
  return: '退单',
  transfer: '转派',
  escalate: '上报',
  reject: '不予受理',
  cancel: '撤销',
  rate: '评价',
  reopen: '重新办理',
  urge: '督办',
  close: '关闭'
}

/** Button text for each staff or resident action. */
export const ACTION_LABELS: Record<TicketEvent, string> = { ...EVENT_LABELS, start: '开始处理', resolve: '办结', rate: '评价' }

export const ROLE_LABELS: Record<string, string> = {
  resident: '居民',
  volunteer: '志愿者',
  grid_worker: '网格员',
  community_staff: '社区工作人员',
  street_admin: '街道综治中心',
  district_admin: '区综治中心',
  department_staff: '职能部门',
  system: '系统'
}

export const RATING_LABELS: Record<number, string> = { 1: '很不满意', 2: '不满意', 3: '一般', 4: '基本满意', 5: '满意' }

export function stateTone(state: TicketState): 'ok' | 'warn' | 'danger' | 'plain' {
  if (state === 'resolved' || state === 'closed') return 'ok'
  if (state === 'rejected' || state === 'cancelled') return 'plain'
  if (state === 'returned') return 'danger'
  return STATE_GROUP[state] === 'open' ? 'warn' : 'plain'
}

const pad = (n: number) => String(n).padStart(2, '0')

/** Beijing time (UTC+8) whatever the phone's zone: the district works on Beijing time. */
function beijingParts(iso: string) {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return undefined
  const t = new Date(d.getTime() + 8 * 3600_000)
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate(), h: t.getUTCHours(), min: t.getUTCMinutes() }
}

/** "11月28日 14:05" this year, "2025年11月28日 14:05" otherwise. */
export function formatTime(iso: string | null | undefined, now = new Date()): string {
  if (!iso) return ''
  const p = beijingParts(iso)
  const n = beijingParts(now.toISOString())
  if (!p || !n) return ''
  const day = p.y === n.y ? `${p.m}月${p.d}日` : `${p.y}年${p.m}月${p.d}日`
  return `${day} ${pad(p.h)}:${pad(p.min)}`
}

/** "还剩 3 小时" / "已超时 2 天" for a due time. */
export function formatDue(iso: string | null | undefined, now = new Date()): { text: string; overdue: boolean } {
  if (!iso) return { text: '', overdue: false }
  const diff = new Date(iso).getTime() - now.getTime()
  if (Number.isNaN(diff)) return { text: '', overdue: false }
  const abs = Math.abs(diff)
  const span = abs >= 86_400_000 ? `${Math.round(abs / 86_400_000)} 天` : abs >= 3_600_000 ? `${Math.round(abs / 3_600_000)} 小时` : `${Math.max(1, Math.round(abs / 60_000))} 分钟`
  return diff >= 0 ? { text: `还剩 ${span}`, overdue: false } : { text: `已超时 ${span}`, overdue: true }
}

export function formatRate(rate: number | null | undefined): string {
  if (rate === null || rate === undefined) return '—'
  return `${(rate * 100).toFixed(1)}%`
}

export function formatDistance(metres: number): string {
  return metres < 1000 ? `${Math.round(metres)} 米` : `${(metres / 1000).toFixed(1)} 公里`
}
