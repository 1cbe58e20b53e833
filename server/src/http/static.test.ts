import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib'
import { ProblemSchema } from '@palm/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestContext, type TestContext } from '../../test/test-app'
import { Street } from '../modules/territory/territory.entity'

/*
 * Issue 14.4, through a real socket: node's http.request sends the path as written (`..` and all),
 * where fetch would normalise it away. The H5 build holds an index, an asset and, as a careless
 * deploy might, a `.env`; a secret lies next to the build.
 */
let t: TestContext
let server: http.Server
let port: number
let root: string
const SHELL = '<!doctype html><title>掌上平城</title>'
const SECRET = 'JWT_SECRET=do-not-serve-me'
/** A built asset with webpack's content hash in its name, and its precompressed twins. */
const HASHED = 'app.3f9c1a2b.js'
const HASHED_JS = `/* the real bundle */${'console.log("掌上平城");'.repeat(200)}`
/** A hashed asset without twins (over the 1 KB threshold), compressed on the fly. */
const PLAIN_JS = 'window.x=1;'.repeat(300)

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'palm-static-'))
  const h5 = path.join(root, 'h5')
  mkdirSync(path.join(h5, 'js'), { recursive: true })
  mkdirSync(path.join(h5, '.git'), { recursive: true })
  writeFileSync(path.join(h5, 'index.html'), SHELL)
  writeFileSync(path.join(h5, 'js', 'app.js'), 'console.log(1)')
  writeFileSync(path.join(h5, 'js', HASHED), HASHED_JS)
  writeFileSync(path.join(h5, 'js', `${HASHED}.br`), brotliCompressSync(HASHED_JS))
  writeFileSync(path.join(h5, 'js', `${HASHED}.gz`), gzipSync(HASHED_JS))
  writeFileSync(path.join(h5, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>')
  writeFileSync(path.join(h5, 'js', 'plain.5f3e2d1c.js'), PLAIN_JS)
  writeFileSync(path.join(h5, '.env'), SECRET)
  writeFileSync(path.join(h5, '.git', 'config'), SECRET)
  writeFileSync(path.join(root, 'secret.txt'), SECRET)
  t = await createTestContext({ h5Dir: h5 })
  server = http.createServer(t.server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  port = (server.address() as AddressInfo).port
})
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()))
  await t.close()
  rmSync(root, { recursive: true, force: true })
})

function rawGet(rawPath: string): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: 'GET', path: rawPath, agent: false }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (body += c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body }))
    })
    req.on('error', reject)
    req.end()
  })
}

async function expectProblem(rawPath: string, status: number, code: string) {
  const res = await rawGet(rawPath)
  expect(res.status).toBe(status)
  expect(res.type).toMatch(/application\/problem\+json/)
  expect(ProblemSchema.parse(JSON.parse(res.body)).code).toBe(code)
  expect(res.body).not.toContain(SECRET)
  expect(res.body).not.toContain('掌上平城')
}

describe('paths that try to leave the build', () => {
  it.each([
    '/../../etc/passwd',
    '/../secret.txt',
    '/js/../../secret.txt',
    '/%2e%2e/%2e%2e/etc/passwd',
    '/js/..%2f..%2fsecret.txt',
    '/js/%2E%2E/%2E%2E/secret.txt',
    '/js\\..\\..\\secret.txt',
    '/index.html%00.js',
    '/%E0%A4%A',
    '/api/../../etc/passwd'
  ])('answer %s with 400 malformed_path', async (rawPath) => {
    await expectProblem(rawPath, 400, 'malformed_path')
  })
})

describe('dot-files and dot-folders', () => {
  it.each(['/.env', '/.git/config', '/.git/', '/.well-known/security.txt', '/js/.hidden', '/%2eenv', '/.%65nv'])('answer %s with 404 not_found, never the file nor the app shell', async (rawPath) => {
    await expectProblem(rawPath, 404, 'not_found')
  })
})

describe('the app', () => {
  it.each(['/', '/index.html', '/packages/report/new/index', '/pages/home/index'])('serves the app shell at %s', async (rawPath) => {
    const res = await rawGet(rawPath)
    expect(res.status).toBe(200)
    expect(res.type).toMatch(/text\/html/)
    expect(res.body).toBe(SHELL)
  })

  it('serves its assets and answers a missing one with 404 not_found', async () => {
    const asset = await rawGet('/js/app.js')
    expect(asset.status).toBe(200)
    expect(asset.body).toBe('console.log(1)')
    await expectProblem('/js/missing.js', 404, 'not_found')
  })
})

function getWith(rawPath: string, headers: Record<string, string>): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: 'GET', path: rawPath, headers, agent: false }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }))
    })
    req.on('error', reject)
    req.end()
  })
}

describe('caching (issue 12.1)', () => {
  it('keeps hashed assets a year, immutable', async () => {
    for (const file of [`/js/${HASHED}`, '/js/plain.5f3e2d1c.js']) {
      const res = await getWith(file, { 'Accept-Encoding': 'br' })
      expect(res.status).toBe(200)
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable')
    }
  })

  it('has the browser ask again for the app shell every time, at / and at an app route', async () => {
    for (const route of ['/', '/index.html', '/pages/home/index']) {
      const res = await getWith(route, {})
      expect(res.status).toBe(200)
      expect(res.headers['cache-control']).toBe('no-cache')
    }
  })

  it('keeps files with a fixed name (favicon, unhashed files) a day', async () => {
    expect((await getWith('/favicon.svg', {})).headers['cache-control']).toBe('public, max-age=86400')
    expect((await getWith('/js/app.js', {})).headers['cache-control']).toBe('public, max-age=86400')
  })
})

describe('compression (issue 12.1)', () => {
  it('sends the brotli twin to a browser that accepts it, and says so', async () => {
    const res = await getWith(`/js/${HASHED}`, { 'Accept-Encoding': 'gzip, deflate, br' })
    expect(res.status).toBe(200)
    expect(res.headers['content-encoding']).toBe('br')
    expect(res.headers.vary).toMatch(/Accept-Encoding/i)
    expect(res.headers['content-type']).toMatch(/javascript/)
    expect(brotliDecompressSync(res.body).toString()).toBe(HASHED_JS)
  })

  it('sends the gzip twin when brotli is not accepted, and the file itself when nothing is', async () => {
    const gz = await getWith(`/js/${HASHED}`, { 'Accept-Encoding': 'gzip' })
    expect(gz.headers['content-encoding']).toBe('gzip')
    expect(gunzipSync(gz.body).toString()).toBe(HASHED_JS)
    const plain = await getWith(`/js/${HASHED}`, {})
    expect(plain.headers['content-encoding']).toBeUndefined()
    expect(plain.headers.vary).toMatch(/Accept-Encoding/i)
    expect(plain.body.toString()).toBe(HASHED_JS)
  })

  it('compresses on the fly a text file without twins, and an API answer over 1 KB', async () => {
    const asset = await getWith('/js/plain.5f3e2d1c.js', { 'Accept-Encoding': 'br' })
    expect(asset.headers['content-encoding']).toBe('br')
    expect(brotliDecompressSync(asset.body).toString()).toBe(PLAIN_JS)
    // A district's street list: 40 streets are well over 1 KB of JSON.
    await t.db.ds.getRepository(Street).insert(Array.from({ length: 40 }, (_, i) => ({ code: `1499${String(i).padStart(5, '0')}`, name: `压缩测试街道${i}`, synthetic: true, polygon: null })))
    const api = await getWith('/api/territory/streets', { 'Accept-Encoding': 'gzip' })
    expect(api.status).toBe(200)
    expect(api.headers['content-encoding']).toBe('gzip')
    expect(JSON.stringify(JSON.parse(gunzipSync(api.body).toString()))).toContain('压缩测试街道39')
    const small = await getWith('/api/meta', { 'Accept-Encoding': 'gzip' })
    expect(small.status).toBe(200)
    expect(small.headers['content-encoding']).toBeUndefined() // under 1 KB: not worth it
  })
})
