import sharp, { type Metadata } from 'sharp'
import { AppError } from '../../errors'

/** docs/security.md FILE-1: the pixel cap against decompression bombs, checked from the header before decoding. */
export const MAX_INPUT_PIXELS = 40_000_000
/** The longest side of a stored photo. */
export const MAX_STORED_SIDE = 2048
const QUALITY = 82

export type SniffedFormat = 'jpeg' | 'png' | 'webp'

/**
 * The format by magic bytes, whatever the file name or the declared type says. Only JPEG, PNG and
 * WebP pass, so SVG, HTML, PDF, GIF and HEIC never reach a decoder.
 */
export function sniffImageFormat(bytes: Buffer): SniffedFormat | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg'
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png'
  if (bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') return 'webp'
  return undefined
}

export interface ProcessedImage {
  data: Buffer
  mime: 'image/jpeg' | 'image/webp'
  extension: 'jpg' | 'webp'
  width: number
  height: number
}

const notAnImage = () => new AppError(415, 'unsupported_media_type', 'Only JPEG, PNG and WebP photos are accepted.')

/**
 * Turns an uploaded photo into the one we store: the format checked by magic bytes and by the decoder's
 * own header parse, the pixel count capped before decoding, then decoded and re-encoded (turned upright
 * by its EXIF orientation, fitted within 2,048 px, every metadata block dropped: EXIF, GPS, XMP, ICC,
 * comments). Re-encoding keeps only pixels, so whatever else a polyglot carried is gone.
 * @throws AppError 415 unsupported_media_type, 413 payload_too_large (too many pixels)
 */
export async function reencodeImage(input: Buffer): Promise<ProcessedImage> {
  const sniffed = sniffImageFormat(input)
  if (!sniffed) throw notAnImage()
  let meta: Metadata
  try {
    meta = await sharp(input, { limitInputPixels: false }).metadata()
  } catch {
    throw notAnImage()
  }
  if (meta.format !== sniffed || !meta.width || !meta.height) throw notAnImage()
  if (meta.width * meta.height > MAX_INPUT_PIXELS) {
    throw new AppError(413, 'payload_too_large', `The photo has more than ${MAX_INPUT_PIXELS / 1_000_000} million pixels.`)
  }
  const pipeline = sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' }).rotate().resize({ width: MAX_STORED_SIDE, height: MAX_STORED_SIDE, fit: 'inside', withoutEnlargement: true })
  const asJpeg = sniffed === 'jpeg'
  try {
    const { data, info } = await (asJpeg ? pipeline.jpeg({ quality: QUALITY }) : pipeline.webp({ quality: QUALITY })).toBuffer({
      resolveWithObject: true
    })
    return { data, mime: asJpeg ? 'image/jpeg' : 'image/webp', extension: asJpeg ? 'jpg' : 'webp', width: info.width, height: info.height }
  } catch {
    throw notAnImage()
  }
}
