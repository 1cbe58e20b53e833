import { TicketLimits, type CoordSystem, type CreateTicketInput, type FieldIssue, type TicketSource } from '@palm/shared'
import { newIdempotencyKey } from './idempotency'
import { StorageKeys, readStored, removeStored, writeStored } from './storage'

/** A photo of the draft: uploaded as soon as it is picked, so its id survives the app being killed. */
export interface DraftPhoto {
  localPath: string
  uploadId?: string
}

/**
 * The report being written, kept in storage on every change (it survives the app being killed) and
 * removed only after the server answered 201. `idempotencyKey` is made with the draft and sent with
 * every attempt to submit it, so a retry after a lost answer cannot file it twice.
 */
export interface ReportDraft {
  idempotencyKey: string
  createdAt: string
  category?: string
  description: string
  photos: DraftPhoto[]
  /** GPS (wgs84) or the map pick (the map's system: gcj02 on WeChat); sent as it is, the server converts (docs/maps.md). */
  location?: { lat: number; lng: number; coordSystem?: CoordSystem }
  /** What the resident sees for the point: "水泊寺街道 永和社区" or a map place name. */
  locationLabel?: string
  communityCode?: string
  communityName?: string
  address: string
  allowPublication: boolean
  /**
   * Staff filing (grid workers, community staff): 代报 for a resident, with their phone and name, or
   * the worker's own patrol find (巡查发现). Absent for residents (docs/handling.md).
   */
  source?: TicketSource
  onBehalfPhone?: string
  onBehalfName?: string
}

function emptyDraft(): ReportDraft {
  return { idempotencyKey: newIdempotencyKey(), createdAt: new Date().toISOString(), description: '', photos: [], address: '', allowPublication: true }
}

/** The stored draft, or a new one (with its own key) written at once. */
export function loadDraft(): ReportDraft {
  const stored = readStored<ReportDraft>(StorageKeys.reportDraft)
  if (stored && typeof stored.idempotencyKey === 'string') return { ...emptyDraft(), ...stored }
  const fresh = emptyDraft()
  writeStored(StorageKeys.reportDraft, fresh)
  return fresh
}

export function saveDraft(draft: ReportDraft): void {
  writeStored(StorageKeys.reportDraft, draft)
}

/** Only after a 201: the ticket exists, the draft has done its job. */
export function clearDraft(): void {
  removeStored(StorageKeys.reportDraft)
}

/**
 * The server refused the submission with a definite answer (4xx), so nothing was created under
 * this key; the corrected report is a new submission and gets a new key (same key + new body would
 * be a 422).
 */
export function renewDraftKey(draft: ReportDraft): ReportDraft {
  const next = { ...draft, idempotencyKey: newIdempotencyKey() }
  saveDraft(next)
  return next
}

/** The request body the draft stands for (photos that were not uploaded yet are not in it). */
export function draftToInput(draft: ReportDraft): CreateTicketInput {
  const attachmentIds = draft.photos.flatMap((p) => (p.uploadId ? [p.uploadId] : []))
  return {
    kind: 'report',
    category: draft.category ?? '',
    description: draft.description,
    ...(draft.location ? { location: draft.location } : {}),
    ...(!draft.location && draft.communityCode ? { communityCode: draft.communityCode } : {}),
    ...(draft.address.trim() ? { address: draft.address.trim() } : {}),
    ...(attachmentIds.length ? { attachmentIds } : {}),
    allowPublication: draft.allowPublication,
    ...(draft.source && draft.source !== 'resident' ? { source: draft.source } : {}),
    ...(draft.source === 'on_behalf' ? { onBehalf: { phone: (draft.onBehalfPhone ?? '').trim(), ...(draft.onBehalfName?.trim() ? { name: draft.onBehalfName.trim() } : {}) } } : {})
  }
}

export type ReportField = 'category' | 'description' | 'photos' | 'location' | 'address' | 'allowPublication' | 'onBehalfPhone' | 'onBehalfName'

/** Which form field a schema or server path belongs to ("location.lat" → location). */
export function fieldOfPath(path: string): ReportField | undefined {
  const head = path.split('.')[0]
  if (head === 'category' || head === 'description' || head === 'address' || head === 'allowPublication') return head
  if (head === 'attachmentIds') return 'photos'
  if (head === 'location' || head === 'communityCode') return 'location'
  if (head === 'onBehalf') return path === 'onBehalf.name' ? 'onBehalfName' : 'onBehalfPhone'
  return undefined
}

/** Plain Chinese for a schema issue, by field and zod code (the server sends the same codes). */
export function reportIssueMessage(field: ReportField, code: string): string {
  switch (field) {
    case 'category':
      return '请选择问题类别'
    case 'description':
      return code === 'too_big' ? `问题描述不能超过 ${TicketLimits.descriptionMax} 字` : '请描述您遇到的问题'
    case 'photos':
      return `最多上传 ${TicketLimits.maxPhotos} 张照片`
    case 'location':
      return code === 'out_of_district' ? '该位置不在平城区内，请重新定位或选择社区' : '请定位或选择所在社区'
    case 'address':
      return `详细地址不能超过 ${TicketLimits.addressMax} 字`
    case 'onBehalfPhone':
      return '代报需填写群众的 11 位手机号，便于回访'
    case 'onBehalfName':
      return '称呼不能超过 32 字'
    default:
      return '此项填写有误'
  }
}

/** Field errors from issues (schema or server): first message per field. */
export function reportFieldErrors(issues: readonly Pick<FieldIssue, 'path' | 'code'>[]): Partial<Record<ReportField, string>> {
  const out: Partial<Record<ReportField, string>> = {}
  for (const issue of issues) {
    const field = fieldOfPath(issue.path)
    if (field && !out[field]) out[field] = reportIssueMessage(field, issue.code)
  }
  return out
}
