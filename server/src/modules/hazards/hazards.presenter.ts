import type { HazardKind, HazardStatus, HazardView, RiskLevel } from '@palm/shared'
import type { EntityManager } from 'typeorm'
import { loadTerritoryNames, type TerritoryNames } from '../territory/index'
import type { HazardEntry, HazardEntryEvent } from './hazard.entity'
import { presentPoint } from '../../http/coords'

/** Overdue: a rectification deadline that has passed while the entry is still open (not 销账). */
export function isHazardOverdue(entry: Pick<HazardEntry, 'status' | 'rectificationDeadline'>, now: Date): boolean {
  return entry.status !== 'closed' && entry.rectificationDeadline !== null && entry.rectificationDeadline.getTime() < now.getTime()
}

export function presentHazard(entry: HazardEntry, names: TerritoryNames, now: Date, events?: HazardEntryEvent[]): HazardView {
  return {
    id: entry.id,
    number: entry.number,
    street: names.street(entry.streetCode) ?? { code: entry.streetCode, name: entry.streetCode },
    community: names.community(entry.communityCode),
    gridCode: entry.gridCode,
    place: entry.place,
    building: entry.building,
    kind: entry.kind as HazardKind,
    riskLevel: entry.riskLevel as RiskLevel,
    description: entry.description,
    location: entry.lat !== null && entry.lng !== null ? presentPoint(entry.lat, entry.lng) : null,
    status: entry.status as HazardStatus,
    appraisal: entry.appraisal,
    appraisalOrg: entry.appraisalOrg,
    rectificationPlan: entry.rectificationPlan,
    rectificationDeadline: entry.rectificationDeadline ? entry.rectificationDeadline.toISOString() : null,
    overdue: isHazardOverdue(entry, now),
    sourceTicketId: entry.sourceTicketId,
    createdAt: entry.createdAt.toISOString(),
    closedAt: entry.closedAt ? entry.closedAt.toISOString() : null,
    ...(events
      ? {
          events: events.map((e) => ({
            at: e.at.toISOString(),
            event: e.event,
            fromStatus: e.fromStatus,
            toStatus: e.toStatus,
            actor: { role: e.actorRole, displayName: e.actorName },
            note: e.note
          }))
        }
      : {})
  }
}

/** Views of a page of entries, with the names of their streets and communities (two reads). */
export async function presentHazards(em: EntityManager, entries: readonly HazardEntry[], now: Date): Promise<HazardView[]> {
  const names = await loadTerritoryNames(em, { streetCodes: entries.map((e) => e.streetCode), communityCodes: entries.map((e) => e.communityCode) })
  return entries.map((e) => presentHazard(e, names, now))
}

/** The detail view of one entry with its history. */
export async function presentHazardDetail(em: EntityManager, detail: { entry: HazardEntry; events: HazardEntryEvent[] }, now: Date): Promise<HazardView> {
  const names = await loadTerritoryNames(em, { streetCodes: [detail.entry.streetCode], communityCodes: [detail.entry.communityCode] })
  return presentHazard(detail.entry, names, now, detail.events)
}

const KIND_LABELS: Record<string, string> = { self_built_house: '自建房', fire: '消防', gas: '燃气', other: '其他' }
const RISK_LABELS: Record<string, string> = { low: '低', medium: '中', high: '高', critical: '重大' }
const STATUS_LABELS: Record<string, string> = { reported: '已上报', verified: '已核实', appraised: '已鉴定', rectifying: '整改中', closed: '已销账' }

export const HAZARD_CSV_HEADER = [
  '台账编号',
  '街道',
  '社区',
  '网格',
  '地点',
  '楼栋',
  '隐患类型',
  '风险等级',
  '状态',
  '鉴定机构',
  '鉴定结论',
  '整改方案',
  '整改期限',
  '是否逾期',
  '登记时间',
  '销账时间',
  '情况描述'
] as const

/** One ledger line of the export, in Chinese labels; Beijing-time dates. No reporter, ever. */
export function hazardCsvRow(view: HazardView): Array<string | null> {
  const local = (iso: string | null) => (iso ? new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ') : null)
  return [
    view.number,
    view.street.name,
    view.community?.name ?? null,
    view.gridCode,
    view.place,
    view.building,
    KIND_LABELS[view.kind] ?? view.kind,
    RISK_LABELS[view.riskLevel] ?? view.riskLevel,
    STATUS_LABELS[view.status] ?? view.status,
    view.appraisalOrg,
    view.appraisal,
    view.rectificationPlan,
    local(view.rectificationDeadline),
    view.overdue ? '是' : '否',
    local(view.createdAt),
    local(view.closedAt),
    view.description
  ]
}
