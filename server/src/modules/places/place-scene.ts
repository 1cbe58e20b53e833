import { createHmac, randomInt, timingSafeEqual } from 'node:crypto'
import { PlaceLimits } from '@palm/shared'
import { AppError, BadRequestError } from '../../errors'

/**
 * The scene of a place's QR code (docs/places-and-grids.md "QR scenes"):
 * `<place code>.<expiry day, base36>.<signature>`, 30 characters, inside WeChat's 32-character
 * scene. The signature is an HMAC of the rest under a key derived from JWT_SECRET, so nobody can
 * make a scene for another place or stretch its date; the date makes every printed code expirable.
 */

const DAY_MS = 86_400_000
const CODE_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'
const CODE_LENGTH = 8
const SIGNATURE_CHARS = 16
const SCENE_SHAPE = /^([a-z2-9]{8})\.([0-9a-z]{1,6})\.([A-Za-z0-9_-]{16})$/

/** A new place code: 8 characters of an unambiguous alphabet (31^8 ≈ 8.5·10^11). */
export function newPlaceCode(): string {
  let code = ''
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]
  return code
}

function sceneKey(secret: string): Buffer {
  return createHmac('sha256', secret).update('palm:place-qr-scene:v1').digest()
}

function sign(secret: string, body: string): string {
  return createHmac('sha256', sceneKey(secret)).update(body).digest('base64url').slice(0, SIGNATURE_CHARS)
}

/** A signed scene for this place code, valid for PlaceLimits.qrValidDays from `now`. */
export function makeScene(secret: string, placeCode: string, now: Date): { scene: string; expiresAt: Date } {
  const expiryDay = Math.floor(now.getTime() / DAY_MS) + PlaceLimits.qrValidDays
  const body = `${placeCode}.${expiryDay.toString(36)}`
  return { scene: `${body}.${sign(secret, body)}`, expiresAt: new Date(expiryDay * DAY_MS) }
}

/**
 * The place code a scene stands for, once its signature and date are checked (signature first, so
 * a forged scene learns nothing about dates).
 * @throws BadRequestError qr_scene_forged (malformed or signature wrong); AppError 410 qr_scene_expired
 */
export function readScene(secret: string, scene: string, now: Date): { placeCode: string; expiresAt: Date } {
  const match = SCENE_SHAPE.exec(scene)
  if (!match) throw new BadRequestError('qr_scene_forged', 'This QR code was not made by Palm Pingcheng.')
  const [, placeCode, expiry, signature] = match as unknown as [string, string, string, string]
  const expected = Buffer.from(sign(secret, `${placeCode}.${expiry}`))
  const given = Buffer.from(signature)
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new BadRequestError('qr_scene_forged', 'This QR code was not made by Palm Pingcheng.')
  }
  const expiresAt = new Date(parseInt(expiry, 36) * DAY_MS)
  if (now.getTime() >= expiresAt.getTime()) throw new AppError(410, 'qr_scene_expired', 'This QR code has expired; ask the community for a new one.')
  return { placeCode, expiresAt }
}
