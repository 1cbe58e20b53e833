import { useCallback, useEffect, useRef, useState } from 'react'
import Taro from '@tarojs/taro'
import type { TicketView } from '@palm/shared'
import { appConfig } from '../../../config'
import { ApiError, isApiError } from '../../../services/api-error'
import { messagesService } from '../../../services/messages.service'
import {
  clearDraft,
  draftToInput,
  loadDraft,
  renewDraftKey,
  reportFieldErrors,
  reportIssueMessage,
  saveDraft,
  type DraftPhoto,
  type ReportDraft,
  type ReportField
} from '../../../services/report-draft'
import { checkDraft, preloadDraftRules } from '../../../services/report-draft-check'
import { ticketsService } from '../../../services/tickets.service'
import { isWeapp } from '../../../utils/platform'

export type FieldErrors = Partial<Record<ReportField, string>>

/** What the page does with a failed submission; the hook decides, the page only shows it. */
export type SubmitOutcome =
  { kind: 'created'; ticket: TicketView } | { kind: 'invalid' } | { kind: 'offline'; error: ApiError } | { kind: 'sign_in_needed' } | { kind: 'refused'; error: unknown } | { kind: 'busy' }

/**
 * Asks for subscribe-message permission. WeChat only shows the dialog when called from a tap, so
 * this runs synchronously at the start of the submit tap; it resolves with the accepted template
 * ids (none in H5, where the API does not exist, or when none are configured).
 */
function askForSubscription(): Promise<string[]> {
  const ids = [...appConfig.subscribeTemplateIds]
  if (!isWeapp || ids.length === 0) return Promise.resolve([])
  return Taro.requestSubscribeMessage({ tmplIds: ids, entityIds: [] } as unknown as Taro.requestSubscribeMessage.Option)
    .then((res) => ids.filter((id) => (res as unknown as Record<string, string>)[id] === 'accept'))
    .catch(() => [])
}

/**
 * The report form's state and its submission rules: the draft is written to storage on every
 * change; validation uses the shared schema before anything is sent; photos upload as soon as they
 * are picked; a submission uses the draft's Idempotency-Key on every attempt and is never sent
 * twice at once; the draft is removed only after a 201.
 */
export function useReportForm() {
  const [draft, setDraft] = useState<ReportDraft>(loadDraft)
  const draftRef = useRef(draft)
  const [errors, setErrors] = useState<FieldErrors>({})
  const [submitting, setSubmitting] = useState(false)
  const [offline, setOffline] = useState<ApiError>()
  const [uploading, setUploading] = useState<string[]>([])
  const submittingRef = useRef(false)
  const uploads = useRef(new Map<string, Promise<void>>())
  useEffect(preloadDraftRules, [])

  const commit = useCallback((next: ReportDraft) => {
    draftRef.current = next
    saveDraft(next)
    setDraft(next)
  }, [])

  const update = useCallback(
    (patch: Partial<ReportDraft>, touched?: ReportField) => {
      commit({ ...draftRef.current, ...patch })
      if (touched) setErrors((e) => (e[touched] ? { ...e, [touched]: undefined } : e))
    },
    [commit]
  )

  /** Uploads one photo (once, even if asked again while it is on its way) and records its id in the draft. */
  const uploadPhoto = useCallback(
    (localPath: string): Promise<void> => {
      const running = uploads.current.get(localPath)
      if (running) return running
      const job = (async () => {
        setUploading((u) => [...u, localPath])
        try {
          const uploaded = await ticketsService.uploadPhoto(localPath)
          const photos = draftRef.current.photos.map((p) => (p.localPath === localPath ? { ...p, uploadId: uploaded.id } : p))
          commit({ ...draftRef.current, photos })
        } finally {
          uploads.current.delete(localPath)
          setUploading((u) => u.filter((p) => p !== localPath))
        }
      })()
      uploads.current.set(localPath, job)
      return job
    },
    [commit]
  )

  const addPhotos = useCallback(
    (paths: string[]) => {
      const fresh: DraftPhoto[] = paths.filter((p) => !draftRef.current.photos.some((x) => x.localPath === p)).map((localPath) => ({ localPath }))
      update({ photos: [...draftRef.current.photos, ...fresh] }, 'photos')
      // Uploading right away means a killed app loses nothing already sent; a failure here is retried on submit.
      for (const p of fresh) uploadPhoto(p.localPath).catch(() => undefined)
    },
    [update, uploadPhoto]
  )

  const removePhoto = useCallback((localPath: string) => update({ photos: draftRef.current.photos.filter((p) => p.localPath !== localPath) }, 'photos'), [update])

  async function uploadPendingPhotos(): Promise<void> {
    for (const photo of draftRef.current.photos) {
      if (!photo.uploadId) await uploadPhoto(photo.localPath)
    }
  }

  /** Applies a definite refusal: the request was answered, nothing was created, so the next attempt is a new submission. */
  function refused(err: ApiError): SubmitOutcome {
    // A 5xx may have been a crash after the commit: keep the key, so a retry gets the stored answer.
    if (err.status < 500 && err.code !== 'idempotency_in_flight') commit(renewDraftKey(draftRef.current))
    const fieldErrors = reportFieldErrors(err.issues)
    if (err.code === 'out_of_district') fieldErrors.location = reportIssueMessage('location', 'out_of_district')
    if (err.code === 'unknown_category') fieldErrors.category = reportIssueMessage('category', 'invalid')
    if (err.code === 'unsupported_media_type' || err.code === 'payload_too_large') {
      fieldErrors.photos = err.code === 'payload_too_large' ? '照片太大，请换一张' : '只能上传 JPG、PNG 或 WebP 图片'
    }
    if (Object.keys(fieldErrors).length > 0) {
      setErrors(fieldErrors)
      return { kind: 'invalid' }
    }
    return { kind: 'refused', error: err }
  }

  /**
   * One submission attempt. `fromTap` is true for the user's tap on 提交 (the only moment WeChat
   * allows the subscription dialog); a retry after a network failure passes false.
   */
  async function submit(fromTap: boolean): Promise<SubmitOutcome> {
    if (submittingRef.current) return { kind: 'busy' }
    submittingRef.current = true
    try {
      const found = await checkDraft(draftRef.current)
      if (Object.keys(found).length > 0) {
        setErrors(found)
        return { kind: 'invalid' }
      }
      const subscription = fromTap ? askForSubscription() : Promise.resolve([])
      setSubmitting(true)
      setOffline(undefined)
      await uploadPendingPhotos()
      const ticket = await ticketsService.create(draftToInput(draftRef.current), draftRef.current.idempotencyKey)
      clearDraft()
      const accepted = await subscription
      messagesService.registerSubscriptions(accepted).catch(() => undefined)
      return { kind: 'created', ticket }
    } catch (err) {
      if (!isApiError(err)) return { kind: 'refused', error: err }
      if (err.isNetworkError) {
        setOffline(err)
        return { kind: 'offline', error: err }
      }
      if (err.status === 401) return { kind: 'sign_in_needed' }
      return refused(err)
    } finally {
      submittingRef.current = false
      setSubmitting(false)
    }
  }

  return { draft, errors, setErrors, submitting, offline, uploading, update, addPhotos, removePhoto, submit }
}
