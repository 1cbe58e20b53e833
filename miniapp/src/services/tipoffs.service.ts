import {
  CreateTicketSchema,
  FraudTipDetailsSchema,
  HazardTipDetailsSchema,
  TipoffLimits,
  type CreateTicketInput,
  type FraudTipDetails,
  type HazardKind,
  type HazardTipDetails,
  type TicketView
} from '@palm/shared'
import { fieldByHead, fieldErrorsFrom, schemaIssues, textMessage, type PathIssue } from './form-errors'
import { ticketsService } from './tickets.service'

/**
 * Fraud and hazard tip-offs are tickets (kinds fraud_tip and hazard_tip) with their leads in
 * `details`; the shared CreateTicketSchema checks those details on the phone before sending, with
 * the same field paths (`details.phone`, `details.url`) the server's 400 would use.
 */

export interface FraudTipForm {
  category?: string
  phone: string
  url: string
  paymentAccount: string
  appName: string
  /** As typed; an amount that is not a number fails the schema. */
  amountLost: string
  whatHappened: string
  anonymous: boolean
}

export const FRAUD_FIELDS = ['category', 'phone', 'url', 'paymentAccount', 'appName', 'amountLost', 'whatHappened'] as const
export type FraudField = (typeof FRAUD_FIELDS)[number]

export function emptyFraudTip(): FraudTipForm {
  return { phone: '', url: '', paymentAccount: '', appName: '', amountLost: '', whatHappened: '', anonymous: false }
}

const optional = (s: string) => (s.trim() ? s.trim() : undefined)

/** The request body; what happened is the ticket's description (what staff read first). */
export function fraudTipToInput(form: FraudTipForm): CreateTicketInput {
  const amount = optional(form.amountLost)
  const details: FraudTipDetails = {
    ...(optional(form.phone) ? { phone: form.phone.trim() } : {}),
    ...(optional(form.url) ? { url: form.url.trim() } : {}),
    ...(optional(form.paymentAccount) ? { paymentAccount: form.paymentAccount.trim() } : {}),
    ...(optional(form.appName) ? { appName: form.appName.trim() } : {}),
    ...(amount !== undefined ? { amountLost: Number(amount) } : {})
  }
  return { kind: 'fraud_tip', category: form.category ?? '', description: form.whatHappened, anonymous: form.anonymous, allowPublication: false, details }
}

const FRAUD_MESSAGES = {
  category: '请选择诈骗类型',
  phone: '请输入正确的电话号码（手机、带区号的座机，或 400、95 开头的号码）',
  url: '请输入完整网址，以 http:// 或 https:// 开头',
  paymentAccount: `收款账户不能超过 ${TipoffLimits.accountMax} 个字符`,
  appName: `App 名称不能超过 ${TipoffLimits.appNameMax} 个字符`,
  amountLost: '请输入正确的金额（元），没有损失可不填',
  whatHappened: textMessage('请说明发生了什么', TipoffLimits.textMax)
}

const fraudFieldOf = fieldByHead(FRAUD_FIELDS, { description: 'whatHappened' })

/** Field errors of a fraud tip, from the client schema or the server's 400 issues. */
export function fraudTipErrors(issues: readonly PathIssue[]): Partial<Record<FraudField, string>> {
  return fieldErrorsFrom(issues, fraudFieldOf, FRAUD_MESSAGES)
}

/**
 * The ticket schema checks `details` only once the rest of the body is valid, so the kind's own
 * details schema runs too: every wrong lead shows at once.
 */
function ticketIssues(input: CreateTicketInput, detailsSchema: typeof FraudTipDetailsSchema | typeof HazardTipDetailsSchema): PathIssue[] {
  const own = schemaIssues(detailsSchema, input.details ?? {}).map((i) => ({ ...i, path: `details.${i.path}` }))
  return [...schemaIssues(CreateTicketSchema, input), ...own]
}

export function validateFraudTip(form: FraudTipForm): Partial<Record<FraudField, string>> {
  return fraudTipErrors(ticketIssues(fraudTipToInput(form), FraudTipDetailsSchema))
}

export interface HazardTipForm {
  category?: string
  place: string
  building: string
  description: string
  location?: { lat: number; lng: number }
  communityCode?: string
  attachmentIds: string[]
  anonymous: boolean
}

export const HAZARD_FIELDS = ['category', 'place', 'building', 'description', 'location', 'photos'] as const
export type HazardField = (typeof HAZARD_FIELDS)[number]

/** The ledger's kind for a hazard category (other_hazard → other). */
export function hazardKindOf(category: string | undefined): HazardKind | undefined {
  if (category === 'self_built_house' || category === 'fire' || category === 'gas') return category
  return category === 'other_hazard' ? 'other' : undefined
}

export function hazardTipToInput(form: HazardTipForm): CreateTicketInput {
  const kind = hazardKindOf(form.category)
  const details: HazardTipDetails = {
    ...(kind ? { hazardKind: kind } : {}),
    ...(optional(form.place) ? { place: form.place.trim() } : {}),
    ...(optional(form.building) ? { building: form.building.trim() } : {})
  }
  return {
    kind: 'hazard_tip',
    category: form.category ?? '',
    description: form.description,
    ...(form.location ? { location: form.location } : form.communityCode ? { communityCode: form.communityCode } : {}),
    ...(optional(form.place) ? { address: form.place.trim().slice(0, 200) } : {}),
    ...(form.attachmentIds.length ? { attachmentIds: form.attachmentIds } : {}),
    anonymous: form.anonymous,
    allowPublication: false,
    details
  }
}

const HAZARD_MESSAGES = {
  category: '请选择隐患类型',
  place: textMessage('请填写隐患所在位置', TipoffLimits.placeMax),
  building: '楼栋名称不能超过 100 个字符',
  description: textMessage('请描述隐患情况', 2000),
  location: (code: string) => (code === 'out_of_district' ? '该位置不在平城区内，请重新定位或选择社区' : '请定位或选择所在社区'),
  photos: '照片有误，请删除后重新添加'
}

const hazardFieldOf = fieldByHead(HAZARD_FIELDS, { communityCode: 'location', attachmentIds: 'photos', address: 'place' })

export function hazardTipErrors(issues: readonly PathIssue[]): Partial<Record<HazardField, string>> {
  return fieldErrorsFrom(issues, hazardFieldOf, HAZARD_MESSAGES)
}

/** The shared schema's checks plus the form's rule that a hazard says where it is. */
export function validateHazardTip(form: HazardTipForm): Partial<Record<HazardField, string>> {
  const errors = hazardTipErrors(ticketIssues(hazardTipToInput(form), HazardTipDetailsSchema))
  if (!form.location && !form.communityCode && !errors.location) errors.location = '请定位或选择所在社区'
  return errors
}

export const tipoffsService = {
  categories: (kind: 'fraud_tip' | 'hazard_tip') => ticketsService.listCategories(kind).then((list) => list.filter((c) => c.active !== false)),
  submit: (input: CreateTicketInput, idempotencyKey: string): Promise<TicketView> => ticketsService.create(input, idempotencyKey)
}
