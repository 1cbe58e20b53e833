import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { ProblemSchema } from '@palm/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestContext, type TestContext } from '../../test/test-app'

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

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'palm-static-'))
  const h5 = path.join(root, 'h5')
  mkdirSync(path.join(h5, 'js'), { recursive: true })
  mkdirSync(path.join(h5, '.git'), { recursive: true })
  writeFileSync(path.join(h5, 'index.html'), SHELL)
  writeFileSync(path.join(h5, 'js', 'app.js'), 'console.log(1)')
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
  it.each(['/.env', '/.git/config', '/.git/', '/.well-known/security.txt', '/js/.hidden', '/%2eenv', '/.%65nv'])(
    'answer %s with 404 not_found, never the file nor the app shell',
    async (rawPath) => {
      await expectProblem(rawPath, 404, 'not_found')
    }
  )
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
