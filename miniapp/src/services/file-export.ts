import Taro from '@tarojs/taro'
import { isWeapp } from '../utils/platform'
import { apiRequest, buildUrl, type QueryValue } from './api-client'
import { ApiError, apiErrorFromResponse, networkError } from './api-error'
import { getSession } from './session'

/** Excel needs the BOM to read UTF-8; text decoding may have dropped the server's. */
export function withBom(text: string): string {
  return text.startsWith('\uFEFF') ? text : `\uFEFF${text}`
}

/**
 * The text body of an export route (CSV). In WeChat the API client hands the text back as is. H5's
 * Taro.request can only parse JSON, so there the file is read with fetch and the session's bearer
 * token, after one cheap call through the API client (`probePath` with limit 1) that refreshes an
 * expired token — tokens never go in a URL.
 * @throws ApiError with the server's problem code, or network_error
 */
export async function fetchTextExport(exportPath: string, probePath: string, query: Record<string, QueryValue>): Promise<string> {
  if (isWeapp) {
    const body = await apiRequest<unknown>({ path: exportPath, query })
    if (typeof body !== 'string') throw new ApiError({ status: 200, code: 'internal_error', detail: 'the export was not text' })
    return body
  }
  await apiRequest<unknown>({ path: probePath, query: { ...query, limit: 1 } })
  const token = getSession()?.accessToken
  let res: Response
  try {
    res = await fetch(buildUrl(exportPath, query), { headers: token ? { Authorization: `Bearer ${token}` } : {} })
  } catch (err) {
    throw networkError(err instanceof Error ? err.message : String(err))
  }
  if (!res.ok) throw apiErrorFromResponse(res.status, await res.json().catch(() => null))
  return res.text()
}

/**
 * Hands a file to the person: WeChat writes it to the user folder and offers to send it to a chat
 * (to open on a computer); H5 downloads it. Resolves with the file name.
 */
export async function saveTextFile(fileName: string, text: string, mimeType: string): Promise<string> {
  if (isWeapp) {
    const filePath = `${Taro.env.USER_DATA_PATH ?? ''}/${fileName}`
    await new Promise<void>((resolve, reject) => Taro.getFileSystemManager().writeFile({ filePath, data: text, encoding: 'utf8', success: () => resolve(), fail: reject }))
    await Taro.shareFileMessage({ filePath, fileName })
    return fileName
  }
  const url = URL.createObjectURL(new Blob([text], { type: mimeType }))
  const a = document.createElement('a')
  a.href = url
  a.download = fileName
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
  return fileName
}
