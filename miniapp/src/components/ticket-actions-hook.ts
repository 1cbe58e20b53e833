import { useRef, useState } from 'react'
import Taro from '@tarojs/taro'
import { TicketLimits, TransitionSchema, availableEvents, needsNote, type CallbackResult, type Role, type TicketEvent, type TicketView, type TransferTarget, type TransitionInput } from '@palm/shared'
import { isApiError } from '../services/api-error'
import { newIdempotencyKey } from '../services/idempotency'
import { showError } from '../services/show-error'
import { ticketsService } from '../services/tickets.service'
import { ACTION_LABELS } from '../utils/format'

/** What the action forms read of a ticket: enough for a follower's public view as well (no grid, no deadlines). */
export type ActionTicket = Pick<TicketView, 'id' | 'state' | 'actions'> &
  Partial<Pick<TicketView, 'grid' | 'number' | 'category' | 'categoryName' | 'community' | 'assignee' | 'resolveDueAt' | 'extension' | 'needsCallback' | 'suspendedAt'>>

/** Events done with one tap (after a confirmation where it cannot be undone). */
export const ONE_TAP: Partial<Record<TicketEvent, string | null>> = {
  accept: null,
  start: null,
  resume: null,
  cancel: '撤销后工单将不再处理，确定撤销吗？',
  close: '确定关闭该工单吗？',
  press: '确定催办吗？超过办理时限后每天可催办一次。'
}
export const WITH_PHOTOS: readonly TicketEvent[] = ['reply', 'resolve']
/** Forms that offer the category's 常用语 (reply templates). */
export const WITH_TEMPLATES: readonly TicketEvent[] = ['reply', 'resolve']

export interface PendingPhoto {
  localPath: string
  uploadId?: string
}

const DAY_MS = 24 * 60 * 60 * 1000
/** How much later an extension may ask for, in calendar days (the server allows up to 30). */
export const EXTENSION_DAY_CHOICES = ['1', '3', '5', '7', '15', '30'] as const
export type ExtensionDays = (typeof EXTENSION_DAY_CHOICES)[number]

/** The deadline an extension of `days` calendar days after the current resolve deadline asks for. */
export function extensionDueAt(resolveDueAt: string, days: ExtensionDays): string {
  return new Date(new Date(resolveDueAt).getTime() + Number(days) * DAY_MS).toISOString()
}

/**
 * The state and the sending of the action forms (the component only draws them): which events the
 * caller has (the shared machine's availableEvents narrowed to the server's `actions`), the open form
 * and its fields, one Idempotency-Key from opening a form until the server answers, and the
 * "needs a note" rule from @palm/shared (needsNote), so the form and the server agree.
 */
/** The fields of the open form (note, score, photos, target, extension, co-handler, callback result) and their reset. */
function useActionFields() {
  const [note, setNote] = useState('')
  const [noteError, setNoteError] = useState<string>()
  const [score, setScore] = useState(5)
  const [photos, setPhotos] = useState<PendingPhoto[]>([])
  const [uploading, setUploading] = useState<string[]>([])
  const [target, setTarget] = useState<TransferTarget>()
  const [extensionDays, setExtensionDays] = useState<ExtensionDays>('3')
  const [cohandler, setCohandler] = useState<string>()
  const [callbackResult, setCallbackResult] = useState<CallbackResult>()
  const [fieldError, setFieldError] = useState<string>()
  function reset() {
    setNote('')
    setNoteError(undefined)
    setFieldError(undefined)
    setPhotos([])
    setTarget(undefined)
    setExtensionDays('3')
    setCohandler(undefined)
    setCallbackResult(undefined)
  }
  return {
    note,
    setNote,
    noteError,
    setNoteError,
    score,
    setScore,
    photos,
    setPhotos,
    uploading,
    setUploading,
    target,
    setTarget,
    extensionDays,
    setExtensionDays,
    cohandler,
    setCohandler,
    callbackResult,
    setCallbackResult,
    fieldError,
    setFieldError,
    reset
  }
}

/** The request body of `event` from the form's fields, or which field is missing and what to say. */
function buildInput(event: TicketEvent, ticket: ActionTicket, f: ReturnType<typeof useActionFields>): { input: TransitionInput } | { missing: 'note' | 'field'; message: string } {
  // A one-tap event sends nothing of a form opened earlier (a suspension's reason is not the resumption's).
  const oneTap = event in ONE_TAP
  const text = oneTap ? '' : f.note.trim()
  if (needsNote(event) && !text) return { missing: 'note', message: event === 'reply' ? '请填写回复内容' : event === 'cohandle_reply' || event === 'callback' ? '请填写情况说明' : '请填写原因' }
  const input: TransitionInput = { event }
  if (text) input.note = text
  const attachmentIds = WITH_PHOTOS.includes(event) ? f.photos.flatMap((p) => (p.uploadId ? [p.uploadId] : [])) : []
  if (attachmentIds.length) input.attachmentIds = attachmentIds
  if (event === 'rate') {
    input.rating = { score: f.score, ...(text ? { comment: text } : {}) }
    delete input.note
  }
  if (event === 'transfer') {
    if (!f.target) return { missing: 'field', message: '请选择转派对象' }
    input.target = f.target
  }
  if (event === 'extend_request') {
    if (!ticket.resolveDueAt) return { missing: 'field', message: '无法读取办结时限，请刷新' }
    input.extension = { dueAt: extensionDueAt(ticket.resolveDueAt, f.extensionDays) }
  }
  if (event === 'cohandle') {
    if (!f.cohandler) return { missing: 'field', message: '请选择协办部门' }
    input.cohandler = { departmentCode: f.cohandler }
  }
  if (event === 'callback') {
    if (!f.callbackResult) return { missing: 'field', message: '请选择回访结果' }
    input.callbackResult = f.callbackResult
  }
  return { input }
}

/**
 * The state and the sending of the action forms (the component only draws them): which events the
 * caller has (the shared machine's availableEvents narrowed to the server's `actions`), the open form
 * and its fields, one Idempotency-Key from opening a form until the server answers, and the
 * "needs a note" rule from @palm/shared (needsNote), so the form and the server agree.
 */
export function useTicketActions(ticket: ActionTicket, role: Role, onChanged: (t: TicketView) => void) {
  const allowed = availableEvents(ticket.state, role).filter((e) => ticket.actions.includes(e))
  const [open, setOpen] = useState<TicketEvent>()
  const f = useActionFields()
  const { note, setNoteError, photos, setPhotos, uploading, setUploading, setFieldError } = f
  const [busy, setBusy] = useState(false)
  const busyRef = useRef(false)
  const keyRef = useRef<string>()

  function openForm(event: TicketEvent) {
    setOpen(event)
    f.reset()
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

  function removePhoto(localPath: string) {
    setPhotos((x) => x.filter((y) => y.localPath !== localPath))
  }

  async function send(event: TicketEvent) {
    if (busyRef.current) return
    const built = buildInput(event, ticket, f)
    if ('missing' in built) {
      if (built.missing === 'note') setNoteError(built.message)
      else {
        setFieldError(built.message)
        void Taro.showToast({ title: built.message, icon: 'none' })
      }
      return
    }
    if (uploading.length > 0) {
      void Taro.showToast({ title: '照片上传中，请稍候', icon: 'none' })
      return
    }
    const parsed = TransitionSchema.safeParse(built.input)
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

  return {
    allowed,
    open,
    close: () => setOpen(undefined),
    handleTap,
    send,
    busy,
    note,
    noteError: f.noteError,
    setNote: (value: string) => {
      f.setNote(value)
      setNoteError(undefined)
    },
    score: f.score,
    setScore: f.setScore,
    photos,
    uploading,
    addPhotos,
    removePhoto,
    target: f.target,
    setTarget: f.setTarget,
    extensionDays: f.extensionDays,
    setExtensionDays: f.setExtensionDays,
    cohandler: f.cohandler,
    setCohandler: (code: string) => {
      f.setCohandler(code)
      setFieldError(undefined)
    },
    callbackResult: f.callbackResult,
    setCallbackResult: (result: CallbackResult) => {
      f.setCallbackResult(result)
      setFieldError(undefined)
    },
    fieldError: f.fieldError
  }
}

export type TicketActionsState = ReturnType<typeof useTicketActions>
