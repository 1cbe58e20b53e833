import { TerritoryImportLimits, type TerritoryImportReport, type TerritoryIssue, type TerritoryIssueCode, type TerritoryLevel } from '@palm/shared'

/** Plain-Chinese names of the report's issue codes; the code itself is shown beside, for the operator's data team. */
export const ISSUE_LABELS: Record<TerritoryIssueCode, string> = {
  invalid_feature: '要素格式不对',
  unknown_level: '层级不明（应为 street / community / grid）',
  invalid_code: '编码格式不对',
  missing_name: '缺少名称',
  duplicate_code: '编码重复',
  unknown_parent: '上级编码在文件中找不到',
  unknown_street: '不是本区的 18 个街道之一',
  missing_geometry: '缺少边界',
  invalid_geometry_type: '边界类型不对（网格须为 Polygon）',
  invalid_coordinates: '坐标不对',
  too_few_points: '边界点太少',
  unclosed_ring: '边界没有闭合',
  self_intersection: '边界自相交',
  outside_district: '坐标超出平城区',
  outside_parent: '超出上级边界',
  overlap: '与同级重叠',
  gap: '存在缝隙（未被下级覆盖）',
  removed_in_use: '文件中缺少，但仍在使用',
  moved_in_use: '要改归属，但仍在使用',
  removed: '文件中缺少，将被删除',
  too_many_issues: '问题太多，未全部列出'
}

const LEVEL_LABELS: Record<TerritoryLevel, string> = { street: '街道', community: '社区/村', grid: '网格' }

/** "网格 066-012" or "网格 066-012 与 066-013": which feature an issue is about. */
export function issueSubject(issue: TerritoryIssue): string {
  const level = issue.level ? LEVEL_LABELS[issue.level] : ''
  const code = issue.featureCode ?? ''
  const other = issue.otherCode ? ` 与 ${issue.otherCode}` : ''
  return `${level} ${code}${other}`.trim()
}

/** Square metres as people read them: 12.5 m², 3,400 m², 1.25 km². */
export function formatArea(m2: number): string {
  if (m2 >= 1_000_000) return `${(m2 / 1_000_000).toFixed(2)} 平方公里`
  return `${m2 >= 100 ? Math.round(m2).toLocaleString('en-US') : m2} 平方米`
}

/** The one-line verdict at the top of the report. */
export function reportVerdict(report: TerritoryImportReport): string {
  if (!report.valid) return `检查未通过：${report.errors.length} 个错误，须改正后再导入`
  if (report.written) return `已导入，辖区版本 ${report.version}；各服务器 30 秒内启用新网格`
  if (!report.dryRun) return '文件与现有辖区完全一致，没有写入任何内容'
  const changes = report.counts.created + report.counts.updated + report.counts.removed
  return changes === 0 ? '检查通过：与现有辖区完全一致，无需导入' : '检查通过：可以导入'
}

/** Size of the chosen files, refused before sending when over the server's limit. */
export function tooLarge(totalBytes: number): boolean {
  return totalBytes > TerritoryImportLimits.maxBytes
}

export const MAX_MB = TerritoryImportLimits.maxBytes / 1024 / 1024

const RECORD_LABELS: Record<string, string> = {
  testing_points: '检测点',
  legal_stations: '法律服务站',
  volunteers: '志愿者',
  volunteer_activities: '志愿活动',
  hazard_entries: '隐患台账'
}

/** What still uses a grid or community that the file would remove or move, in plain words. */
export function usesLine(issue: TerritoryIssue): string | undefined {
  const parts = [
    issue.ticketNumbers?.length ? `未办结工单 ${issue.ticketNumbers.join('、')}` : '',
    issue.staffAccounts?.length ? `工作人员账号 ${issue.staffAccounts.join('、')}` : '',
    issue.otherRecords?.length ? issue.otherRecords.map((r) => RECORD_LABELS[r] ?? r).join('、') : ''
  ].filter(Boolean)
  return parts.length ? `仍在使用：${parts.join('；')}` : undefined
}
