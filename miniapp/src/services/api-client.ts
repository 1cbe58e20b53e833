import Taro from '@tarojs/taro'
import { appConfig } from '../config'
import { ApiError, apiErrorFromResponse, networkError } from './api-error'
import { localFileFor } from './local-files'
import { consentRequired, passwordChangeRequired } from './auth-gate'
import { clearSession, getSession, saveRefreshedTokens, type TokenResponse } from './session'

/**
 * The one caller of Taro.request and Taro.uploadFile (docs/style.md "Mini-program"). It adds the base URL and the
 * bearer token, refreshes an expired token once (one refresh shared by every call that needs it)
 * and retries, and turns every failure into a rejected ApiError: it never resolves on failure.
 */

export type QueryValue = string | number | boolean | null | undefined
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

export interface RequestOptions {
  method?: HttpMethod
  /** Path under the API origin, starting with /api/. */
  path: string
  query?: Record<string, QueryValue>
  body?: unknown
  /** Sent as Idempotency-Key; the caller keeps it for the whole life of one submission. */
  idempotencyKey?: string
  /** false: send no token even when signed in (sign-in calls). */
  auth?: boolean
  timeoutMs?: number
}

export interface UploadOptions {
  path: string
  filePath: string
  /** Multipart field name; the API expects `file`. */
  name?: string
  formData?: Record<string, string>
  idempotencyKey?: string
  timeoutMs?: number
}

const DEFAULT_TIMEOUT_MS = 15_000
const UPLOAD_TIMEOUT_MS = 60_000

/** Builds an absolute (weapp) or same-origin (H5) URL with an encoded query string. */
export function buildUrl(path: string, query?: Record<string, QueryValue>): string {
  const params = Object.entries(query ?? {})
    .filter((entry): entry is [string, string | number | boolean] => entry[1] !== undefined && entry[1] !== null && entry[1] !== '')
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
  return `${appConfig.apiBase}${path}${params.length ? `?${params.join('&')}` : ''}`
}

interface RawResponse {
  statusCode: number
  data: unknown
  /** The Retry-After header, when the server sent one (a locked account, a rate limit). */
  retryAfter?: string
}

type Attempt = (accessToken: string | undefined) => Promise<RawResponse>

/** Sends a JSON request and resolves with the parsed 2xx body, or rejects with ApiError. */
export function apiRequest<T>(options: RequestOptions): Promise<T> {
  const url = buildUrl(options.path, options.query)
  const method = options.method ?? 'GET'
  const attempt: Attempt = async (accessToken) => {
    const header: Record<string, string> = { Accept: 'application/json, application/problem+json' }
    if (options.body !== undefined) header['Content-Type'] = 'application/json'
    if (accessToken) header.Authorization = `Bearer ${accessToken}`
    if (options.idempotencyKey) header['Idempotency-Key'] = options.idempotencyKey
    try {
      const res = await Taro.request({
        url,
        method,
        header,
        data: options.body === undefined ? undefined : (options.body as Record<string, unknown>),
        dataType: 'json',
        timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS
      })
      return { statusCode: res.statusCode, data: res.data as unknown, retryAfter: headerValue(res.header, 'retry-after') }
    } catch (err) {
      throw networkError(errMsgOf(err))
    }
  }
  return send<T>(attempt, options.auth !== false)
}

/** Uploads one file as multipart (field `file`) and resolves with the parsed 2xx body. */
export function apiUpload<T>(options: UploadOptions): Promise<T> {
  const url = buildUrl(options.path)
  const attempt: Attempt = async (accessToken) => {
    const header: Record<string, string> = { Accept: 'application/json, application/problem+json' }
    if (accessToken) header.Authorization = `Bearer ${accessToken}`
    if (options.idempotencyKey) header['Idempotency-Key'] = options.idempotencyKey
    const timeoutMs = options.timeoutMs ?? UPLOAD_TIMEOUT_MS
    const file = localFileFor(options.filePath)
    try {
      if (file) return await uploadBlob(url, file, options.name ?? 'file', header, options.formData, timeoutMs)
      const res = await withTimeout(Taro.uploadFile({ url, filePath: options.filePath, name: options.name ?? 'file', header, formData: options.formData, timeout: timeoutMs }), timeoutMs + 5_000)
      return { statusCode: res.statusCode, data: parseMaybeJson(res.data) }
    } catch (err) {
      throw networkError(errMsgOf(err))
    }
  }
  return send<T>(attempt, true)
}

/** H5 with the picked File at hand (see local-files.ts): one multipart POST, no blob: re-read. */
async function uploadBlob(url: string, file: Blob, name: string, header: Record<string, string>, formData: Record<string, string> | undefined, timeoutMs: number): Promise<RawResponse> {
  const form = new FormData()
  for (const [k, v] of Object.entries(formData ?? {})) form.append(k, v)
  const fileName = 'name' in file && typeof file.name === 'string' ? file.name : `photo-${Date.now()}.jpg`
  form.append(name, file, fileName)
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), timeoutMs)
  try {
    const res = await fetch(url, { method: 'POST', headers: header, body: form, signal: controller.signal })
    return { statusCode: res.status, data: parseMaybeJson(await res.text()) }
  } finally {
    clearTimeout(timer)
  }
}

/** A request that never settles (a blocked XHR, a frozen runtime) becomes a failure the user can retry. */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timeout')), ms)
    promise.then(
      (v) => {
        clearTimeout(timer)
        resolve(v)
      },
      (e: unknown) => {
        clearTimeout(timer)
        reject(e)
      }
    )
  })
}

/**
 * One call with the refresh rule: a 401 `invalid_token` on a call that carried a token triggers one
 * refresh (shared with every concurrent caller), then exactly one retry with the new token.
 */
async function send<T>(attempt: Attempt, withAuth: boolean): Promise<T> {
  const token = withAuth ? getSession()?.accessToken : undefined
  const first = await attempt(token)
  if (isSuccess(first.statusCode)) return first.data as T
  const error = failure(first, token)
  if (!(token && error.status === 401 && error.code === 'invalid_token')) throw error

  const fresh = await refreshAccessToken(token)
  const second = await attempt(fresh)
  if (isSuccess(second.statusCode)) return second.data as T
  throw failure(second, fresh)
}

/**
 * The ApiError of a failed answer. 403 `password_change_required` (a staff member who must change
 * the one-time password first) is handled here, once for every page: the app goes to the password
 * change page; the caller still gets the error (its screen shows it behind that page).
 */
function failure(res: RawResponse, token: string | undefined): ApiError {
  const error = apiErrorFromResponse(res.statusCode, res.data, res.retryAfter)
  if (error.status === 403 && error.code === 'password_change_required') passwordChangeRequired()
  // No current consent on the server (docs/residents-data.md): the privacy notice opens, once.
  if (error.status === 403 && error.code === 'consent_required') consentRequired()
  // An account disabled mid-session: its tokens are dead, so the app shows it signed out.
  if (token && error.status === 401 && error.code === 'account_disabled') clearSession('tokens')
  return error
}

/** A response header by name, whatever case the platform gives its keys. */
function headerValue(header: unknown, name: string): string | undefined {
  if (typeof header !== 'object' || header === null) return undefined
  for (const [k, v] of Object.entries(header as Record<string, unknown>)) if (k.toLowerCase() === name) return typeof v === 'string' ? v : String(v)
  return undefined
}

let inFlightRefresh: Promise<string> | undefined

/**
 * Exchanges the refresh token for a new pair. Concurrent 401s share this one promise, because
 * refresh tokens rotate: a second refresh with the same token would be seen as reuse and revoke
 * the whole family (docs/security.md SESS-2). If another call already refreshed (the stored token is no
 * longer the one that failed), that newer token is used directly.
 */
function refreshAccessToken(failedToken: string): Promise<string> {
  const current = getSession()
  if (current && current.accessToken !== failedToken) return Promise.resolve(current.accessToken)
  if (!inFlightRefresh) {
    inFlightRefresh = doRefresh().finally(() => {
      inFlightRefresh = undefined
    })
  }
  return inFlightRefresh
}

async function doRefresh(): Promise<string> {
  const session = getSession()
  if (!session) throw new ApiError({ status: 401, code: 'unauthenticated', detail: '登录已过期，请重新登录' })
  let res: RawResponse
  try {
    const raw = await Taro.request({
      url: buildUrl('/api/auth/refresh'),
      method: 'POST',
      header: { 'Content-Type': 'application/json', Accept: 'application/json, application/problem+json' },
      data: { refreshToken: session.refreshToken },
      dataType: 'json',
      timeout: DEFAULT_TIMEOUT_MS
    })
    res = { statusCode: raw.statusCode, data: raw.data as unknown }
  } catch (err) {
    throw networkError(errMsgOf(err))
  }
  if (!isSuccess(res.statusCode)) {
    const error = apiErrorFromResponse(res.statusCode, res.data)
    if (error.status === 401 || error.status === 400) {
      clearSession('tokens')
      throw new ApiError({ status: 401, code: 'unauthenticated', detail: '登录已过期，请重新登录' })
    }
    throw error
  }
  const tokens = res.data as Partial<TokenResponse>
  if (typeof tokens.accessToken !== 'string' || typeof tokens.refreshToken !== 'string') {
    throw new ApiError({ status: res.statusCode, code: 'internal_error', detail: 'refresh answered without tokens' })
  }
  saveRefreshedTokens({ accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, user: tokens.user })
  return tokens.accessToken
}

function isSuccess(status: number): boolean {
  return status >= 200 && status < 300
}

/** Taro.uploadFile hands back the body as text. */
function parseMaybeJson(data: unknown): unknown {
  if (typeof data !== 'string') return data
  try {
    return JSON.parse(data)
  } catch {
    return data
  }
}

function errMsgOf(err: unknown): string {
  if (typeof err === 'object' && err !== null && 'errMsg' in err) return String((err as { errMsg: unknown }).errMsg)
  return err instanceof Error ? err.message : String(err)
}
