import { createHmac, timingSafeEqual } from 'node:crypto'
import type { Config } from '../../config'

/** Signed URLs live 5–10 minutes: expiry rounds up to the next 5-minute mark plus 5, so a page of URLs is cacheable. */
const WINDOW_SECONDS = 300
export const MAX_URL_TTL_SECONDS = 2 * WINDOW_SECONDS

/** A key of its own, derived from the JWT secret, so a URL signature can never pass as anything else. */
function urlKey(config: Config): Buffer {
  return createHmac('sha256', config.jwt.secret).update('palm-upload-url-v1').digest()
}

function signature(config: Config, uploadId: string, exp: number): string {
  return createHmac('sha256', urlKey(config)).update(`${uploadId}.${exp}`).digest('base64url')
}

/**
 * A short-lived URL for one stored photo. Only presenters call it, and only for callers who may see
 * the ticket (or who own the upload), so the URL is the object-level check made portable to an <img>.
 */
export function signUploadUrl(config: Config, uploadId: string, now: Date): string {
  const nowSeconds = Math.floor(now.getTime() / 1000)
  const exp = Math.ceil(nowSeconds / WINDOW_SECONDS) * WINDOW_SECONDS + WINDOW_SECONDS
  return `/api/uploads/${uploadId}/content?exp=${exp}&sig=${signature(config, uploadId, exp)}`
}

/** True when the signature is ours for this id and expiry, and the expiry is neither past nor implausibly far. */
export function verifyUploadSignature(config: Config, uploadId: string, exp: unknown, sig: unknown, now: Date): boolean {
  if (typeof exp !== 'string' || typeof sig !== 'string' || !/^\d{1,12}$/.test(exp) || !/^[A-Za-z0-9_-]{43}$/.test(sig)) return false
  const expSeconds = Number(exp)
  const nowSeconds = Math.floor(now.getTime() / 1000)
  if (expSeconds < nowSeconds || expSeconds > nowSeconds + MAX_URL_TTL_SECONDS) return false
  const expected = Buffer.from(signature(config, uploadId, expSeconds))
  const given = Buffer.from(sig)
  return expected.length === given.length && timingSafeEqual(expected, given)
}
