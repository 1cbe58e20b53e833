import { DEFAULT_CATEGORIES, type MessageKind, type Role, type TimelineEvent } from '@palm/shared'
import type { EntityManager, FindOptionsWhere } from 'typeorm'
import type { AppDeps } from '../../deps'
import { StaffGrid } from '../auth/staff-grid.entity'
import { User } from '../auth/user.entity'
import { maskContactData, maskPublicText } from '../masking/index'
import type { PendingWrites } from '../../db/write-batch'
import { TicketFollower, beijingDeadline, type Ticket, type TicketEventRow } from '../tickets/index'
import { enqueueNotifications, type NotificationInput } from './outbox'
import { characterStringValue, phraseValue, thingValue, ticketPage, timeValue } from './templates'

/**
 * Who hears what of a ticket's life. "Residents" are the reporter and the followers; "handlers" are
 * the people whose queue the ticket waits in after the event (its assignee, or else the staff of its
 * queue: the grid's workers, the community staff, the street or district centre, the department).
 * Nobody hears of what they did themselves. `push` also sends a WeChat subscribe message (when the
 * person granted one); everything lands in the message centre.
 *
 * | event    | residents                       | handlers                                  |
 * |----------|---------------------------------|-------------------------------------------|
 * | submit   | —  (the reporter just did it)   | —  (the assign event follows at once)     |
 * | assign   | 已分派 (centre only)            | 新工单待签收 (push)                        |
 * | accept   | 已签收 (push)                   | —                                         |
 * | start    | 处理中 (centre only)            | —                                         |
 * | reply    | 收到回复, with the text (push)  | —                                         |
 * | resolve  | 已办结, with the reply (push)   | —                                         |
 * | return   | 已转上级处理 (centre only)      | the level above: 退单待处理 (push)         |
 * | transfer | 已转派 (centre only)            | the new handler: 转派待签收 (push)         |
 * | escalate | 已上报上级 (centre only)        | the level above: 上报待处理, or 超时升级 when the overdue job did it (push) |
 * | reject   | 不予受理, with the reason (push)| —                                         |
 * | cancel   | followers: 已撤回 (centre only) | 工单已撤回 (centre only)                   |
 * | rate     | —                               | —                                         |
 * | reopen   | 重新办理 (centre only)          | 工单重新打开，请重新签收 (push)            |
 * | urge     | —                               | 督办 (push)                               |
 * | close    | 已结案 (centre only)            | —                                         |
 *
 * Handlers' messages name the ticket by number and category only: never the reporter, their words or
 * their address, so an anonymous tip's reporter appears in no staff-facing message (API1-4).
 */
interface ResidentRule {
  title: string
  body: (c: NoticeContext) => string
  push: boolean
}
interface HandlerRule {
  kind: MessageKind
  title: (c: NoticeContext) => string
  body: (c: NoticeContext) => string
}
interface NoticeRule {
  residents?: ResidentRule
  handlers?: HandlerRule
}

interface NoticeContext {
  ticket: Ticket
  event: TicketEventRow
  categoryName: string
  queueName: string
}

const LEVEL_NAMES: Record<string, string> = { grid: '网格员', community: '社区', street: '街道综治中心', district: '区综治中心', department: '职能部门' }

const ref = (c: NoticeContext) => `工单 ${c.ticket.number}（${c.categoryName}）`
const noteText = (c: NoticeContext) => (c.event.note ? `：${c.event.note}` : '')
const dueText = (c: NoticeContext) => `请于 ${timeValue(c.ticket.dueAt)} 前处理。`

export const TICKET_NOTICE_RULES: Readonly<Record<TimelineEvent, NoticeRule>> = {
  submit: {},
  assign: {
    residents: { title: '工单已分派', body: (c) => `${ref(c)}已分派给${c.queueName}办理。`, push: false },
    handlers: { kind: 'ticket_assigned', title: () => '新工单待签收', body: (c) => `${ref(c)}已分派给您，${dueText(c)}` }
  },
  accept: { residents: { title: '工单已签收', body: (c) => `${ref(c)}已由${c.queueName}签收，正在办理。`, push: true } },
  start: { residents: { title: '工单办理中', body: (c) => `${ref(c)}正在处理中。`, push: false } },
  reply: { residents: { title: '工单有新回复', body: (c) => `${ref(c)}收到回复${noteText(c)}`, push: true } },
  resolve: { residents: { title: '工单已办结', body: (c) => `${ref(c)}已办结${noteText(c)}。欢迎评价。`, push: true } },
  return: {
    residents: { title: '工单已转上级办理', body: (c) => `${ref(c)}已转${c.queueName}办理。`, push: false },
    handlers: { kind: 'ticket_assigned', title: () => '退单工单待处理', body: (c) => `${ref(c)}被下级退回，已转到您这里，${dueText(c)}` }
  },
  transfer: {
    residents: { title: '工单已转派', body: (c) => `${ref(c)}已转派给${c.queueName}办理。`, push: false },
    handlers: { kind: 'ticket_assigned', title: () => '转派工单待签收', body: (c) => `${ref(c)}已转派给您，${dueText(c)}` }
  },
  escalate: {
    residents: { title: '工单已上报上级', body: (c) => `${ref(c)}已上报${c.queueName}办理。`, push: false },
    handlers: {
      kind: 'ticket_assigned',
      title: (c) => (c.event.actorRole === 'system' ? '超时工单已升级' : '上报工单待处理'),
      body: (c) => (c.event.actorRole === 'system' ? `${ref(c)}超过办理时限，已自动升级到您这里，请尽快处理。` : `${ref(c)}已上报到您这里，${dueText(c)}`)
    }
  },
  reject: { residents: { title: '工单不予受理', body: (c) => `${ref(c)}不予受理${noteText(c)}`, push: true } },
  cancel: {
    residents: { title: '工单已撤回', body: (c) => `${ref(c)}已由提交人撤回。`, push: false },
    handlers: { kind: 'ticket_update', title: () => '工单已撤回', body: (c) => `${ref(c)}已撤回，无需处理。` }
  },
  rate: {},
  reopen: {
    residents: { title: '工单重新办理', body: (c) => `${ref(c)}已重新打开，等待重新办理。`, push: false },
    handlers: { kind: 'ticket_assigned', title: () => '工单重新打开', body: (c) => `${ref(c)}被重新打开，请重新签收，${dueText(c)}` }
  },
  urge: { handlers: { kind: 'ticket_urged', title: () => '工单督办', body: (c) => `${ref(c)}被督办${noteText(c)}。${dueText(c)}` } },
  close: { residents: { title: '工单已结案', body: (c) => `${ref(c)}已结案。`, push: false } },
  // 12345-grade handling (docs/handling.md). The approver of an extension learns of the request from their inbox's 延期待批 view.
  extend_request: {},
  extend_approve: {
    residents: { title: '工单办理期限延长', body: (c) => `${ref(c)}经批准延期办理，新的办结时限为 ${timeValue(c.ticket.resolveDueAt)}。`, push: false },
    handlers: { kind: 'ticket_update', title: () => '延期申请已批准', body: (c) => `${ref(c)}的延期申请已批准，请于 ${timeValue(c.ticket.resolveDueAt)} 前办结。` }
  },
  extend_deny: { handlers: { kind: 'ticket_update', title: () => '延期申请未批准', body: (c) => `${ref(c)}的延期申请未获批准${noteText(c)}。${dueText(c)}` } },
  suspend: { residents: { title: '工单已挂起', body: (c) => `${ref(c)}暂时挂起，等待您的配合${noteText(c)}`, push: true } },
  resume: { residents: { title: '工单恢复办理', body: (c) => `${ref(c)}已恢复办理。`, push: false } },
  cohandle: {},
  cohandle_reply: { handlers: { kind: 'ticket_update', title: () => '协办部门已回复', body: (c) => `${ref(c)}收到协办意见${noteText(c)}` } },
  callback: { residents: { title: '工单回访已完成', body: (c) => `${ref(c)}已完成回访并结案。`, push: false } },
  press: { handlers: { kind: 'ticket_urged', title: () => '居民催办', body: (c) => `${ref(c)}已超过办理时限，居民催办，请尽快处理。` } }
}

/** Short state words for WeChat's 5-character `phrase` field. */
const PHRASES: Partial<Record<TimelineEvent, string>> = {
  assign: '已分派',
  accept: '已签收',
  start: '处理中',
  reply: '已回复',
  resolve: '已办结',
  return: '已转办',
  transfer: '已转派',
  escalate: '已上报',
  reject: '不予受理',
  cancel: '已撤回',
  reopen: '重新办理',
  close: '已结案',
  extend_approve: '已延期',
  suspend: '已挂起',
  resume: '恢复办理',
  callback: '已回访'
}

const MAX_QUEUE_RECIPIENTS = 20

/** Users whose queue the ticket waits in now; the assignee when there is one. */
async function handlersOf(em: EntityManager, ticket: Ticket): Promise<string[]> {
  if (ticket.assigneeId) return [ticket.assigneeId]
  if (ticket.level === 'grid' && ticket.gridCode) {
    // Every worker attached to the grid (a worker may cover several grids: staff_grids).
    const rows = await em
      .getRepository(User)
      .createQueryBuilder('u')
      .select('u.id', 'id')
      .innerJoin(StaffGrid, 'sg', 'sg.user_id = u.id AND sg.grid_code = :gridCode', { gridCode: ticket.gridCode })
      .where('u.role = :role AND u.disabled = :disabled', { role: 'grid_worker', disabled: 0 })
      .orderBy('u.id', 'ASC')
      .limit(MAX_QUEUE_RECIPIENTS)
      .getRawMany<{ id: string }>()
    return rows.map((r) => r.id)
  }
  const where = queueWhere(ticket)
  if (!where) return []
  const users = await em.getRepository(User).find({ select: { id: true }, where: { ...where, disabled: false }, take: MAX_QUEUE_RECIPIENTS })
  return users.map((u) => u.id)
}

function queueWhere(ticket: Ticket): FindOptionsWhere<User> | null {
  switch (ticket.level) {
    case 'grid':
      return ticket.gridCode ? { role: 'grid_worker', gridCode: ticket.gridCode } : null
    case 'community':
      return ticket.communityCode ? { role: 'community_staff', communityCode: ticket.communityCode } : null
    case 'street':
      return ticket.streetCode ? { role: 'street_admin', streetCode: ticket.streetCode } : null
    case 'district':
      return { role: 'district_admin' }
    case 'department':
      return ticket.departmentCode ? { role: 'department_staff', departmentCode: ticket.departmentCode } : null
    default:
      return null
  }
}

/**
 * The reporter and the followers. A ticket made in this very transaction (its submit and first
 * assign) cannot have followers yet, so that lookup is skipped on the submission path.
 */
async function residentsOf(em: EntityManager, ticket: Ticket, event: TicketEventRow): Promise<string[]> {
  const brandNew = (event.event === 'submit' || event.event === 'assign') && event.createdAt.getTime() === ticket.createdAt.getTime()
  if (brandNew) return [ticket.reporterId]
  const followers = await em.getRepository(TicketFollower).find({ select: { userId: true }, where: { ticketId: ticket.id } })
  return [ticket.reporterId, ...followers.map((f) => f.userId)]
}

/**
 * The ticket event hook (registered in ticketEventHooks): writes the messages and outbox rows of one
 * event in the transaction that wrote the event, following TICKET_NOTICE_RULES.
 */
export async function notifyTicketEvent(em: EntityManager, deps: AppDeps, ticket: Ticket, event: TicketEventRow, writes?: PendingWrites): Promise<void> {
  const rule = TICKET_NOTICE_RULES[event.event as TimelineEvent] ?? {}
  const approverNotices = event.event === 'extend_request' ? await extensionApproverNotices(em, ticket, event) : []
  if (!rule.residents && !rule.handlers && approverNotices.length === 0) return
  const ctx: NoticeContext = {
    ticket,
    event,
    categoryName: DEFAULT_CATEGORIES.find((c) => c.code === ticket.category)?.name ?? ticket.category,
    queueName: LEVEL_NAMES[ticket.level] ?? '相关部门'
  }
  const notices: NotificationInput[] = []
  const actorId = event.actorId
  if (rule.residents) {
    const r = rule.residents
    const ids = new Set((await residentsOf(em, ticket, event)).filter((id) => id !== actorId))
    // Followers read staff notes masked as the public board masks them (names, phones, IDs, plates,
    // door numbers, the reporter's address); the reporter reads the notes on their own ticket as written.
    const followerCtx: NoticeContext = event.note ? { ...ctx, event: { ...event, note: maskPublicText(event.note, { names: [], address: ticket.address }) } } : ctx
    for (const userId of ids) {
      const c = userId === ticket.reporterId ? ctx : followerCtx
      notices.push({
        userId,
        kind: 'ticket_update',
        title: r.title,
        body: r.body(c),
        ticketId: ticket.id,
        ...(r.push ? { push: { templateKey: 'ticket_update', payload: residentPayload(c) } } : {})
      })
    }
  }
  if (rule.handlers) {
    const h = rule.handlers
    const ids = new Set((await handlersOf(em, ticket)).filter((id) => id !== actorId && id !== ticket.reporterId))
    const pushes = h.kind !== 'ticket_update'
    for (const userId of ids) {
      notices.push({
        userId,
        kind: h.kind,
        title: h.title(ctx),
        body: h.body(ctx),
        ticketId: ticket.id,
        ...(pushes ? { push: { templateKey: 'ticket_assigned', payload: handlerPayload(ctx) } } : {})
      })
    }
  }
  notices.push(...approverNotices)
  await enqueueNotifications(em, deps, notices, writes)
}

/** How many approvers of one scope hear of an extension request at most (a community has a few staff). */
const MAX_APPROVERS = 20

/**
 * 延期申请: the staff who may decide it (the event's `approverRole`: the community's staff, the street
 * centre or the district centre) in the ticket's territory hear of it in their message centre.
 */
async function extensionApproverNotices(em: EntityManager, ticket: Ticket, event: TicketEventRow): Promise<NotificationInput[]> {
  const data = (event.data ? JSON.parse(event.data) : {}) as { approverRole?: Role; dueAt?: string; reason?: string | null }
  if (!data.approverRole || !data.dueAt) return []
  const where: FindOptionsWhere<User> = { role: data.approverRole, disabled: false }
  if (data.approverRole === 'community_staff') where.communityCode = ticket.communityCode ?? ''
  if (data.approverRole === 'street_admin') where.streetCode = ticket.streetCode ?? ''
  const approvers = await em.getRepository(User).find({ where, select: { id: true }, take: MAX_APPROVERS, order: { id: 'ASC' } })
  const body = `工单 ${ticket.number} 申请将办结时限延至 ${beijingDeadline(new Date(data.dueAt))}${data.reason ? `：${data.reason}` : ''}。请审批。`
  return approvers.map((u) => ({ userId: u.id, kind: 'ticket_update', title: '延期申请待审批', body, ticketId: ticket.id }))
}

function residentPayload(c: NoticeContext) {
  return {
    page: ticketPage(c.ticket.id, false),
    data: {
      character_string1: characterStringValue(c.ticket.number),
      thing2: thingValue(c.categoryName),
      phrase3: phraseValue(PHRASES[c.event.event as TimelineEvent] ?? '有更新'),
      time4: timeValue(c.event.createdAt),
      // The note is free text: phone and ID numbers in it are masked before they leave for WeChat (WX-10).
      thing5: thingValue(maskContactData(c.event.note ?? '点击查看详情'))
    }
  }
}

function handlerPayload(c: NoticeContext) {
  return {
    page: ticketPage(c.ticket.id, true),
    data: {
      character_string1: characterStringValue(c.ticket.number),
      thing2: thingValue(c.categoryName),
      time3: timeValue(c.ticket.dueAt),
      thing4: thingValue(c.event.event === 'urge' ? '督办：请尽快处理' : '请及时签收处理')
    }
  }
}
