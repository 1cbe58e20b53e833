import { useRef, useState } from 'react'
import Taro from '@tarojs/taro'
import type { CreateTicketInput, TicketView } from '@palm/shared'
import { isApiError, type ApiError } from '../../../services/api-error'
import { newIdempotencyKey } from '../../../services/idempotency'
import { showError } from '../../../services/show-error'
import { tipoffsService } from '../../../services/tipoffs.service'
import { Routes, replacePage } from '../../../utils/routes'

/**
 * Sending a tip: one Idempotency-Key per tip, kept across retries after a network failure (so a
 * lost answer never files it twice) and renewed after a definite refusal (the corrected tip is a new
 * submission). Field errors from a 400 go back to the form; success opens the tip's ticket page,
 * where the reporter follows it, anonymous or not.
 */
export function useTipSubmit(onFieldIssues: (err: ApiError) => boolean) {
  const key = useRef(newIdempotencyKey())
  const sending = useRef(false)
  const [submitting, setSubmitting] = useState(false)

  async function submit(input: CreateTicketInput, back: string): Promise<TicketView | undefined> {
    if (sending.current) return undefined
    sending.current = true
    setSubmitting(true)
    try {
      for (;;) {
        try {
          const ticket = await tipoffsService.submit(input, key.current)
          void Taro.showToast({ title: '提交成功', icon: 'success' })
          replacePage(Routes.ticket(ticket.id))
          return ticket
        } catch (err) {
          if (isApiError(err) && err.status === 401) {
            replacePage(Routes.signIn(back))
            return undefined
          }
          if (isApiError(err) && !err.isNetworkError && err.status < 500 && err.code !== 'idempotency_in_flight') key.current = newIdempotencyKey()
          if (isApiError(err) && onFieldIssues(err)) {
            void Taro.showToast({ title: '请检查标红的内容', icon: 'none' })
            return undefined
          }
          // A network failure offers 重试, which sends the same tip again under the same key.
          if (!(await showError(err, { retry: true }))) return undefined
        }
      }
    } finally {
      sending.current = false
      setSubmitting(false)
    }
  }
  return { submitting, submit }
}
