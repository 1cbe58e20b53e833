import { PLACE_KIND_NAMES, PLACE_REPORT_PATH, type PlaceKind, type PlaceQrPlatform } from '@palm/shared'
import QRCode from 'qrcode'
import sharp, { type OverlayOptions } from 'sharp'
import type { AppDeps } from '../../deps'
import { ServiceUnavailableError } from '../../errors'
import { WeChatError, wechatClientFor } from '../wechat/index'
import type { Place } from './places.entity'
import { makeScene } from './place-scene'
import { h5ReportUrl } from './places.service'

/**
 * The images of place codes (docs/places-and-grids.md): one code as PNG, and the printable sheet
 * of a grid. H5 codes are URL QR codes made here (qrcode); weapp codes come from WeChat's
 * wxacode.getUnlimited through the one WeChat client, with the same signed scene.
 */

const CODE_PX = 360

export interface PlaceCode {
  png: Buffer
  scene: string
  expiresAt: Date
  /** The H5 address the code holds (h5 only). */
  url: string | null
}

/** One place's code for a platform, made fresh (a new scene with a new expiry each time). */
export async function placeCode(deps: Pick<AppDeps, 'config' | 'now'>, place: Place, platform: PlaceQrPlatform, origin: string): Promise<PlaceCode> {
  const { scene, expiresAt } = makeScene(deps.config.jwt.secret, place.code, deps.now())
  if (platform === 'weapp') {
    try {
      const png = await wechatClientFor(deps.config).getUnlimitedQrCode({ scene, page: PLACE_REPORT_PATH, width: CODE_PX, check_path: deps.config.env === 'production' })
      return { png, scene, expiresAt, url: null }
    } catch (err) {
      if (err instanceof WeChatError) throw new ServiceUnavailableError('wechat_unavailable', `WeChat did not make the code (${err.kind}); try again later.`, 30)
      throw err
    }
  }
  const url = h5ReportUrl(origin, scene)
  const png = await QRCode.toBuffer(url, { type: 'png', width: CODE_PX, margin: 2, errorCorrectionLevel: 'M' })
  return { png, scene, expiresAt, url }
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] as string)
}

const SHEET = { width: 1240, columns: 3, cellWidth: 400, cellHeight: 470, top: 150, left: 10 } as const
const FONT = "'WenQuanYi Micro Hei', 'Noto Sans CJK SC', 'Source Han Sans SC', sans-serif"

/**
 * A printable PNG (A4 width at 150 dpi) of every place of a grid: a title, then three codes a row,
 * each with the place's name, kind and code. Text is drawn by sharp's SVG renderer, so the
 * server needs a CJK font (fonts-wqy-microhei) for the names to print.
 */
export async function placeSheet(deps: Pick<AppDeps, 'config' | 'now'>, grid: { code: string; name: string }, places: Place[], platform: PlaceQrPlatform, origin: string): Promise<Buffer> {
  const codes: PlaceCode[] = []
  // One at a time: weapp codes are WeChat calls, and a sheet is made rarely.
  for (const place of places) codes.push(await placeCode(deps, place, platform, origin))
  const rows = Math.max(1, Math.ceil(places.length / SHEET.columns))
  const height = SHEET.top + rows * SHEET.cellHeight + 40
  const texts: string[] = [
    `<text x="${SHEET.width / 2}" y="64" font-size="44" font-weight="bold" text-anchor="middle" font-family="${FONT}">${escapeXml(grid.name)} · 一码通</text>`,
    `<text x="${SHEET.width / 2}" y="112" font-size="26" text-anchor="middle" fill="#444" font-family="${FONT}">${escapeXml(platform === 'weapp' ? '微信扫码，直接上报这里的问题' : '手机扫码，直接上报这里的问题')}（网格 ${escapeXml(grid.code)}）</text>`
  ]
  const composites: OverlayOptions[] = []
  places.forEach((place, i) => {
    const x = SHEET.left + (i % SHEET.columns) * (SHEET.cellWidth + 10)
    const y = SHEET.top + Math.floor(i / SHEET.columns) * SHEET.cellHeight
    texts.push(`<rect x="${x}" y="${y}" width="${SHEET.cellWidth}" height="${SHEET.cellHeight - 16}" fill="none" stroke="#999" stroke-dasharray="8 6"/>`)
    texts.push(`<text x="${x + SHEET.cellWidth / 2}" y="${y + CODE_PX + 48}" font-size="28" text-anchor="middle" font-family="${FONT}">${escapeXml(place.name)}</text>`)
    texts.push(
      `<text x="${x + SHEET.cellWidth / 2}" y="${y + CODE_PX + 84}" font-size="20" text-anchor="middle" fill="#555" font-family="${FONT}">${escapeXml(PLACE_KIND_NAMES[place.kind as PlaceKind] ?? place.kind)} · ${escapeXml(place.code)}</text>`
    )
    composites.push({ input: (codes[i] as PlaceCode).png, left: x + (SHEET.cellWidth - CODE_PX) / 2, top: y + 12 })
  })
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${SHEET.width}" height="${height}"><rect width="100%" height="100%" fill="#fff"/>${texts.join('')}</svg>`
  const resized = await Promise.all(
    composites.map(async (c) => ({
      ...c,
      input: await sharp(c.input as Buffer)
        .resize(CODE_PX, CODE_PX, { fit: 'contain', background: '#fff' })
        .png()
        .toBuffer()
    }))
  )
  return sharp(Buffer.from(svg)).composite(resized).png().toBuffer()
}
