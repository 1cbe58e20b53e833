import { describe, expect, it, vi } from 'vitest'
import Taro from '@tarojs/taro'
import { ERROR_CODES } from '@palm/shared'
import { ApiError, networkError } from './api-error'
import { ERROR_MESSAGES, errorMessage, messageForCode, showError } from './show-error'

const CHINESE = /[\u4e00-\u9fff]/

describe('error messages', () => {
  it('has Chinese text for every error code the API can answer with', () => {
    for (const code of ERROR_CODES) expect(ERROR_MESSAGES[code], code).toMatch(CHINESE)
    expect(Object.keys(ERROR_MESSAGES).sort()).toEqual([...ERROR_CODES].sort())
  })

  it('shows the text of the code, never the server detail', () => {
    const err = new ApiError({ status: 409, code: 'slot_full', detail: 'This slot is fully booked.' })
    expect(errorMessage(err)).toBe(ERROR_MESSAGES.slot_full)
  })

  it('falls back by status class for a code this build does not know', () => {
    expect(messageForCode('a_code_from_a_newer_server')).toBeUndefined()
    expect(messageForCode('constructor')).toBeUndefined()
    expect(errorMessage(new ApiError({ status: 403, code: 'a_code_from_a_newer_server' }))).toBe(ERROR_MESSAGES.forbidden)
    expect(errorMessage(new ApiError({ status: 404, code: 'a_code_from_a_newer_server' }))).toBe(ERROR_MESSAGES.not_found)
    expect(errorMessage(new ApiError({ status: 409, code: 'a_code_from_a_newer_server' }))).toBe(ERROR_MESSAGES.conflict)
    expect(errorMessage(new ApiError({ status: 502, code: 'a_code_from_a_newer_server' }))).toBe(ERROR_MESSAGES.internal_error)
    expect(errorMessage(new ApiError({ status: 418, code: 'a_code_from_a_newer_server' }))).toBe('出错了，请稍后再试')
    expect(errorMessage(new Error('boom'))).toBe('出错了，请稍后再试')
  })

  it('shows a short message as a toast and a long one as a dialog', async () => {
    await showError(new ApiError({ status: 401, code: 'unauthenticated' }))
    expect(Taro.showToast).toHaveBeenLastCalledWith(expect.objectContaining({ title: ERROR_MESSAGES.unauthenticated }))
    await showError(new ApiError({ status: 409, code: 'checkin_window_closed' }))
    expect(Taro.showModal).toHaveBeenLastCalledWith(expect.objectContaining({ content: ERROR_MESSAGES.checkin_window_closed }))
  })

  it('offers 重试 for a network failure when asked, and says whether the user chose it', async () => {
    vi.mocked(Taro.showModal).mockResolvedValueOnce({ confirm: true, cancel: false } as Taro.showModal.SuccessCallbackResult)
    expect(await showError(networkError('timeout'), { retry: true })).toBe(true)
    expect(Taro.showModal).toHaveBeenLastCalledWith(expect.objectContaining({ confirmText: '重试', content: expect.stringContaining(ERROR_MESSAGES.network_error) }))
    expect(await showError(networkError('timeout'))).toBe(false)
  })
})
