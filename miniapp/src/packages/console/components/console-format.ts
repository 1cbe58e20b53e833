import { formatWorkingMinutes, type RoutingPreviewView, type RoutingRuleMode, type TicketKind } from '@palm/shared'

/** Plain Chinese for what the console shows (docs/console.md). */
export const KIND_LABELS: Record<TicketKind, string> = {
  report: '事件上报',
  testing_point_request: '增设检测点申请',
  legal_consultation: '法律咨询',
  fraud_tip: '反诈举报',
  hazard_tip: '隐患举报'
}

export const MODE_LABELS: Record<RoutingRuleMode, string> = {
  instead: '只转部门（不经网格）',
  beside: '网格处理，同时抄送部门'
}

/** Limits are edited in working hours (1 working day = 7.5 hours) and stored in working minutes. */
export function hoursText(minutes: number): string {
  return String(Math.round((minutes / 60) * 100) / 100)
}

/** "2" → 120, "0.5" → 30; NaN for what is not a number (the schema then names the field). */
export function minutesFrom(hours: string): number {
  const text = hours.trim()
  if (!/^\d+(\.\d+)?$/.test(text)) return Number.NaN
  return Math.round(Number(text) * 60)
}

export const limitText = (minutes: number) => formatWorkingMinutes(minutes)

/**
 * The preview in one sentence: "最近50件中有12件将改派至 区住建局" (several targets: the largest
 * first, "等"), or that nothing would move.
 */
export function previewHeadline(p: RoutingPreviewView): string {
  if (p.total === 0) return `「${p.category.name}」还没有工单，保存后从下一件起按新规则分拨`
  if (p.changed === 0) return `最近${p.total}件中没有工单会改派`
  const first = p.byTarget[0]
  const where = first ? `${first.target.label}${p.byTarget.length > 1 ? ` 等 ${p.byTarget.length} 处` : ''}` : ''
  return `最近${p.total}件中有${p.changed}件将改派至 ${where}`
}
