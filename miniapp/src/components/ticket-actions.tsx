import { useRef, useState } from 'react'
import { View, Text, Textarea, Button } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { Rate } from '@nutui/nutui-react-taro'
import '@nutui/nutui-react-taro/dist/es/packages/rate/style/css'
import {
  EVENTS_NEEDING_REASON,
  TicketLimits,
  TransitionSchema,
  availableEvents,
  type Role,
  type TicketEvent,
  type TicketView,
  type TransferTarget,
  type TransitionInput
} from '@palm/shared'
import { PhotoField } from './photo-field'
import { TransferTargetPicker } from './ticket-actions-transfer'
import { pressable } from './a11y'
import { useSession } from '../hooks/use-session'
import { isApiError } from '../services/api-error'
import { newIdempotencyKey } from '../services/idempotency'
import { showError } from '../services/show-error'
import { ticketsService } from '../services/tickets.service'
import { ACTION_LABELS, RATING_LABELS } from '../utils/format'
import './ticket-actions.scss'

/** Events done with one tap (after a confirmation where it cannot be undone). */
const ONE_TAP: Partial<Record<TicketEvent, string | null>> = { accept: null, start: null, cancel: '撤销后工单将不再处理，确定撤销吗？', close: '确定关闭该工单吗？' }
const WITH_PHOTOS: readonly TicketEvent[] = ['reply', 'resolve']
const NOTE_LABELS: Partial<Record<TicketEvent, string>> = {
  reply: '回复内容（居民可见）',
  resolve: '办结说明（居民可见）',
  return: '退单原因',
  transfer: '转派说明',
  escalate: '上报原因',
  reject: '不予受理的原因',
  reopen: '请说明哪里还没有解决',
  urge: '督办意见',
  rate: '评价内容（选填）'
}
/** Return, transfer and escalate say why (the issue asks for a reason with each). */
const REASON_EVENTS: readonly TicketEvent[] = [...EVENTS_NEEDING_REASON, 'transfer', 'escalate', 'reply']

interface PendingPhoto {
  localPath: string
  uploadId?: string
}

/**
 * The buttons for what this person may do now: the shared state machine's availableEvents for the
 * state and role, narrowed to the server's `actions` (which also knows scope and queue). Each
 * action carries one Idempotency-Key from opening its form until the server answers.
 */
export function TicketActions({
  ticket,
  role,
  onChanged
}: {
  /** Only what the buttons need, so a follower's public view (no grid, no photos) works as well. */
  ticket: Pick<TicketView, 'id' | 'state' | 'actions'> & { grid?: TicketView['grid'] }
  role: Role
  onChanged: (t: TicketView) => void
}) {
  const allowed = availableEvents(ticket.state, role).filter((e) => ticket.actions.includes(e))
  const [open, setOpen] = useState<TicketEvent>()
  const [note, setNote] = useState('')
  const [noteError, setNoteError] = useState<string>()
  const [score, setScore] = useState(5)
  const [photos, setPhotos] = useState<PendingPhoto[]>([])
  const [uploading, setUploading] = useState<string[]>([])
  const [target, setTarget] = useState<TransferTarget>()
  const scope = useSession()?.user.scope ?? {}
  const [busy, setBusy] = useState(false)
  const busyRef = useRef(false)
  const keyRef = useRef<string>()

  if (allowed.length === 0) return null

  function openForm(event: TicketEvent) {
    setOpen(event)
    setNote('')
    setNoteError(undefined)
    setPhotos([])
    setTarget(undefined)
    keyRef.current = newIdempotencyKey()
  }

  async function addPhotos(paths: string[]) {
    setPhotos((p) => [...p, ...paths.map((localPath) => ({ localPath }))])
    for (const localPath of paths) {
      setUploading((u) => [...u, localPath])
      try {
        const up = await ticketsService.uploadPhoto(localPath)
        setPhotos((p) => p.map((x) => (x.localPath === localPath ? { ...x, uploadId: up.id } : x)))
      } catch (err) {
        setPhotos((p) => p.filter((x) => x.localPath !== localPath))
        void showError(err)
      } finally {
        setUploading((u) => u.filter((x) => x !== localPath))
      }
    }
  }

  async function send(event: TicketEvent) {
    if (busyRef.current) return
    const input: TransitionInput = { event }
    if (note.trim()) input.note = note.trim()
    const attachmentIds = photos.flatMap((p) => (p.uploadId ? [p.uploadId] : []))
    if (attachmentIds.length) input.attachmentIds = attachmentIds
    if (event === 'rate') input.rating = { score, ...(note.trim() ? { comment: note.trim() } : {}) }
    if (event === 'rate') delete input.note
    if (event === 'transfer' && target) input.target = target
    if (REASON_EVENTS.includes(event) && !note.trim()) {
      setNoteError(event === 'reply' ? '请填写回复内容' : '请填写原因')
      return
    }
    if (event === 'transfer' && !target) {
      void Taro.showToast({ title: '请选择转派对象', icon: 'none' })
      return
    }
    if (uploading.length > 0) {
      void Taro.showToast({ title: '照片上传中，请稍候', icon: 'none' })
      return
    }
    const parsed = TransitionSchema.safeParse(input)
    if (!parsed.success) {
      setNoteError(note.length > TicketLimits.noteMax ? `不能超过 ${TicketLimits.noteMax} 字` : '填写的内容有误')
      return
    }
    busyRef.current = true
    setBusy(true)
    const key = keyRef.current ?? newIdempotencyKey()
    keyRef.current = key
    try {
      const updated = await ticketsService.transition(ticket.id, parsed.data, key)
      keyRef.current = undefined
      setOpen(undefined)
      void Taro.showToast({ title: `已${ACTION_LABELS[event]}`, icon: 'success' })
      onChanged(updated)
    } catch (err) {
      if (isApiError(err) && err.isNetworkError) {
        if (await showError(err, { retry: true })) {
          busyRef.current = false
          setBusy(false)
          return send(event)
        }
      } else {
        keyRef.current = newIdempotencyKey()
        if (isApiError(err) && err.fieldErrors.note) setNoteError('请填写说明')
        else if (event === 'transfer' && isApiError(err) && (err.status === 404 || err.status === 403) && err.code !== 'ticket_not_found')
          void Taro.showModal({ title: '无法转派', content: '所选对象不在您可转派的范围内，请重新选择，或改用“上报”“退单”。', showCancel: false, confirmText: '知道了' })
        else void showError(err)
      }
    } finally {
      busyRef.current = false
      setBusy(false)
    }
  }

  async function handleTap(event: TicketEvent) {
    if (event in ONE_TAP) {
      const question = ONE_TAP[event]
      if (question) {
        const res = await Taro.showModal({ title: ACTION_LABELS[event], content: question })
        if (!res.confirm) return
      }
      keyRef.current = newIdempotencyKey()
      await send(event)
      return
    }
    openForm(event)
  }

  return (
    <View className='card ticket-actions'>
      <View className='card-title'>办理</View>
      <View className='btn-row'>
        {allowed.map((event) => (
          <Button
            key={event}
            className={`btn action-${event} ${event === 'accept' || event === 'resolve' || event === 'rate' ? 'btn-primary' : 'btn-ghost'}${busy ? ' btn-disabled' : ''}`}
            disabled={busy || undefined}
            {...pressable(() => void handleTap(event))}
            onClick={() => void handleTap(event)}
          >
            {ACTION_LABELS[event]}
          </Button>
        ))}
      </View>
      {open ? (
        <View className={`action-form action-form-${open}`}>
          <View className='action-form-title'>{ACTION_LABELS[open]}</View>
          {open === 'rate' ? (
            <View className='rate-row'>
              <Rate value={score} count={5} onChange={(v: number) => setScore(v)} />
              <Text className='rate-label'>{RATING_LABELS[score]}</Text>
            </View>
          ) : null}
          {open === 'transfer' ? <TransferTargetPicker role={role} scope={scope} currentGridCode={ticket.grid?.code} value={target} onChange={setTarget} /> : null}
          <View className={`field${noteError ? ' has-error' : ''}`}>
            <View className='field-label'>{NOTE_LABELS[open] ?? '说明'}</View>
            <Textarea
              className='field-textarea action-note'
              value={note}
              maxlength={-1}
              placeholder={NOTE_LABELS[open] ?? '说明'}
              onInput={(e) => {
                setNote(e.detail.value)
                setNoteError(undefined)
              }}
            />
            {noteError ? <View className='field-error'>{noteError}</View> : null}
          </View>
          {WITH_PHOTOS.includes(open) ? (
            <View className='field'>
              <View className='field-label'>现场照片（选填）</View>
              <PhotoField photos={photos} uploading={uploading} onAdd={(p) => void addPhotos(p)} onRemove={(p) => setPhotos((x) => x.filter((y) => y.localPath !== p))} />
            </View>
          ) : null}
          <View className='btn-row'>
            <Button className='btn action-cancel' {...pressable(() => setOpen(undefined))} onClick={() => setOpen(undefined)}>
              取消
            </Button>
            <Button className={`btn btn-primary action-confirm${busy ? ' btn-disabled' : ''}`} disabled={busy || undefined} {...pressable(() => void send(open))} onClick={() => void send(open)}>
              确认{ACTION_LABELS[open]}
            </Button>
          </View>
        </View>
      ) : null}
    </View>
  )
}
