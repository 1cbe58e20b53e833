#!/usr/bin/env node
// Draws the three tab-bar icons (home, messages, me) as 81×81 RGBA PNGs in two colours, with no
// image library: shapes are signed-distance tests, 4×4 supersampled for smooth edges. Run once;
// the PNGs are committed under src/assets/tab/.
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { deflateSync, crc32 } from 'node:zlib'

const SIZE = 81
const COLORS = { normal: [0x5c, 0x63, 0x70], active: [0xc8, 0x10, 0x2e] }

function chunk(type, data) {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body) >>> 0)
  return Buffer.concat([len, body, crc])
}

function png(inside, rgb) {
  const raw = Buffer.alloc((SIZE * 4 + 1) * SIZE)
  for (let y = 0; y < SIZE; y++) {
    raw[y * (SIZE * 4 + 1)] = 0
    for (let x = 0; x < SIZE; x++) {
      let hits = 0
      for (let sy = 0; sy < 4; sy++) for (let sx = 0; sx < 4; sx++) if (inside((x + (sx + 0.5) / 4) / SIZE, (y + (sy + 0.5) / 4) / SIZE)) hits++
      raw.set([...rgb, Math.round((hits / 16) * 255)], y * (SIZE * 4 + 1) + 1 + x * 4)
    }
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(SIZE, 0)
  ihdr.writeUInt32BE(SIZE, 4)
  ihdr[8] = 8
  ihdr[9] = 6
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))])
}

const within = (v, a, b) => v >= a && v <= b
/** House: a roof triangle over a body with a door cut out. */
const home = (x, y) => {
  const roof = y >= 0.12 && y <= 0.5 && Math.abs(x - 0.5) <= (y - 0.12) * 1.05
  const body = within(x, 0.22, 0.78) && within(y, 0.45, 0.86)
  const door = within(x, 0.42, 0.58) && within(y, 0.62, 0.86)
  return (roof || body) && !door
}
/** Speech bubble: a rounded box with a tail and three dots cut out. */
const messages = (x, y) => {
  const inBox = (px, py) => {
    const cx = Math.max(0.22, Math.min(0.78, px))
    const cy = Math.max(0.28, Math.min(0.62, py))
    return Math.hypot(px - cx, py - cy) <= 0.1
  }
  const tail = y >= 0.68 && y <= 0.86 && x >= 0.3 && x <= 0.3 + (0.86 - y) * 0.9
  const dot = [0.34, 0.5, 0.66].some((dx) => Math.hypot(x - dx, y - 0.45) <= 0.05)
  return (inBox(x, y) || tail) && !dot
}
/** Person: a head and shoulders. */
const me = (x, y) => {
  const head = Math.hypot(x - 0.5, y - 0.32) <= 0.17
  const shoulders = y >= 0.55 && y <= 0.88 && ((x - 0.5) / 0.33) ** 2 + ((y - 0.88) / 0.33) ** 2 <= 1
  return head || shoulders
}

const out = path.resolve(import.meta.dirname, '../src/assets/tab')
for (const [name, shape] of Object.entries({ home, messages, me })) {
  writeFileSync(path.join(out, `${name}.png`), png(shape, COLORS.normal))
  writeFileSync(path.join(out, `${name}-active.png`), png(shape, COLORS.active))
}
console.log(`tab icons written to ${out}`)
