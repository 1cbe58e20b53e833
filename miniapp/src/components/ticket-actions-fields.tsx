import { useEffect, useState } from 'react'
import { View, Text, Button } from '@tarojs/components'
import { Rate } from '@nutui/nutui-react-taro'
import '@nutui/nutui-react-taro/dist/es/packages/rate/style/css'
import { CALLBACK_RESULTS, fillReplyTemplate, type CallbackResult, type DepartmentView, type ReplyTemplateView, type TicketEvent } from '@palm/shared'
import { ChoiceGroup } from './choice-group'
import { PhotoField } from './photo-field'
import { SelectField } from './fields'
import { pressable } from './a11y'
import { TextArea } from './text-area'
import { apiRequest } from '../services/api-client'
import { RATING_LABELS, ROLE_LABELS, formatTime } from '../utils/format'
import { EXTENSION_DAY_CHOICES, extensionDueAt, type ActionTicket, type ExtensionDays, type PendingPhoto } from './ticket-actions-hook'

export const NOTE_LABELS: Partial<Record<TicketEvent, string>> = {
  reply: '回复内容（居民可见）',
  resolve: '办结说明（居民可见）',
  return: '退单原因',
  transfer: '转派说明',
  escalate: '上报原因',
  reject: '不予受理的原因',
  reopen: '请说明哪里还没有解决',
  urge: '督办意见',
  rate: '评价内容（选填）',
  extend_request: '延期原因',
  extend_approve: '审批意见（选填）',
  extend_deny: '驳回原因',
  suspend: '挂起原因（如等待居民提供材料、约定上门时间）',
  cohandle: '需要协办的事项（选填）',
  cohandle_reply: '协办意见',
  callback: '回访情况'
}

/** The note of the open form: its label says what is asked; the error shows under it. */
export function NoteField(props: { event: TicketEvent; value: string; error?: string; onChange: (v: string) => void }) {
  const label = NOTE_LABELS[props.event] ?? '说明'
  return (
    <View className={`field${props.error ? ' has-error' : ''}`}>
      <View className='field-label'>{label}</View>
      <TextArea className='field-textarea action-note' value={props.value} placeholder={label} label={label} onChange={props.onChange} />
      {props.error ? (
        <View className='field-error' role='alert'>
          {props.error}
        </View>
      ) : null}
    </View>
  )
}

export function RatingField(props: { score: number; onChange: (v: number) => void }) {
  return (
    <View className='rate-row'>
      <Rate value={props.score} count={5} onChange={(v: number) => props.onChange(v)} />
      <Text className='rate-label'>{RATING_LABELS[props.score]}</Text>
    </View>
  )
}

export function PhotosField(props: { photos: PendingPhoto[]; uploading: string[]; onAdd: (paths: string[]) => void; onRemove: (path: string) => void }) {
  return (
    <View className='field'>
      <View className='field-label'>现场照片（选填）</View>
      <PhotoField photos={props.photos} uploading={props.uploading} onAdd={props.onAdd} onRemove={props.onRemove} />
    </View>
  )
}

/** 申请延期: how much later, in calendar days after the current resolve deadline, and the date that gives. */
export function ExtensionRequestField(props: { resolveDueAt?: string; value: ExtensionDays; onChange: (v: ExtensionDays) => void }) {
  const options = EXTENSION_DAY_CHOICES.map((d) => ({ value: d, label: `延长 ${d} 天` }))
  return (
    <View className='extension-field'>
      <ChoiceGroup name='extension-days' label='延期多久' options={options} value={props.value} onChange={props.onChange} />
      {props.resolveDueAt ? (
        <View className='muted extension-preview'>
          现办结时限 {formatTime(props.resolveDueAt)}，申请延至 {formatTime(extensionDueAt(props.resolveDueAt, props.value))}；由上一级审批，批准前时限不变。
        </View>
      ) : null}
    </View>
  )
}

/** What an approver decides on: the deadline asked for. */
export function ExtensionAskedField({ ticket }: { ticket: ActionTicket }) {
  if (!ticket.extension) return null
  return (
    <View className='muted extension-asked'>
      申请将办结时限由 {formatTime(ticket.resolveDueAt)} 延至 {formatTime(ticket.extension.dueAt)}
    </View>
  )
}

/** 邀请协办: the department asked to work beside the handler. */
export function CohandlerField(props: { value?: string; onChange: (code: string) => void; error?: string }) {
  const [departments, setDepartments] = useState<DepartmentView[]>([])
  useEffect(() => {
    apiRequest<DepartmentView[]>({ path: '/api/territory/departments', auth: false })
      .then(setDepartments)
      .catch(() => setDepartments([]))
  }, [])
  return (
    <SelectField
      name='cohandler-department'
      label='协办部门'
      options={departments.map((d) => ({ value: d.code, label: d.name }))}
      value={props.value}
      placeholder='选择协办部门'
      onChange={props.onChange}
      error={props.error}
      required
    />
  )
}

const CALLBACK_LABELS: Record<CallbackResult, string> = { satisfied: '居民满意', unsatisfied: '居民仍不满意', unreachable: '未能联系上' }

export function CallbackResultField(props: { value?: CallbackResult; onChange: (v: CallbackResult) => void; error?: string }) {
  return (
    <ChoiceGroup
      name='callback-result'
      label='回访结果'
      options={CALLBACK_RESULTS.map((r) => ({ value: r, label: CALLBACK_LABELS[r] }))}
      value={props.value}
      onChange={props.onChange}
      error={props.error}
    />
  )
}

/**
 * 常用语: the category's reply templates (kept by the district); picking one fills the note with the
 * ticket's number, category, community, handler and deadline in place of the placeholders.
 */
export function ReplyTemplatesField(props: { ticket: ActionTicket; onPick: (text: string) => void }) {
  const { ticket } = props
  const [templates, setTemplates] = useState<ReplyTemplateView[]>([])
  useEffect(() => {
    if (!ticket.category) return
    apiRequest<{ items: ReplyTemplateView[] }>({ path: '/api/reply-templates', query: { category: ticket.category } })
      .then((page) => setTemplates(page.items))
      .catch(() => setTemplates([]))
  }, [ticket.category])
  if (templates.length === 0) return null
  const values = {
    number: ticket.number,
    categoryName: ticket.categoryName,
    communityName: ticket.community?.name,
    handlerName: ticket.assignee ? `${ROLE_LABELS[ticket.assignee.role] ?? ''}${ticket.assignee.displayName}` : undefined,
    resolveDue: ticket.resolveDueAt ? formatTime(ticket.resolveDueAt) : undefined
  }
  return (
    <View className='reply-templates' role='group' aria-label='常用语'>
      <View className='field-label'>常用语</View>
      <View className='reply-template-list'>
        {templates.map((tpl) => {
          const pick = () => props.onPick(fillReplyTemplate(tpl.body, values))
          return (
            <Button key={tpl.id} className='btn btn-ghost btn-small reply-template' {...pressable(pick, { label: `使用常用语：${tpl.title}` })} onClick={pick}>
              {tpl.title}
            </Button>
          )
        })}
      </View>
    </View>
  )
}

/** What the handling steps left open on the ticket: a pending extension, a suspension, a callback due. */
export function HandlingStatus({ ticket }: { ticket: ActionTicket }) {
  const lines: string[] = []
  if (ticket.state === 'suspended') lines.push(`已挂起${ticket.suspendedAt ? `（${formatTime(ticket.suspendedAt)} 起）` : ''}，计时暂停，恢复办理后时限顺延`)
  if (ticket.extension?.state === 'pending') lines.push(`延期申请待${ROLE_LABELS[ticket.extension.approverRole] ?? '上级'}审批：申请延至 ${formatTime(ticket.extension.dueAt)}`)
  if (ticket.extension?.state === 'approved') lines.push(`已批准延期，办结时限 ${formatTime(ticket.extension.dueAt)}`)
  if (ticket.extension?.state === 'denied') lines.push('延期申请未获批准')
  if (ticket.needsCallback) lines.push('待回访：回访后方可结案')
  if (lines.length === 0) return null
  return (
    <View className='handling-status' role='status'>
      {lines.map((line) => (
        <View key={line} className='handling-status-line'>
          {line}
        </View>
      ))}
    </View>
  )
}
