import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { ProblemSchema, UploadViewSchema } from '@palm/shared'
import sharp from 'sharp'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bearer, createUser } from '../../../test/factories'
import { createTestContext, type TestContext } from '../../../test/test-app'
import { jpegWithGps, pngBombHeader, pngPhoto, uploadFile } from '../../../test/tickets-factories'
import { Upload } from './upload.entity'

let t: TestContext
let resident: Awaited<ReturnType<typeof createUser>>

beforeAll(async () => {
  t = await createTestContext()
  resident = await createUser(t.db.ds, 'resident')
})
afterAll(async () => {
  await t.close()
})

function storedFiles(): string[] {
  const root = t.deps.config.uploadsDir
  try {
    return readdirSync(root).flatMap((dir) => readdirSync(path.join(root, dir)).map((f) => path.join(root, dir, f)))
  } catch {
    return []
  }
}

async function expectRefused(res: request.Response, status: number, code: string) {
  expect(res.status).toBe(status)
  expect(ProblemSchema.parse(res.body).code).toBe(code)
}

describe('POST /api/uploads', () => {
  it('returns 401 without sign-in', async () => {
    const res = await request(t.server)
      .post('/api/uploads')
      .attach('file', await jpegWithGps(), 'a.jpg')
    await expectRefused(res, 401, 'unauthenticated')
  })

  it('stores a JPEG re-encoded without EXIF or GPS, under a server-made name', async () => {
    const before = await t.db.ds.getRepository(Upload).count()
    const original = await jpegWithGps()
    expect((await sharp(original).metadata()).exif).toBeDefined()
    const res = await uploadFile(t, resident, original, '../../etc/passwd.jpg')
    expect(res.status).toBe(201)
    const view = UploadViewSchema.parse(res.body)
    expect(view.mime).toBe('image/jpeg')
    const row = await t.db.ds.getRepository(Upload).findOneByOrFail({ id: view.id })
    expect(row.ownerId).toBe(resident.id)
    expect(row.path).toBe(path.join(view.id.slice(0, 2), `${view.id}.jpg`))
    expect(await t.db.ds.getRepository(Upload).count()).toBe(before + 1)
    const stored = readFileSync(path.join(t.deps.config.uploadsDir, row.path))
    const meta = await sharp(stored).metadata()
    expect(meta.format).toBe('jpeg')
    expect(meta.exif).toBeUndefined()
    expect(meta.xmp).toBeUndefined()
    expect(stored.includes(Buffer.from('TestPhone'))).toBe(false)
    expect(stored.includes(Buffer.from('GPS'))).toBe(false)
  })

  it('turns a PNG into WebP and fits a large photo within 2,048 px', async () => {
    const res = await uploadFile(t, resident, await pngPhoto(3000, 1500), 'big.png', 'image/png')
    expect(res.status).toBe(201)
    const view = UploadViewSchema.parse(res.body)
    expect(view.mime).toBe('image/webp')
    expect(view.width).toBe(2048)
    expect(view.height).toBe(1024)
  })

  it('returns 415 for a text file, whatever its name and declared type say, and stores nothing', async () => {
    const files = storedFiles().length
    const res = await uploadFile(t, resident, Buffer.from('<html><script>alert(1)</script></html>'), 'photo.jpg', 'image/jpeg')
    await expectRefused(res, 415, 'unsupported_media_type')
    expect(storedFiles().length).toBe(files)
  })

  it('returns 415 for an SVG and for a GIF', async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>')
    await expectRefused(await uploadFile(t, resident, svg, 'a.svg', 'image/svg+xml'), 415, 'unsupported_media_type')
    const gif = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#fff' } })
      .gif()
      .toBuffer()
    await expectRefused(await uploadFile(t, resident, gif, 'a.gif', 'image/gif'), 415, 'unsupported_media_type')
  })

  it('returns 415 for a JPEG header followed by garbage', async () => {
    const fake = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('<?php system($_GET["c"]); ?>')])
    await expectRefused(await uploadFile(t, resident, fake), 415, 'unsupported_media_type')
  })

  it('accepts a JPEG/script polyglot but keeps only its pixels', async () => {
    const payload = '<?php system($_GET["c"]); ?><script>alert(document.cookie)</script>'
    const polyglot = Buffer.concat([await jpegWithGps(64, 64), Buffer.from(payload)])
    const res = await uploadFile(t, resident, polyglot)
    expect(res.status).toBe(201)
    const view = UploadViewSchema.parse(res.body)
    const content = await request(t.server).get(view.url)
    expect(content.status).toBe(200)
    expect(Buffer.from(content.body as Buffer).includes(Buffer.from('<?php'))).toBe(false)
    expect(Buffer.from(content.body as Buffer).includes(Buffer.from('<script>'))).toBe(false)
  })

  it('returns 413 for a file over the 10 MB cap', async () => {
    const huge = Buffer.alloc(t.deps.config.uploadMaxBytes + 1, 0)
    huge[0] = 0xff
    huge[1] = 0xd8
    huge[2] = 0xff
    await expectRefused(await uploadFile(t, resident, huge), 413, 'payload_too_large')
  })

  it('returns 413 for a pixel bomb before decoding it', async () => {
    const bomb = pngBombHeader(30_000, 30_000)
    expect(bomb.length).toBeLessThan(2000)
    await expectRefused(await uploadFile(t, resident, bomb, 'bomb.png', 'image/png'), 413, 'payload_too_large')
  })

  it('returns 400 when the field is not called file', async () => {
    const res = await request(t.server)
      .post('/api/uploads')
      .set('Authorization', bearer(t.deps.config, resident))
      .attach('photo', await jpegWithGps(), 'a.jpg')
    await expectRefused(res, 400, 'validation_failed')
  })
})

describe('GET /api/uploads/:id/content (signed URLs)', () => {
  async function uploaded() {
    return UploadViewSchema.parse((await uploadFile(t, resident, await jpegWithGps(32, 32))).body)
  }

  it('serves the photo with its type and a private cache header, without sign-in', async () => {
    const view = await uploaded()
    const res = await request(t.server).get(view.url)
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toBe('image/jpeg')
    expect(res.headers['cache-control']).toMatch(/^private, max-age=\d+$/)
    expect(res.headers['x-content-type-options']).toBe('nosniff')
  })

  it('expires within 10 minutes: after that the URL is 404', async () => {
    const view = await uploaded()
    const exp = Number(new URL(view.url, 'http://x').searchParams.get('exp'))
    const now = Date.now() / 1000
    expect(exp - now).toBeGreaterThan(5 * 60 - 1)
    expect(exp - now).toBeLessThanOrEqual(10 * 60)
    t.setNow(new Date((exp + 1) * 1000))
    try {
      await expectRefused(await request(t.server).get(view.url), 404, 'not_found')
    } finally {
      t.setNow(null)
    }
  })

  it('returns 404 for a tampered signature, a moved expiry, another id, or no signature', async () => {
    const a = await uploaded()
    const b = await uploaded()
    const url = new URL(a.url, 'http://x')
    const sig = url.searchParams.get('sig') ?? ''
    const exp = url.searchParams.get('exp') ?? ''
    const tampered = `${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`
    for (const bad of [
      `/api/uploads/${a.id}/content?exp=${exp}&sig=${tampered}`,
      `/api/uploads/${a.id}/content?exp=${Number(exp) + 300}&sig=${sig}`,
      `/api/uploads/${b.id}/content?exp=${exp}&sig=${sig}`,
      `/api/uploads/${a.id}/content`,
      `/api/uploads/not-a-uuid/content?exp=${exp}&sig=${sig}`
    ]) {
      await expectRefused(await request(t.server).get(bad), 404, 'not_found')
    }
  })

  it('stores each file once on disk, not executable', async () => {
    const view = await uploaded()
    const row = await t.db.ds.getRepository(Upload).findOneByOrFail({ id: view.id })
    const mode = statSync(path.join(t.deps.config.uploadsDir, row.path)).mode
    expect(mode & 0o111).toBe(0)
  })
})
