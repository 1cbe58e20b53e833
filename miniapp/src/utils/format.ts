import {
  STATE_GROUP,
  chinaClock,
  type ActivityKind,
  type BookingStatus,
  type HazardEvent,
  type HazardKind,
  type HazardStatus,
  type OpeningHours,
  type ProviderKind,
  type QueueLevel,
  type RiskLevel,
  type SignupStatus,
  type StationKind,
  type StationLevel,
  type TestingPointStatus,
  type TicketEvent,
  type TicketState,
  type TimelineEvent,
  type VolunteerStatus
} from '@palm/shared'

/**
 * What pages show for codes, enums, times and amounts: Chinese names of every enum value (pages never
 * show a raw code) and Beijing-time dates, whatever the phone's time zone.
 */
export const STATE_LABELS: Record<TicketState, string> = {
  submitted: '已提交',
  assigned: '待签收',
  accepted: '已签收',
  in_progress: '处理中',
  resolved: '已办结',
  closed: '已关闭',
  returned: '已退回',
  rejected: '不予受理',
  cancelled: '已撤销',
  suspended: '已挂起'
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
  close: '关闭',
  extend_request: '申请延期',
  extend_approve: '批准延期',
  extend_deny: '驳回延期',
  suspend: '挂起',
  resume: '恢复办理',
  cohandle: '邀请协办',
  cohandle_reply: '协办意见',
  callback: '回访',
  press: '催办'
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

/** "11月28日 14:05" this year, "2025年11月28日 14:05" otherwise (Beijing time). */
export function formatTime(iso: string | null | undefined, now = new Date()): string {
  if (!iso || Number.isNaN(Date.parse(iso))) return ''
  const [y, m, d] = dateKeyOf(iso).split('-').map(Number)
  const day = String(y) === chinaClock(now).dateKey.slice(0, 4) ? `${m}月${d}日` : `${y}年${m}月${d}日`
  return `${day} ${formatClock(iso)}`
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

/** Chinese names of the services' enum values; pages never show a raw code. */
export const POINT_STATUS_LABELS: Record<TestingPointStatus, string> = { open: '开放', paused: '暂停', closed: '已关闭' }
export const QUEUE_LABELS: Record<QueueLevel, string> = { none: '无需排队', short: '排队较短', long: '排队较长' }
export const STATION_LEVEL_LABELS: Record<StationLevel, string> = { district: '区级', street: '街道', community: '社区', special: '专门机构' }
export const STATION_KIND_LABELS: Record<StationKind, string> = {
  legal_aid_centre: '法律援助中心',
  legal_service_station: '法律服务站',
  legal_service_room: '法律服务室',
  marriage_family_1826: '“1826”婚姻家庭辅导站',
  mediation_centre: '矛盾纠纷调处中心'
}
export const PROVIDER_KIND_LABELS: Record<ProviderKind, string> = { lawyer: '律师', mediator: '调解员', counsellor: '咨询师' }
export const BOOKING_STATUS_LABELS: Record<BookingStatus, string> = { booked: '已预约', cancelled: '已取消', no_show: '未到场', completed: '已咨询' }
export const HAZARD_KIND_LABELS: Record<HazardKind, string> = { self_built_house: '自建房', fire: '消防', gas: '燃气', other: '其他' }
export const HAZARD_STATUS_LABELS: Record<HazardStatus, string> = {
  reported: '已上报',
  verified: '已核实',
  appraised: '已鉴定',
  rectifying: '整改中',
  closed: '已销账'
}
export const HAZARD_EVENT_LABELS: Record<HazardEvent, string> = {
  verify: '核实属实',
  appraise: '录入鉴定结论',
  start_rectification: '开始整改',
  close: '整改完成销账',
  dismiss: '核实不属实销账'
}
export const RISK_LABELS: Record<RiskLevel, string> = { low: '低', medium: '中', high: '高', critical: '重大' }
export const VOLUNTEER_STATUS_LABELS: Record<VolunteerStatus, string> = { pending: '审核中', approved: '已通过', rejected: '未通过' }
export const ACTIVITY_KIND_LABELS: Record<ActivityKind, string> = { publicity: '宣传', training: '培训', patrol: '走访', other: '其他' }
export const SIGNUP_STATUS_LABELS: Record<SignupStatus, string> = { confirmed: '已报名', waitlisted: '候补中', cancelled: '已取消' }
export const ALERT_LEVEL_LABELS: Record<'info' | 'warning' | 'urgent', string> = { info: '提示', warning: '预警', urgent: '紧急' }

export const WEEKDAY_LABELS = ['', '周一', '周二', '周三', '周四', '周五', '周六', '周日'] as const

/** "周一至周五 08:00–11:30；周六 09:00–11:00": consecutive days with the same periods are joined. */
export function formatOpeningHours(hours: OpeningHours): string {
  const byDay = new Map<number, string>()
  for (let day = 1; day <= 7; day++) {
    const periods = hours.weekly
      .filter((p) => p.day === day)
      .sort((a, b) => a.open.localeCompare(b.open))
      .map((p) => `${p.open}–${p.close}`)
    if (periods.length) byDay.set(day, periods.join('、'))
  }
  const parts: string[] = []
  let start = 0
  for (let day = 1; day <= 8; day++) {
    const same = start > 0 && byDay.get(day) === byDay.get(start)
    if (same) continue
    if (start > 0) {
      const end = day - 1
      const days = end === start ? WEEKDAY_LABELS[start] : `${WEEKDAY_LABELS[start]}至${WEEKDAY_LABELS[end]}`
      parts.push(`${days} ${byDay.get(start) ?? ''}`)
    }
    start = byDay.has(day) ? day : 0
  }
  return parts.length ? parts.join('；') : '暂无开放时间'
}

/** The Beijing calendar date of an instant, `YYYY-MM-DD`. */
export function dateKeyOf(iso: string): string {
  return chinaClock(new Date(iso)).dateKey
}

/** "11月30日 周二" for a `YYYY-MM-DD` day. */
export function formatDay(dateKey: string): string {
  const [, m, d] = dateKey.split('-').map(Number)
  const weekday = new Date(`${dateKey}T00:00:00Z`).getUTCDay()
  return `${m}月${d}日 ${WEEKDAY_LABELS[weekday === 0 ? 7 : weekday]}`
}

/** "14:30" in Beijing time. */
export function formatClock(iso: string): string {
  const minute = chinaClock(new Date(iso)).minuteOfDay
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`
}

/** "11月30日 周二 14:30–15:00". */
export function formatSpan(startsAt: string, endsAt: string): string {
  const sameDay = dateKeyOf(startsAt) === dateKeyOf(endsAt)
  return sameDay
    ? `${formatDay(dateKeyOf(startsAt))} ${formatClock(startsAt)}–${formatClock(endsAt)}`
    : `${formatDay(dateKeyOf(startsAt))} ${formatClock(startsAt)} 至 ${formatDay(dateKeyOf(endsAt))} ${formatClock(endsAt)}`
}

/** "2 小时" / "30 分钟" for a station's lead or cut-off. */
export function formatMinutes(minutes: number): string {
  if (minutes % 1440 === 0 && minutes >= 1440) return `${minutes / 1440} 天`
  if (minutes % 60 === 0 && minutes >= 60) return `${minutes / 60} 小时`
  return `${minutes} 分钟`
}

/** Service hours as people say them: "3 小时", "1.5 小时". */
export function formatHours(hours: number): string {
  return `${Math.round(hours * 10) / 10} 小时`
}

/** `YYYY-MM-DD` + `HH:MM` (Beijing) → an ISO instant with +08:00, as the API takes it. */
export function beijingIso(dateKey: string, hhmm: string): string {
  return `${dateKey}T${hhmm}:00+08:00`
}
