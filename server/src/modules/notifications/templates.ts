import { CHINA_OFFSET_MINUTES, type TemplateKey } from '@palm/shared'

/**
 * What an outbox row carries for WeChat: the mini-program page to open and the template's fields.
 * Only what the message shows: ticket number, category, state, a time and a short tip; never the
 * reporter, a phone number or an address (docs/security.md WX-10).
 */
export interface OutboxPayload {
  page: string
  data: Record<string, string>
}

/**
 * The keywords each template has in the WeChat admin (订阅消息 → 选用模板). A deployment picks
 * templates with these keywords and maps our keys to their ids in WECHAT_TEMPLATE_IDS:
 * - ticket_update   工单编号 character_string1, 事项 thing2, 办理状态 phrase3, 更新时间 time4, 备注 thing5
 * - ticket_assigned 工单编号 character_string1, 事项 thing2, 办理时限 time3, 提示 thing4
 * - booking_reminder / activity_promoted  名称 thing1, 时间 time2, 提示 thing3
 */
export const TEMPLATE_FIELDS: Record<TemplateKey, readonly string[]> = {
  ticket_update: ['character_string1', 'thing2', 'phrase3', 'time4', 'thing5'],
  ticket_assigned: ['character_string1', 'thing2', 'time3', 'thing4'],
  booking_reminder: ['thing1', 'time2', 'thing3'],
  activity_promoted: ['thing1', 'time2', 'thing3']
}

const chars = (s: string) => Array.from(s)

/** WeChat `thing`: at most 20 characters; longer values are refused with 47003, so cut with an ellipsis. */
export function thingValue(s: string): string {
  const c = chars(s.replace(/\s+/g, ' ').trim())
  if (c.length === 0) return '无'
  return c.length <= 20 ? c.join('') : `${c.slice(0, 19).join('')}…`
}

/** WeChat `phrase`: at most 5 characters, Chinese only. */
export function phraseValue(s: string): string {
  return chars(s).slice(0, 5).join('')
}

/** WeChat `character_string`: at most 32 letters, digits and symbols. */
export function characterStringValue(s: string): string {
  return s.replace(/[^\x21-\x7e]/g, '').slice(0, 32)
}

/** WeChat `time`, shown as Pingcheng wall time: "2026-11-28 14:05". */
export function timeValue(at: Date): string {
  const local = new Date(at.getTime() + CHINA_OFFSET_MINUTES * 60_000)
  return local.toISOString().slice(0, 16).replace('T', ' ')
}

/** The mini-program page of a ticket (resident or staff view). */
export function ticketPage(ticketId: string, staff: boolean): string {
  return staff ? `packages/staff/detail/index?id=${ticketId}` : `packages/ticket/detail/index?id=${ticketId}`
}

/** Turns stored fields into the `data` WeChat expects. */
export function toTemplateData(fields: Record<string, string>): Record<string, { value: string }> {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, { value: v }]))
}
