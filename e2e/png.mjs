// Writes a small real PNG (a street-lamp-like picture) without any image library, for the photo step.
import { deflateSync, crc32 } from 'node:zlib'

function chunk(type, data) {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body) >>> 0)
  return Buffer.concat([len, body, crc])
}

/** An RGB PNG of `width`×`height`: a dusk sky, a grey pole and a dark lamp head. */
export function makePng(width = 320, height = 240) {
  const raw = Buffer.alloc((width * 3 + 1) * height)
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1)
    raw[row] = 0
    for (let x = 0; x < width; x++) {
      let r = 40 + Math.round((y / height) * 60)
      let g = 60 + Math.round((y / height) * 40)
      let b = 120 - Math.round((y / height) * 40)
      if (x > width / 2 - 6 && x < width / 2 + 6 && y > 60) [r, g, b] = [110, 110, 110]
      if (y > 40 && y < 70 && x > width / 2 - 40 && x < width / 2 + 40) [r, g, b] = [30, 30, 30]
      if (y > height - 30) [r, g, b] = [90, 80, 70]
      raw.set([r, g, b], row + 1 + x * 3)
    }
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr[8] = 8
  ihdr[9] = 2
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))])
}
